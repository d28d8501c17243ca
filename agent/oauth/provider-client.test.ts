import { describe, expect, it } from 'vitest';
import { SignInError } from '../errors.ts';
import { ProviderClient } from './provider-client.ts';

const ISSUER = 'http://127.0.0.1:4999';
const DISCOVERY = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: `${ISSUER}/token`,
  userinfo_endpoint: `${ISSUER}/userinfo`,
  jwks_uri: `${ISSUER}/jwks`,
  authorization_response_iss_parameter_supported: true,
};

interface Seen {
  url: string;
  body: string;
  authorization: string | null;
}

/** A provider played by a fetch function: discovery, then `token`, then userinfo. */
function fakeProvider(token: () => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    const headers = new Headers(init?.headers);
    seen.push({ url, body: String(init?.body ?? ''), authorization: headers.get('authorization') });
    if (url.endsWith('/.well-known/openid-configuration')) return Response.json(DISCOVERY);
    if (url.endsWith('/token')) return token();
    if (url.endsWith('/userinfo')) return Response.json({ sub: 'user-1', name: 'Alice Example' });
    return new Response('not found', { status: 404 });
  }) as typeof fetch;
  const client = new ProviderClient({
    issuer: ISSUER,
    clientId: 'bm-agent',
    clientSecret: 'bm-agent-secret',
    fetch: fetchImpl,
  });
  return { client, seen };
}

const tokens = () =>
  Response.json({
    access_token: 'at',
    token_type: 'Bearer',
    expires_in: 300,
    scope: 'openid profile',
  });

describe('ProviderClient.exchangeCode', () => {
  it.each([
    'https://business.google.com/callback?',
    'https://business.google.com/message?az-intent-type=1&',
  ])('sends redirect_uri %s byte for byte, the verifier, and client_secret_basic', async (uri) => {
    const { client, seen } = fakeProvider(tokens);
    const identity = await client.exchangeCode('the-code', 'the-verifier', uri);
    expect(identity).toMatchObject({ subject: 'user-1', name: 'Alice Example' });
    const tokenRequest = seen.find((s) => s.url.endsWith('/token'))!;
    const form = new URLSearchParams(tokenRequest.body);
    expect(form.get('redirect_uri')).toBe(uri);
    expect(form.get('code')).toBe('the-code');
    expect(form.get('code_verifier')).toBe('the-verifier');
    expect(form.get('grant_type')).toBe('authorization_code');
    // RFC 6749 §2.3.1: id and secret are form-encoded before base64 (oauth4webapi does so).
    const basic = Buffer.from(tokenRequest.authorization!.replace(/^Basic /, ''), 'base64');
    expect(basic.toString().split(':').map(decodeURIComponent)).toEqual([
      'bm-agent',
      'bm-agent-secret',
    ]);
  });

  it.each([
    [
      '400 invalid_grant',
      () => Response.json({ error: 'invalid_grant' }, { status: 400 }),
      'invalid_grant',
    ],
    [
      '503 server_error',
      () => Response.json({ error: 'server_error' }, { status: 503 }),
      'temporarily_unavailable',
    ],
    [
      '502 HTML page',
      () =>
        new Response('<h1>Bad gateway</h1>', {
          status: 502,
          headers: { 'content-type': 'text/html' },
        }),
      'temporarily_unavailable',
    ],
    [
      '401 invalid_client',
      () => Response.json({ error: 'invalid_client' }, { status: 401 }),
      'provider_error',
    ],
    [
      'network failure',
      () => Promise.reject(new TypeError('fetch failed')),
      'temporarily_unavailable',
    ],
  ] as const)('classifies %s', async (_label, token, reason) => {
    const { client } = fakeProvider(token);
    const failure = await client
      .exchangeCode('c', 'v', 'https://business.google.com/callback')
      .catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(SignInError);
    expect((failure as SignInError).reason).toBe(reason);
  });

  it('refuses a remote http:// issuer (insecure requests are allowed on loopback only)', async () => {
    const client = new ProviderClient({ issuer: 'http://provider.example', clientId: 'x' });
    const failure = await client
      .exchangeCode('c', 'v', 'https://business.google.com/callback')
      .catch((e: unknown) => e);
    expect((failure as SignInError).reason).toBe('provider_error');
    expect(String((failure as SignInError).cause)).toMatch(/https/i);
  });
});

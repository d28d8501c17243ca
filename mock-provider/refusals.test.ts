import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_MESSAGES_REDIRECT_URIS } from '../wire/redirect-uris.ts';
import { createMockProvider, type MockProvider } from './index.ts';
import {
  authorizeRequest,
  browse,
  codeOf,
  exchange,
  PUBLIC,
  rawToken,
  signIn,
} from './test-support/flow.ts';

let provider: MockProvider;
beforeAll(async () => {
  provider = await createMockProvider({ port: 0, quiet: true });
});
afterAll(() => provider.close());

const NEAR_MISSES = [
  'https://business.google.com/callback/x',
  'https://business.google.com/callback?x=1',
  'https://business.google.com/message?az-intent-type=2',
  'https://business.google.com/message?az-intent-type=1&x=1',
  'https://business.google.com/Callback',
  'http://business.google.com/callback',
  'https://business.google.com.evil.test/callback',
  'https://business.google.com/callback#fragment',
];

async function authorize(
  p: MockProvider,
  params: Record<string, string | undefined>,
  accept = 'application/json',
) {
  const req = await authorizeRequest(p, { params });
  const res = await fetch(req.url, { redirect: 'manual', headers: { accept } });
  return { req, res, location: res.headers.get('location') };
}

describe('redirect_uri near misses are never redirected to', () => {
  for (const sent of NEAR_MISSES) {
    it(`refuses ${sent} with JSON naming sent and registered`, async () => {
      const { res, location } = await authorize(provider, { redirect_uri: sent });
      expect(res.status).toBe(400);
      expect(location).toBeNull();
      const body = (await res.json()) as Record<string, unknown>;
      expect(body.error).toBe('invalid_redirect_uri');
      expect(body.redirect_uri_sent).toBe(sent);
      expect(body.registered_redirect_uris).toEqual([...BUSINESS_MESSAGES_REDIRECT_URIS]);
      expect(String(body.error_description)).toContain(sent);
    });
  }

  it('renders an HTML error page for browsers, naming sent and registered URIs', async () => {
    const sent = 'https://business.google.com/callback?x=1';
    const { res, location } = await authorize(provider, { redirect_uri: sent }, 'text/html');
    expect(res.status).toBe(400);
    expect(location).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<code>https://business.google.com/callback?x=1</code>');
    expect(html).toContain(
      '<code>https://business.google.com/message?az-intent-type=1&amp;</code>',
    );
    expect(html).toContain('invalid_redirect_uri');
  });

  it('points out a missing trailing ? or & when only that variant is registered', async () => {
    const only = await createMockProvider({
      port: 0,
      quiet: true,
      clients: [
        {
          client_id: 'only-trailing',
          token_endpoint_auth_method: 'none',
          grant_types: ['authorization_code'],
          response_types: ['code'],
          redirect_uris: [
            'https://business.google.com/callback?',
            'https://business.google.com/message?az-intent-type=1&',
          ],
        },
      ],
    });
    try {
      const q = await authorize(only, {
        client_id: 'only-trailing',
        redirect_uri: 'https://business.google.com/callback',
      });
      const qBody = (await q.res.json()) as { hints: string[] };
      expect(qBody.hints).toContain(
        'did you mean "https://business.google.com/callback?" (note the trailing ?)',
      );
      const amp = await authorize(only, {
        client_id: 'only-trailing',
        redirect_uri: 'https://business.google.com/message?az-intent-type=1',
      });
      const ampBody = (await amp.res.json()) as { hints: string[]; error_description: string };
      expect(ampBody.hints).toContain(
        'did you mean "https://business.google.com/message?az-intent-type=1&" (note the trailing &)',
      );
      expect(ampBody.error_description).toContain('note the trailing &');
    } finally {
      await only.close();
    }
  });

  it('refuses an unknown client without redirecting', async () => {
    const { res, location } = await authorize(provider, { client_id: 'nobody' });
    expect(location).toBeNull();
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_client');
  });
});

describe('PKCE at the authorization endpoint (S256 required)', () => {
  async function refusedWith(params: Record<string, string | undefined>) {
    const { location, req } = await authorize(provider, params);
    expect(location).not.toBeNull();
    const url = new URL(location!);
    expect(`${url.origin}${url.pathname}`).toBe('https://business.google.com/callback');
    expect(url.searchParams.get('state')).toBe(req.state);
    expect(url.searchParams.get('code')).toBeNull();
    return {
      error: url.searchParams.get('error'),
      description: url.searchParams.get('error_description'),
    };
  }

  it('refuses code_challenge_method=plain with invalid_request', async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    expect(await refusedWith({ code_challenge: verifier, code_challenge_method: 'plain' })).toEqual(
      {
        error: 'invalid_request',
        description: 'not supported value of code_challenge_method',
      },
    );
  });

  it('refuses a request without code_challenge with invalid_request', async () => {
    expect(
      await refusedWith({ code_challenge: undefined, code_challenge_method: undefined }),
    ).toEqual({
      error: 'invalid_request',
      description: 'Authorization Server policy requires PKCE to be used for this request',
    });
  });

  it('refuses a challenge without a method (RFC 7636 default plain) with invalid_request', async () => {
    expect(await refusedWith({ code_challenge_method: undefined })).toEqual({
      error: 'invalid_request',
      description: 'code_challenge_method must be provided',
    });
  });

  it('refuses the public client without PKCE too', async () => {
    const { location } = await authorize(provider, {
      client_id: PUBLIC.clientId,
      code_challenge: undefined,
      code_challenge_method: undefined,
    });
    expect(new URL(location!).searchParams.get('error')).toBe('invalid_request');
  });
});

describe('token endpoint refusals', () => {
  it('refuses a wrong code_verifier with invalid_grant', async () => {
    const { req, location } = await signIn(provider);
    const { response } = await exchange(provider, req, location, {
      verifier: oauth.generateRandomCodeVerifier(),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a missing code_verifier with invalid_grant', async () => {
    const { req, location } = await signIn(provider);
    const res = await rawToken(provider, {
      grant_type: 'authorization_code',
      code: codeOf(location),
      redirect_uri: req.redirectUri,
    });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_grant');
  });

  it('refuses a too-short code_verifier (42 chars) with invalid_request', async () => {
    const { req, location } = await signIn(provider);
    const res = await rawToken(provider, {
      grant_type: 'authorization_code',
      code: codeOf(location),
      redirect_uri: req.redirectUri,
      code_verifier: 'a'.repeat(42),
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error: 'invalid_request',
      error_description: 'code_verifier must be a string with a minimum length of 43 characters',
    });
  });

  it('codes are single-use: a second exchange fails and revokes the first tokens', async () => {
    const { req, location } = await signIn(provider);
    const first = await exchange(provider, req, location);
    expect(first.response.status).toBe(200);
    const { access_token } = (await first.response.json()) as { access_token: string };
    const second = await exchange(provider, req, location);
    expect(second.response.status).toBe(400);
    expect(await second.response.json()).toMatchObject({ error: 'invalid_grant' });
    const userinfo = await fetch(`${provider.url}/userinfo`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(userinfo.status).toBe(401);
  });

  it('binds the code to its redirect_uri, byte-exact (the trailing ? matters)', async () => {
    const { req, location } = await signIn(provider, {
      redirectUri: 'https://business.google.com/callback',
    });
    const { response } = await exchange(provider, req, location, {
      redirectUri: 'https://business.google.com/callback?',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('binds the code to its client', async () => {
    const { req, location } = await signIn(provider);
    const res = await rawToken(
      provider,
      {
        grant_type: 'authorization_code',
        code: codeOf(location),
        redirect_uri: req.redirectUri,
        code_verifier: req.verifier,
      },
      PUBLIC.clientId,
    );
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_grant');
  });

  it('refuses a wrong client secret with invalid_client', async () => {
    const res = await fetch(`${provider.url}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('bm-agent:wrong').toString('base64')}`,
      },
      body: 'grant_type=authorization_code&code=x&redirect_uri=https%3A%2F%2Fbusiness.google.com%2Fcallback',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('expires codes after codeTtlSeconds', async () => {
    const short = await createMockProvider({ port: 0, quiet: true, codeTtlSeconds: 1 });
    try {
      const req = await authorizeRequest(short);
      const { location } = await browse(req.url);
      await new Promise((resolve) => setTimeout(resolve, 2200));
      const { response } = await exchange(short, req, location);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
    } finally {
      await short.close();
    }
  });
});

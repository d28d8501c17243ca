// Test-only helpers: drive the provider like a browser (cookie jar + real form parsing) and
// like a client (oauth4webapi). Not part of the package build.
import * as cheerio from 'cheerio';
import makeFetchCookie from 'fetch-cookie';
import * as oauth from 'oauth4webapi';
import { CookieJar } from 'tough-cookie';
import { targetsBusinessGoogle } from '../../wire/redirect-uris.ts';
import type { MockProvider } from '../index.ts';

export const CONFIDENTIAL = { clientId: 'bm-agent', clientSecret: 'bm-agent-secret' };
export const PUBLIC = { clientId: 'bm-agent-public' };

export interface AuthorizeInput {
  clientId?: string;
  redirectUri?: string;
  scope?: string;
  state?: string;
  loginHint?: string;
  /** Overrides or removes (undefined value) parameters. */
  params?: Record<string, string | undefined>;
}

export interface AuthorizeRequest {
  url: string;
  verifier: string;
  challenge: string;
  state: string;
  redirectUri: string;
  clientId: string;
}

export async function authorizeRequest(
  provider: MockProvider,
  input: AuthorizeInput = {},
): Promise<AuthorizeRequest> {
  const verifier = oauth.generateRandomCodeVerifier();
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  const state = input.state ?? oauth.generateRandomState();
  const redirectUri = input.redirectUri ?? 'https://business.google.com/callback';
  const clientId = input.clientId ?? CONFIDENTIAL.clientId;
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: input.scope ?? 'openid profile',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...(input.loginHint ? { login_hint: input.loginHint } : {}),
    ...input.params,
  };
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, v);
  return {
    url: `${provider.url}/authorize?${search}`,
    verifier,
    challenge,
    state,
    redirectUri,
    clientId,
  };
}

export interface Browser {
  fetch: typeof fetch;
  jar: CookieJar;
}

export function newBrowser(): Browser {
  const jar = new CookieJar();
  return { jar, fetch: makeFetchCookie(fetch, jar) as unknown as typeof fetch };
}

export interface BrowserResult {
  /** Raw Location header that pointed at business.google.com. */
  location: string;
  pages: { url: string; status: number; html: string }[];
}

/**
 * Follows redirects by hand, fills the login form (by field names), answers consent, and
 * stops at the first redirect to business.google.com without following it.
 */
export async function browse(
  authorizeUrl: string,
  options: {
    username?: string;
    password?: string;
    consent?: 'allow' | 'deny';
    browser?: Browser;
    maxSteps?: number;
  } = {},
): Promise<BrowserResult> {
  const browser = options.browser ?? newBrowser();
  const pages: BrowserResult['pages'] = [];
  let request: { url: string; init: RequestInit } = {
    url: authorizeUrl,
    init: { headers: { accept: 'text/html' } },
  };
  for (let step = 0; step < (options.maxSteps ?? 12); step++) {
    const res = await browser.fetch(request.url, { ...request.init, redirect: 'manual' });
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      if (targetsBusinessGoogle(location)) return { location, pages };
      request = {
        url: new URL(location, request.url).href,
        init: { headers: { accept: 'text/html' } },
      };
      continue;
    }
    const html = await res.text();
    pages.push({ url: request.url, status: res.status, html });
    const $ = cheerio.load(html);
    const form = $('form[method=post]').first();
    if (!form.length)
      throw new Error(`stuck at ${request.url} (${res.status}): ${html.slice(0, 300)}`);
    const fields = new URLSearchParams();
    form.find('input[type=hidden]').each((_i, el) => {
      fields.set($(el).attr('name')!, $(el).attr('value') ?? '');
    });
    if (form.find('input[name=password]').length) {
      if (pages.filter((p) => p.html.includes('name="password"')).length > 1) {
        throw new Error(`login refused: ${$('[role=alert]').text()}`);
      }
      fields.set('username', options.username ?? 'alice');
      fields.set('password', options.password ?? 'alice-password');
    } else {
      fields.set('decision', options.consent ?? 'allow');
    }
    request = {
      url: new URL(form.attr('action')!, request.url).href,
      init: {
        method: 'POST',
        body: fields.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      },
    };
  }
  throw new Error('too many steps');
}

export const insecure = { [oauth.allowInsecureRequests]: true } as const;

export async function discover(provider: MockProvider): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(provider.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
}

export function clientAuth(clientId: string): oauth.ClientAuth {
  return clientId === CONFIDENTIAL.clientId
    ? oauth.ClientSecretBasic(CONFIDENTIAL.clientSecret)
    : oauth.None();
}

/** Exchanges the code in `location` with oauth4webapi, sending the exact redirect_uri. */
export async function exchange(
  provider: MockProvider,
  req: AuthorizeRequest,
  location: string,
  overrides: { verifier?: string; redirectUri?: string } = {},
): Promise<{ response: Response; as: oauth.AuthorizationServer; params: URLSearchParams }> {
  const as = await discover(provider);
  const client = { client_id: req.clientId };
  const params = oauth.validateAuthResponse(as, client, new URL(location), req.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    clientAuth(req.clientId),
    params,
    overrides.redirectUri ?? req.redirectUri,
    overrides.verifier ?? req.verifier,
    insecure,
  );
  return { response, as, params };
}

/** Raw token request with an exact form body (for refusals oauth4webapi would not send). */
export async function rawToken(
  provider: MockProvider,
  body: Record<string, string>,
  clientId = CONFIDENTIAL.clientId,
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers; text: string }> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  const form = new URLSearchParams(body);
  if (clientId === CONFIDENTIAL.clientId) {
    headers.authorization = `Basic ${Buffer.from(`${CONFIDENTIAL.clientId}:${CONFIDENTIAL.clientSecret}`).toString('base64')}`;
  } else {
    form.set('client_id', clientId);
  }
  const res = await fetch(`${provider.url}/token`, {
    method: 'POST',
    headers,
    body: form.toString(),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, json, headers: res.headers, text };
}

/** The authorization code in a callback Location. */
export function codeOf(location: string): string {
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  return code;
}

/** Runs authorize + HTML login + consent; returns the request and the callback Location. */
export async function signIn(
  provider: MockProvider,
  input: AuthorizeInput = {},
  username = 'alice',
) {
  const req = await authorizeRequest(provider, input);
  const { location } = await browse(req.url, { username, password: `${username}-password` });
  return { req, location };
}

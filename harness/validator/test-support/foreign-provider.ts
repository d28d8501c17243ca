import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BUSINESS_MESSAGES_REDIRECT_URIS } from '../../../wire/redirect-uris.ts';
import { consentPage, errorPage, loginPage, scriptedLoginPage } from './foreign-pages.ts';
import { createSigner, type IssuedCode, randomToken, s256 } from './foreign-tokens.ts';

/**
 * TEST ONLY. A small OAuth provider written by hand, unlike the mock provider in every
 * visible way: issuer with a path, RFC 8414 metadata only, other endpoint paths, a login form
 * with a cookie-bound CSRF token, a consent page, client_secret_post only, ES256 ID tokens.
 * `flaws` switch on one defect each, so the validator's verdicts can be pinned.
 */
export interface ForeignFlaws {
  /** Appends `?code=…` to every redirect URI, giving `callback??code` and `type=1?code`. */
  naiveAppend?: boolean;
  /** Token responses without Cache-Control: no-store. */
  cacheableTokens?: boolean;
  /** The token endpoint does not compare redirect_uri. */
  ignoreRedirectUriAtToken?: boolean;
  /** access_denied redirects without the state. */
  denyWithoutState?: boolean;
  /** The login form exists only after JavaScript runs. */
  scriptedLogin?: boolean;
  /** The client counts as pre-approved: no consent page, a code right after login. */
  skipConsent?: boolean;
  /** ID tokens name another audience. */
  idTokenForOtherAudience?: boolean;
}

export const FOREIGN_CLIENT = { clientId: 'acme-bm-client', clientSecret: 'acme-client-secret' };
export const FOREIGN_USER = { username: 'carol@acme.test', password: 'carol-passcode-1' };

export interface ForeignProvider {
  issuer: string;
  close(): Promise<void>;
}

interface Transaction {
  params: URLSearchParams;
  csrf: string;
  user?: string;
}

export async function startForeignProvider(flaws: ForeignFlaws = {}): Promise<ForeignProvider> {
  const signer = await createSigner();
  const transactions = new Map<string, Transaction>();
  const codes = new Map<string, IssuedCode>();
  let issuer = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      handle(req, res, form).catch((error: unknown) => send(res, 500, 'text/plain', String(error)));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, form: URLSearchParams) {
    const url = new URL(req.url ?? '/', issuer);
    const path = url.pathname;
    const prefix = new URL(issuer).pathname;
    const txnId = cookie(req, 'acme_txn');
    const txn = txnId ? transactions.get(txnId) : undefined;
    if (path === `/.well-known/oauth-authorization-server${prefix}`)
      return json(res, 200, metadata(issuer));
    if (path === `${prefix}/oauth2/v1/keys`) return json(res, 200, signer.jwks);
    if (path === `${prefix}/oauth2/v1/authorize`) return authorizeEndpoint(res, url.searchParams);
    if (path === `${prefix}/u/login` && txn) {
      if (req.method === 'POST') {
        if (form.get('_csrf') !== txn.csrf)
          return send(res, 403, 'text/html', errorPage('CSRF token mismatch'));
        if (
          form.get('emailAddress') !== FOREIGN_USER.username ||
          form.get('passcode') !== FOREIGN_USER.password
        ) {
          return send(
            res,
            200,
            'text/html',
            loginPage(path, txn.csrf, 'Incorrect e-mail or passcode'),
          );
        }
        txn.user = form.get('emailAddress') ?? '';
        txn.csrf = randomToken();
        if (flaws.skipConsent)
          return consentAnswer(
            res,
            txn,
            new URLSearchParams({ _csrf: txn.csrf, consent_decision: 'Yes, allow' }),
          );
        return redirect(res, 303, `${prefix}/u/consent`);
      }
      return send(
        res,
        200,
        'text/html',
        (flaws.scriptedLogin ? scriptedLoginPage : loginPage)(path, txn.csrf),
      );
    }
    if (path === `${prefix}/u/consent` && txn?.user) {
      if (req.method === 'POST') return consentAnswer(res, txn, form);
      return send(
        res,
        200,
        'text/html',
        consentPage('', txn.csrf, 'BM Agent', txn.params.get('scope') ?? ''),
      );
    }
    if (path === `${prefix}/oauth2/v1/token` && req.method === 'POST')
      return tokenEndpoint(req, res, form);
    return send(res, 404, 'text/html', errorPage('Not found or session expired'));
  }

  function authorizeEndpoint(res: ServerResponse, params: URLSearchParams) {
    const redirectUri = params.get('redirect_uri') ?? '';
    if (params.get('client_id') !== FOREIGN_CLIENT.clientId)
      return send(res, 400, 'text/html', errorPage('Unknown application'));
    if (!(BUSINESS_MESSAGES_REDIRECT_URIS as readonly string[]).includes(redirectUri)) {
      return send(
        res,
        400,
        'text/html',
        errorPage('The redirect_uri is not registered for this application'),
      );
    }
    const state = params.get('state') ?? undefined;
    if (params.get('response_type') !== 'code')
      return redirect(res, 302, append(redirectUri, { error: 'unsupported_response_type', state }));
    if (!params.get('code_challenge') || params.get('code_challenge_method') !== 'S256') {
      return redirect(
        res,
        302,
        append(redirectUri, {
          error: 'invalid_request',
          error_description: 'PKCE with S256 is required',
          state,
        }),
      );
    }
    const id = randomToken();
    transactions.set(id, { params, csrf: randomToken() });
    res.setHeader('set-cookie', `acme_txn=${id}; Path=/; HttpOnly; SameSite=Lax`);
    return redirect(res, 302, `${new URL(issuer).pathname}/u/login`);
  }

  function consentAnswer(res: ServerResponse, txn: Transaction, form: URLSearchParams) {
    if (form.get('_csrf') !== txn.csrf)
      return send(res, 403, 'text/html', errorPage('CSRF token mismatch'));
    const p = txn.params;
    const redirectUri = p.get('redirect_uri') ?? '';
    const state = p.get('state') ?? undefined;
    if (form.get('consent_decision') !== 'Yes, allow') {
      return redirect(
        res,
        302,
        append(redirectUri, {
          error: 'access_denied',
          state: flaws.denyWithoutState ? undefined : state,
        }),
      );
    }
    const code = randomToken();
    codes.set(code, {
      clientId: p.get('client_id') ?? '',
      redirectUri,
      challenge: p.get('code_challenge') ?? '',
      nonce: p.get('nonce') ?? undefined,
      scope: p.get('scope') ?? '',
      sub: txn.user ?? '',
      expiresAt: Date.now() + 60_000,
      used: false,
    });
    return redirect(res, 302, append(redirectUri, { code, state }));
  }

  async function tokenEndpoint(req: IncomingMessage, res: ServerResponse, form: URLSearchParams) {
    const fail = (status: number, error: string, description: string) =>
      json(res, status, { error, error_description: description });
    if (
      req.headers.authorization ||
      form.get('client_id') !== FOREIGN_CLIENT.clientId ||
      form.get('client_secret') !== FOREIGN_CLIENT.clientSecret
    ) {
      return fail(401, 'invalid_client', 'client authentication failed (client_secret_post only)');
    }
    if (form.get('grant_type') !== 'authorization_code')
      return fail(400, 'unsupported_grant_type', 'only authorization_code');
    const code = codes.get(form.get('code') ?? '');
    if (!code || code.expiresAt < Date.now() || code.clientId !== FOREIGN_CLIENT.clientId)
      return fail(400, 'invalid_grant', 'unknown or expired code');
    if (code.used) return fail(400, 'invalid_grant', 'code already used');
    code.used = true;
    if (!flaws.ignoreRedirectUriAtToken && form.get('redirect_uri') !== code.redirectUri)
      return fail(400, 'invalid_grant', 'redirect_uri mismatch');
    const verifier = form.get('code_verifier');
    if (!verifier || s256(verifier) !== code.challenge)
      return fail(400, 'invalid_grant', 'PKCE verification failed');
    const body: Record<string, unknown> = {
      access_token: randomToken(),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: code.scope,
    };
    if (code.scope.split(' ').includes('openid')) {
      body.id_token = await signer.idToken({
        iss: issuer,
        aud: flaws.idTokenForOtherAudience ? 'some-other-client' : code.clientId,
        sub: code.sub,
        nonce: code.nonce,
      });
    }
    if (!flaws.cacheableTokens) {
      res.setHeader('cache-control', 'no-store');
      res.setHeader('pragma', 'no-cache');
    }
    return json(res, 200, body);
  }

  /** RFC 6749 §3.1.2: keep the registered query; one separator (unless the flaw is on). */
  function append(uri: string, params: Record<string, string | undefined>): string {
    const query = new URLSearchParams(
      Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined),
    ).toString();
    if (flaws.naiveAppend) return `${uri}?${query}`;
    const sep = !uri.includes('?') ? '?' : /[?&]$/.test(uri) ? '' : '&';
    return `${uri}${sep}${query}`;
  }

  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tenants/acme`;
  return { issuer, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

function metadata(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth2/v1/authorize`,
    token_endpoint: `${issuer}/oauth2/v1/token`,
    jwks_uri: `${issuer}/oauth2/v1/keys`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_post'],
    id_token_signing_alg_values_supported: ['ES256'],
    scopes_supported: ['openid', 'email', 'profile'],
  };
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === name) return v;
  }
  return undefined;
}

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8` });
  res.end(body);
}

function json(res: ServerResponse, status: number, body: unknown) {
  send(res, status, 'application/json', JSON.stringify(body));
}

function redirect(res: ServerResponse, status: number, location: string) {
  res.writeHead(status, { location });
  res.end();
}

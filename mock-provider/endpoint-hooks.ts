import { createHash } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type Provider from 'oidc-provider';
import type { AccountDirectory } from './accounts.ts';
import type { EventLog } from './event-log.ts';
import type { Fault, FaultRegistry, FaultSubject } from './faults.ts';
import type { MisbehaveState } from './misbehave.ts';
import { nonStandardErrorBody } from './non-standard-errors.ts';
import { sendOAuthError } from './oauth-response.ts';

export interface EndpointHookDeps {
  provider: Provider;
  accounts: AccountDirectory;
  faults: FaultRegistry;
  events: EventLog;
  misbehave: MisbehaveState;
  bodyLimit: string;
}

/**
 * Express middleware in front of oidc-provider's own endpoints: scripted faults, the
 * misbehave rewrites oidc-provider has no switch for, and request-level events.
 */
export function endpointHooks(deps: EndpointHookDeps): Router {
  const { provider, accounts, faults, events, misbehave } = deps;
  const router = express.Router();
  // oidc-provider accepts an already parsed urlencoded body (req.body); parsing it here lets
  // the hooks see client and grant before the provider does, and gives 413 on huge bodies.
  const form = express.urlencoded({ extended: false, limit: deps.bodyLimit });

  // GET only: oidc-provider serves POST /authorize only with enableHttpPostMethods (off).
  router.get('/authorize', (req, _res, next) => {
    const params: Record<string, unknown> = Object.fromEntries(
      new URL(req.url, 'http://x').searchParams,
    );
    const changed = rewritePkceParams(params, misbehave.current);
    if (changed) {
      const url = new URL(req.url, 'http://x');
      url.search = new URLSearchParams(params as Record<string, string>).toString();
      req.url = url.pathname + url.search;
    }
    events.record(
      'authorization.request',
      {
        response_type: params.response_type,
        redirect_uri: params.redirect_uri,
        scope: params.scope,
        state: params.state,
        code_challenge_method: params.code_challenge_method,
        has_code_challenge: params.code_challenge !== undefined,
        login_hint: params.login_hint,
      },
      { clientId: typeof params.client_id === 'string' ? params.client_id : undefined },
    );
    next();
  });

  router.post('/token', form, async (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const subject = await tokenSubject(req, body);
    const slow = faults.take(['token-slow'], subject);
    if (slow) {
      events.record(
        'fault.applied',
        { kind: slow.kind, id: slow.id, delayMs: slow.delayMs },
        who(subject),
      );
      await new Promise((resolve) => setTimeout(resolve, slow.delayMs ?? 2000));
    }
    const kinds =
      body.grant_type === 'authorization_code'
        ? (['token-server-error', 'token-invalid-grant', 'code-expired'] as const)
        : (['token-server-error', 'token-invalid-grant'] as const);
    const fault = faults.take(kinds, subject);
    if (fault) {
      events.record('fault.applied', { kind: fault.kind, id: fault.id }, who(subject));
      res.on('finish', () => {
        events.record(
          'token.error',
          { grant_type: body.grant_type, status: res.statusCode, fault: fault.kind },
          who(subject),
        );
      });
      sendTokenFault(res, fault);
      return;
    }
    if (misbehave.current.pkceNotEnforced) delete body.code_verifier;
    next();
  });

  router.all('/userinfo', form, async (req, res, next) => {
    const token =
      bearer(req) ??
      (typeof req.body?.access_token === 'string' ? req.body.access_token : undefined);
    const found = token ? await provider.AccessToken.find(token).catch(() => undefined) : undefined;
    const user = found?.accountId ? accounts.bySub(found.accountId) : undefined;
    const subject = { client: found?.clientId, sub: found?.accountId, username: user?.username };
    const fault = faults.take(['userinfo-unauthorized'], subject);
    if (fault) {
      events.record('fault.applied', { kind: fault.kind, id: fault.id }, who(subject));
      const description = fault.description ?? 'access token is invalid (scripted fault)';
      res.set(
        'WWW-Authenticate',
        `Bearer error="invalid_token", error_description="${description.replace(/"/g, "'")}"`,
      );
      sendOAuthError(res, 401, 'invalid_token', description);
      return;
    }
    res.on('finish', () => {
      events.record(
        res.statusCode < 400 ? 'userinfo' : 'userinfo.error',
        { status: res.statusCode },
        who(subject),
      );
    });
    next();
  });

  for (const [path, type] of [
    ['/token/introspection', 'introspection'],
    ['/token/revocation', 'revocation'],
  ] as const) {
    router.post(path, form, (req, res, next) => {
      res.on('finish', () =>
        events.record(
          type,
          { status: res.statusCode },
          { clientId: clientIdOf(req, req.body ?? {}) },
        ),
      );
      next();
    });
  }

  async function tokenSubject(req: Request, body: Record<string, unknown>): Promise<FaultSubject> {
    const client = clientIdOf(req, body);
    let found: { accountId?: string | undefined } | undefined;
    if (body.grant_type === 'authorization_code' && typeof body.code === 'string') {
      found = await provider.AuthorizationCode.find(body.code).catch(() => undefined);
    } else if (body.grant_type === 'refresh_token' && typeof body.refresh_token === 'string') {
      found = await provider.RefreshToken.find(body.refresh_token).catch(() => undefined);
    }
    const user = found?.accountId ? accounts.bySub(found.accountId) : undefined;
    return { client, sub: found?.accountId, username: user?.username };
  }

  function sendTokenFault(res: Response, fault: Fault): void {
    if (fault.kind === 'token-server-error') {
      const status = fault.status ?? 500;
      const error = status === 503 ? 'temporarily_unavailable' : 'server_error';
      sendTokenError(res, status, error, fault.description ?? 'scripted token endpoint failure');
    } else if (fault.kind === 'code-expired') {
      sendTokenError(
        res,
        400,
        'invalid_grant',
        fault.description ?? 'authorization code is expired',
      );
    } else {
      sendTokenError(res, 400, 'invalid_grant', fault.description ?? 'grant request is invalid');
    }
  }

  function sendTokenError(res: Response, status: number, error: string, description: string): void {
    const mode = misbehave.current.nonStandardErrors;
    if (mode) {
      const odd = nonStandardErrorBody(mode, status, error, description);
      res.status(odd.status).type(odd.type).send(odd.body);
      return;
    }
    sendOAuthError(res, status, error, description);
  }

  return router;
}

/**
 * The misbehave rewrites of PKCE parameters at the authorization endpoint. oidc-provider
 * only knows S256 and always checks a stored challenge, so a broken provider is emulated by
 * changing what it sees: `pkceNotEnforced` drops the challenge (and the token hook drops the
 * verifier); `allowPlainPkce` turns a plain challenge (RFC 7636 §4.2: challenge = verifier)
 * into its S256 form, so the same verifier later matches.
 */
export function rewritePkceParams(
  params: Record<string, unknown>,
  switches: { pkceNotEnforced: boolean; allowPlainPkce: boolean },
): boolean {
  if (switches.pkceNotEnforced) {
    const had = 'code_challenge' in params || 'code_challenge_method' in params;
    delete params.code_challenge;
    delete params.code_challenge_method;
    return had;
  }
  const method = params.code_challenge_method;
  if (
    switches.allowPlainPkce &&
    typeof params.code_challenge === 'string' &&
    (method === undefined || method === 'plain')
  ) {
    params.code_challenge = createHash('sha256').update(params.code_challenge).digest('base64url');
    params.code_challenge_method = 'S256';
    return true;
  }
  return false;
}

function bearer(req: Request): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  return m?.[1];
}

function clientIdOf(req: Request, body: Record<string, unknown>): string | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  if (m) {
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i > 0) {
      try {
        return decodeURIComponent(decoded.slice(0, i).replace(/\+/g, ' '));
      } catch {
        return decoded.slice(0, i);
      }
    }
  }
  return typeof body.client_id === 'string' ? body.client_id : undefined;
}

function who(subject: FaultSubject) {
  return { clientId: subject.client, user: subject.username ?? subject.sub };
}

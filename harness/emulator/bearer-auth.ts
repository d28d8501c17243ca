import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { AccessTokenError, isEmulatorAccessToken, verifyAccessToken } from './access-tokens.ts';
import { GoogleApiError, unauthenticated } from './google-errors.ts';
import type { KnownServiceAccount } from './service-account.ts';

const MAX_SELF_SIGNED_LIFETIME_SECONDS = 3600;

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

export interface BearerAuthOptions {
  /** OAuth scope the API needs, e.g. https://www.googleapis.com/auth/businessmessages. */
  scope: string;
  /** Accepted `aud` values of self-signed service-account JWTs (the API origin, e.g. https://businessmessages.googleapis.com/). */
  selfSignedAudience: () => string[];
  accounts: () => KnownServiceAccount[];
}

/** Who called, once authenticated; stored on `res.locals.caller`. */
export interface Caller {
  subject: string;
  via: 'access-token' | 'self-signed-jwt';
}

/**
 * Google APIs accept an OAuth access token from the token endpoint or, for service
 * accounts, a self-signed JWT whose `aud` is the API ("Addendum: Service account
 * authorization without OAuth"); google-auth-library sends the latter when no scopes are
 * configured. Anything else is 401 UNAUTHENTICATED; a token without the API's scope is
 * 403 PERMISSION_DENIED, as Google answers.
 */
export function bearerAuth(options: BearerAuthOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    authenticate(req, options).then(
      (caller) => {
        res.locals.caller = caller;
        next();
      },
      (err: unknown) => next(err),
    );
  };
}

async function authenticate(req: Request, options: BearerAuthOptions): Promise<Caller> {
  const header = req.get('authorization');
  if (!header) throw unauthenticated('no Authorization header', 'missing');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthenticated('Authorization header is not "Bearer <token>"');
  const token = match[1]!;
  if (isEmulatorAccessToken(token)) {
    let grant: Awaited<ReturnType<typeof verifyAccessToken>>;
    try {
      grant = await verifyAccessToken(token);
    } catch (err) {
      throw unauthenticated(
        err instanceof AccessTokenError ? err.message : 'invalid token',
        err instanceof AccessTokenError && err.code === 'TOKEN_EXPIRED' ? 'expired' : 'invalid',
      );
    }
    if (!grant.scopes.includes(options.scope) && !grant.scopes.includes(CLOUD_PLATFORM_SCOPE)) {
      throw new GoogleApiError(
        'PERMISSION_DENIED',
        'Request had insufficient authentication scopes.',
        {
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
              domain: 'googleapis.com',
              metadata: { required: options.scope, granted: grant.scopes.join(' ') },
            },
          ],
        },
      );
    }
    return { subject: grant.subject, via: 'access-token' };
  }
  return verifySelfSignedJwt(token, options);
}

async function verifySelfSignedJwt(token: string, options: BearerAuthOptions): Promise<Caller> {
  let iss: unknown;
  try {
    iss = decodeJwt(token).iss;
  } catch {
    throw unauthenticated('token is neither an emulator access token nor a JWT');
  }
  const account = options.accounts().find((a) => a.email === iss);
  if (!account) throw unauthenticated(`unknown service account ${String(iss)}`);
  let payload: { iat?: number; exp?: number };
  try {
    const kid = decodeProtectedHeader(token).kid;
    if (kid !== undefined && kid !== account.keyId) throw new Error(`unknown key id ${kid}`);
    ({ payload } = await jwtVerify(token, account.publicKey, {
      algorithms: ['RS256'],
      issuer: account.email,
      subject: account.email,
      audience: options.selfSignedAudience(),
      requiredClaims: ['iat', 'exp'],
    }));
  } catch (err) {
    throw unauthenticated(
      `self-signed JWT rejected: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  // Same lifetime limit as the token endpoint's assertions.
  if ((payload.exp ?? 0) - (payload.iat ?? 0) > MAX_SELF_SIGNED_LIFETIME_SECONDS) {
    throw unauthenticated('self-signed JWT rejected: lives longer than an hour');
  }
  return { subject: account.email, via: 'self-signed-jwt' };
}

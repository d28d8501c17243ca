import express, { type Request, type Response } from 'express';
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { ACCESS_TOKEN_TTL_SECONDS, issueAccessToken } from './access-tokens.ts';
import type { KnownServiceAccount } from './service-account.ts';

/**
 * Google's OAuth 2.0 token endpoint for service accounts (RFC 7523 JWT bearer grant), as
 * used by google-auth-library's JWT client: https://oauth2.googleapis.com/token and the
 * older https://www.googleapis.com/oauth2/v4/token. Error bodies and descriptions follow
 * what Google answers ("Using OAuth 2.0 for Server to Server Applications").
 */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const GOOGLE_TOKEN_AUDIENCES = [
  'https://oauth2.googleapis.com/token',
  'https://www.googleapis.com/oauth2/v4/token',
  'https://accounts.google.com/o/oauth2/token',
];
/** Google rejects assertions that live longer than an hour. */
const MAX_ASSERTION_LIFETIME_SECONDS = 3600;

export interface TokenEvent {
  ok: boolean;
  clientEmail?: string;
  scopes?: string[];
  error?: string;
  description?: string;
}

export interface TokenRoutesOptions {
  accounts: () => KnownServiceAccount[];
  /** The emulator's own base URL: assertions addressed to `${base}/token` are accepted too. */
  baseUrl: () => string;
  onToken?: (event: TokenEvent) => void;
}

class TokenRequestError extends Error {
  readonly code: string;
  constructor(code: string, description: string) {
    super(description);
    this.name = 'TokenRequestError';
    this.code = code;
  }
}

export function tokenRouter(options: TokenRoutesOptions): express.Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });
  const handler = async (req: Request, res: Response) => {
    res.set('Cache-Control', 'no-cache, no-store, max-age=0, must-revalidate');
    try {
      if (!req.is('application/x-www-form-urlencoded')) {
        throw new TokenRequestError(
          'invalid_request',
          'Content-Type must be application/x-www-form-urlencoded.',
        );
      }
      const body = (req.body ?? {}) as Record<string, unknown>;
      const grantType = typeof body.grant_type === 'string' ? body.grant_type : '';
      if (grantType !== JWT_BEARER_GRANT) {
        throw new TokenRequestError('unsupported_grant_type', `Invalid grant_type: ${grantType}`);
      }
      if (typeof body.assertion !== 'string' || body.assertion === '') {
        throw new TokenRequestError('invalid_request', 'Missing required parameter: assertion');
      }
      const base = options.baseUrl();
      const audiences = [...GOOGLE_TOKEN_AUDIENCES, `${base}/token`, `${base}/oauth2/v4/token`];
      const grant = await verifyAssertion(body.assertion, options.accounts(), audiences);
      const accessToken = await issueAccessToken({ subject: grant.email, scopes: grant.scopes });
      options.onToken?.({ ok: true, clientEmail: grant.email, scopes: grant.scopes });
      res.json({
        access_token: accessToken,
        expires_in: ACCESS_TOKEN_TTL_SECONDS,
        token_type: 'Bearer',
      });
    } catch (err) {
      const e =
        err instanceof TokenRequestError
          ? err
          : new TokenRequestError('invalid_grant', 'Invalid JWT.');
      options.onToken?.({ ok: false, error: e.code, description: e.message });
      res
        .status(e.code === 'invalid_client' ? 401 : 400)
        .json({ error: e.code, error_description: e.message });
    }
  };
  // Parser failures (oversized or undecodable bodies) still answer in OAuth's error format.
  const parseForm = (req: Request, res: Response, next: (err?: unknown) => void) =>
    form(req, res, (err?: unknown) => {
      if (!err) return next();
      const e = err as { status?: number; message?: string };
      const status = e.status === 413 ? 413 : 400;
      const description =
        status === 413 ? 'Request body too large.' : `Unreadable request body: ${e.message}`;
      options.onToken?.({ ok: false, error: 'invalid_request', description });
      res.status(status).json({ error: 'invalid_request', error_description: description });
    });
  router.post(['/token', '/oauth2/v4/token'], parseForm, handler);
  return router;
}

async function verifyAssertion(
  assertion: string,
  accounts: KnownServiceAccount[],
  audiences: string[],
): Promise<{ email: string; scopes: string[] }> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(assertion).kid;
  } catch {
    throw new TokenRequestError('invalid_grant', 'Invalid JWT: malformed assertion.');
  }
  const unverified = decodePayload(assertion);
  const account = accounts.find((a) => a.email === unverified.iss);
  if (!account) {
    throw new TokenRequestError('invalid_grant', 'Invalid grant: account not found');
  }
  if (kid !== undefined && kid !== account.keyId) {
    throw new TokenRequestError('invalid_grant', 'Invalid JWT Signature.');
  }
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(assertion, account.publicKey, {
      algorithms: ['RS256'],
      audience: audiences,
      issuer: account.email,
      requiredClaims: ['iat', 'exp'],
      maxTokenAge: MAX_ASSERTION_LIFETIME_SECONDS + 60,
      clockTolerance: 60,
    }));
  } catch (err) {
    throw assertionError(err);
  }
  const { iat, exp } = payload as { iat: number; exp: number };
  if (exp - iat > MAX_ASSERTION_LIFETIME_SECONDS) {
    throw new TokenRequestError('invalid_grant', shortLivedMessage);
  }
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
  if (scopes.length === 0) {
    throw new TokenRequestError(
      'invalid_scope',
      'Invalid OAuth scope or ID token audience provided.',
    );
  }
  return { email: account.email, scopes };
}

const shortLivedMessage =
  'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';

function assertionError(err: unknown): TokenRequestError {
  if (
    err instanceof errors.JWSSignatureVerificationFailed ||
    err instanceof errors.JOSEAlgNotAllowed
  ) {
    return new TokenRequestError('invalid_grant', 'Invalid JWT Signature.');
  }
  if (err instanceof errors.JWTExpired)
    return new TokenRequestError('invalid_grant', shortLivedMessage);
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') {
      return new TokenRequestError('invalid_grant', 'Invalid JWT: Failed audience check.');
    }
    return new TokenRequestError(
      'invalid_grant',
      `${shortLivedMessage} (claim ${err.claim}: ${err.reason})`,
    );
  }
  return new TokenRequestError('invalid_grant', 'Invalid JWT.');
}

function decodePayload(assertion: string): { iss?: unknown } {
  try {
    return decodeJwt(assertion);
  } catch {
    throw new TokenRequestError('invalid_grant', 'Invalid JWT: malformed assertion.');
  }
}

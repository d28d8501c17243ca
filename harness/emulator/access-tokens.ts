import { randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

/**
 * Access tokens the emulator issues for service accounts. They are HS256 JWTs under one key
 * per process (kept on globalThis so that a second copy of this module — sources and dist
 * in one process — shares it): interception is process-global, so a token fetched through
 * one emulator must be accepted by every emulator in the process (COMMON.md contract 4).
 * The `ya29.` prefix mirrors the look of Google's OAuth access tokens.
 */
const KEY_SLOT = Symbol.for('bm-oauth-harness.emulator.access-token-key');
const PREFIX = 'ya29.';
const ISSUER = 'bm-oauth-harness-emulator';

function processKey(): Uint8Array {
  const slot = globalThis as { [KEY_SLOT]?: Uint8Array };
  slot[KEY_SLOT] ??= new Uint8Array(randomBytes(32));
  return slot[KEY_SLOT];
}

export class AccessTokenError extends Error {
  readonly code: 'TOKEN_MISSING' | 'TOKEN_MALFORMED' | 'TOKEN_EXPIRED' | 'TOKEN_INVALID';
  constructor(code: AccessTokenError['code'], message: string) {
    super(message);
    this.name = 'AccessTokenError';
    this.code = code;
  }
}

export interface AccessTokenGrant {
  subject: string;
  scopes: string[];
}

export const ACCESS_TOKEN_TTL_SECONDS = 3599;

export async function issueAccessToken(
  grant: AccessTokenGrant,
  ttlSeconds = ACCESS_TOKEN_TTL_SECONDS,
): Promise<string> {
  const jwt = await new SignJWT({ scope: grant.scopes.join(' ') })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setSubject(grant.subject)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(processKey());
  return PREFIX + jwt;
}

export function isEmulatorAccessToken(token: string): boolean {
  return token.startsWith(PREFIX);
}

export async function verifyAccessToken(token: string): Promise<AccessTokenGrant> {
  if (!isEmulatorAccessToken(token)) {
    throw new AccessTokenError('TOKEN_MALFORMED', 'not an access token issued by the emulator');
  }
  try {
    const { payload } = await jwtVerify(token.slice(PREFIX.length), processKey(), {
      issuer: ISSUER,
      algorithms: ['HS256'],
    });
    return {
      subject: String(payload.sub),
      scopes: String(payload.scope ?? '')
        .split(' ')
        .filter(Boolean),
    };
  } catch (err) {
    if (err instanceof errors.JWTExpired)
      throw new AccessTokenError('TOKEN_EXPIRED', 'access token expired');
    throw new AccessTokenError(
      'TOKEN_INVALID',
      'access token not issued by an emulator in this process (or tampered with)',
    );
  }
}

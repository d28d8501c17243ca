import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { type ProbeContext, wantsOpenId } from './context.ts';
import type { ExchangeOutcome } from './token.ts';
import type { CheckResult } from './types.ts';

/**
 * OIDC Core §3.1.3.7: the ID token's signature verifies against the provider's JWKS, and
 * iss, aud, exp and nonce are right. Verified with jose, independently of oauth4webapi.
 */
export async function probeIdToken(
  ctx: ProbeContext,
  exchanged: ExchangeOutcome,
): Promise<CheckResult> {
  const base = {
    id: 'id-token' as const,
    title: 'ID token verifies (JWKS, iss, aud, exp, nonce)',
    spec: ['OIDC-Core 3.1.3.7', 'OIDC-Core 2'],
  };
  if (!wantsOpenId(ctx))
    return { ...base, status: 'skip', detail: 'scope has no openid', evidence: [] };
  if (!exchanged.tokens || !exchanged.flow)
    return {
      ...base,
      status: 'skip',
      detail: 'needs a successful token exchange first',
      evidence: [],
    };
  const idToken = exchanged.tokens.id_token;
  if (typeof idToken !== 'string') {
    return {
      ...base,
      status: 'fail',
      detail: 'openid was requested but the token response has no id_token (OIDC Core §3.1.3.3)',
      evidence: [],
    };
  }
  const jwksUri = ctx.server.jwks_uri;
  if (!jwksUri)
    return {
      ...base,
      status: 'fail',
      detail: 'the metadata has no jwks_uri to verify the ID token with',
      evidence: [],
    };
  let header = '';
  try {
    const h = decodeProtectedHeader(idToken);
    header = `alg=${h.alg} kid=${h.kid ?? '(none)'}`;
  } catch {
    header = 'undecodable header';
  }
  const evidence = [`jwks_uri ${jwksUri}`, `id_token header ${header}`];
  try {
    const jwks = createRemoteJWKSet(new URL(jwksUri));
    const { payload } = await jwtVerify(idToken, jwks, {
      issuer: ctx.issuer,
      audience: ctx.clientId,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
    });
    evidence.push(
      `claims iss=${payload.iss} aud=${JSON.stringify(payload.aud)} exp=${payload.exp} iat=${payload.iat} nonce=${payload.nonce === undefined ? '(none)' : 'present'}`,
    );
    if (payload.nonce !== exchanged.flow.nonce) {
      return {
        ...base,
        status: 'fail',
        detail: `nonce ${payload.nonce === undefined ? 'missing' : 'differs from the one sent'}: the nonce from the authorization request must be echoed in the ID token`,
        evidence,
      };
    }
    if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== ctx.clientId) {
      return {
        ...base,
        status: 'warn',
        detail: 'several audiences but azp is not the client id (OIDC Core §2)',
        evidence,
      };
    }
    return {
      ...base,
      status: 'pass',
      detail: `signature verified (${header}); iss, aud, exp and nonce are right`,
      evidence,
    };
  } catch (error) {
    const code = error instanceof errors.JOSEError ? error.code : 'ERROR';
    return {
      ...base,
      status: 'fail',
      detail: `the ID token does not verify: ${code}: ${error instanceof Error ? error.message : String(error)}`,
      evidence,
    };
  }
}

import type { ProbeContext } from './context.ts';
import { errorCode, issuedToken, postToken, type TokenReply } from './token-client.ts';
import type { CheckResult } from './types.ts';

/** RFC 6749 §5.2 plus the token-endpoint codes in IANA's OAuth Extensions Error registry. */
const REGISTERED_ERRORS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'invalid_target',
  'invalid_dpop_proof',
  'use_dpop_nonce',
  'invalid_authorization_details',
  'authorization_pending',
  'slow_down',
  'access_denied',
  'expired_token',
]);

/** RFC 6749 §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E. */
const DESCRIPTION_CHARS = /^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/;

/** Everything wrong with one refusal's shape; an empty list means RFC 6749 §5.2 is met. */
export function errorFormatProblems(reply: TokenReply): string[] {
  const problems: string[] = [];
  const code = errorCode(reply);
  const allowed = code === 'invalid_client' ? [400, 401] : [400];
  if (!allowed.includes(reply.status))
    problems.push(`HTTP ${reply.status} (expected ${allowed.join(' or ')})`);
  if (!/^application\/json\b/i.test(reply.contentType))
    problems.push(`content-type ${JSON.stringify(reply.contentType)} (expected application/json)`);
  if (!reply.json) problems.push('body is not a JSON object');
  else if (code === undefined) problems.push('no "error" member');
  else if (!REGISTERED_ERRORS.has(code))
    problems.push(`"error":"${code}" is not a registered error code`);
  const description = reply.json?.error_description;
  if (
    description !== undefined &&
    (typeof description !== 'string' || !DESCRIPTION_CHARS.test(description))
  ) {
    problems.push('error_description is not a string of the allowed ASCII characters');
  }
  return problems;
}

/**
 * Judges every refusal the other checks provoked, plus one redemption of a made-up code
 * (which needs no sign-in, so this check runs even when logins fail).
 */
export async function probeTokenErrorFormat(
  ctx: ProbeContext,
  collected: TokenReply[],
): Promise<CheckResult> {
  const base = {
    id: 'token-error-format' as const,
    title: 'Token errors follow RFC 6749 §5.2',
    spec: ['RFC6749 5.2'],
  };
  const bogus = await postToken(ctx, {
    grant_type: 'authorization_code',
    code: 'bm-harness-made-up-code-0000',
    redirect_uri: 'https://business.google.com/callback',
    code_verifier: 'bm-harness-made-up-verifier-000000000000000000000',
  });
  const replies = [bogus, ...collected].filter((r) => !issuedToken(r));
  const evidence: string[] = [];
  const failures: string[] = [];
  for (const [i, reply] of replies.entries()) {
    const problems = errorFormatProblems(reply);
    evidence.push(
      ...reply.evidence,
      problems.length ? `  ✗ ${problems.join('; ')}` : '  ✓ well-formed',
    );
    if (problems.length)
      failures.push(`${i === 0 ? 'made-up code' : `refusal ${i}`}: ${problems.join('; ')}`);
  }
  if (issuedToken(bogus)) failures.unshift('a made-up code was exchanged for tokens');
  if (failures.length) {
    return {
      ...base,
      status: 'fail',
      detail: `error responses must be JSON {"error":"<registered code>"} with HTTP 400 (401 for invalid_client): ${failures.join(' | ')}`,
      evidence,
    };
  }
  if (errorCode(bogus) !== 'invalid_grant') {
    return {
      ...base,
      status: 'warn',
      detail: `a made-up code got "${errorCode(bogus)}"; RFC 6749 §5.2 names invalid_grant for an invalid authorization code`,
      evidence,
    };
  }
  return {
    ...base,
    status: 'pass',
    detail: `${replies.length} error response(s), all well-formed`,
    evidence,
  };
}

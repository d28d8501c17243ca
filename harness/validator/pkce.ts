import { generateRandomCodeVerifier } from 'oauth4webapi';
import { describeAuthorization } from './authorize.ts';
import type { ProbeContext } from './context.ts';
import { type Flow, redeemFields, startFlow } from './flows.ts';
import { errorCode, issuedToken, postToken, type TokenReply } from './token-client.ts';
import type { CheckResult } from './types.ts';
import { NEEDS_TOKEN_EXCHANGE, skipped } from './skipped.ts';

export interface ProbeResult {
  check: CheckResult;
  /** Token endpoint refusals, for token-error-format. */
  replies: TokenReply[];
}

const refused = (reply: TokenReply): string =>
  `refused (HTTP ${reply.status}${errorCode(reply) ? ` ${errorCode(reply)}` : ''})`;

/** A code bound to an S256 challenge, redeemed with a different (or no) verifier. */
export async function probeVerifier(
  ctx: ProbeContext,
  flow: Flow | undefined,
  variant: 'wrong' | 'missing',
  working: boolean,
): Promise<ProbeResult> {
  const base =
    variant === 'wrong'
      ? {
          id: 'pkce-wrong-verifier' as const,
          title: 'A wrong code_verifier is refused',
          spec: ['RFC7636 4.6'],
        }
      : {
          id: 'pkce-missing-verifier' as const,
          title: 'A missing code_verifier is refused',
          spec: ['RFC7636 4.5', 'RFC7636 4.6', 'RFC9700 2.1.1'],
        };
  if (!working) return { check: skipped(base, NEEDS_TOKEN_EXCHANGE), replies: [] };
  if (!flow?.code)
    return { check: skipped(base, 'no code was obtained for this check'), replies: [] };
  const verifier = variant === 'wrong' ? generateRandomCodeVerifier() : undefined;
  const reply = await postToken(ctx, redeemFields(flow, { code_verifier: verifier }));
  const evidence = [
    `code issued with an S256 challenge; redeemed with ${variant === 'wrong' ? 'another verifier' : 'no code_verifier'}`,
    ...reply.evidence,
  ];
  if (issuedToken(reply)) {
    return {
      check: {
        ...base,
        status: 'fail',
        detail: `tokens were issued with ${variant === 'wrong' ? 'a verifier that does not match the challenge' : 'no code_verifier'}: PKCE is not enforced, so a stolen code can be redeemed`,
        evidence,
      },
      replies: [],
    };
  }
  const expected =
    errorCode(reply) === 'invalid_grant' ||
    (variant === 'missing' && errorCode(reply) === 'invalid_request');
  return {
    check: {
      ...base,
      status: 'pass',
      detail: `${refused(reply)}${expected ? '' : ' — RFC 7636 §4.6 names invalid_grant for this'}`,
      evidence,
    },
    replies: [reply],
  };
}

/** An authorization without any code_challenge: refused at once, or its code unredeemable. */
export function probePkceRequired(
  ctx: ProbeContext,
  redirectUri: string,
  working: boolean,
): Promise<ProbeResult> {
  return probeWeakAuthorization(ctx, redirectUri, working, {
    base: {
      id: 'pkce-required',
      title: 'A code issued without a challenge is refused',
      spec: ['RFC7636 4.4.1', 'RFC9700 2.1.1'],
    },
    pkce: 'none',
    redeem: { code_verifier: undefined },
    refusedAtAuthorization: 'authorization without code_challenge refused',
    redeemed: {
      status: 'fail',
      detail:
        'a code was issued without code_challenge and redeemed without a verifier: require PKCE (answer invalid_request at the authorization endpoint)',
    },
    unredeemable: (reply) => ({
      status: 'warn',
      detail: `a code was issued without code_challenge (its redemption was ${refused(reply)}); reject such requests with error=invalid_request (RFC 7636 §4.4.1)`,
    }),
  });
}

/** code_challenge_method=plain: Business Messages uses S256; plain should be refused. */
export function probePlainRejected(
  ctx: ProbeContext,
  redirectUri: string,
  working: boolean,
): Promise<ProbeResult> {
  return probeWeakAuthorization(ctx, redirectUri, working, {
    base: {
      id: 'pkce-plain-rejected',
      title: 'PKCE method plain is rejected',
      spec: ['RFC7636 4.2', 'RFC7636 7.2', 'RFC9700 2.1.1'],
    },
    pkce: 'plain',
    redeem: {},
    refusedAtAuthorization: 'code_challenge_method=plain refused',
    redeemed: {
      status: 'warn',
      detail:
        'code_challenge_method=plain is accepted: the challenge equals the verifier, so it protects nothing if the authorization request leaks; accept only S256',
    },
    unredeemable: (reply) => ({
      status: 'pass',
      detail: `plain challenge accepted at authorization but the code was ${refused(reply)}`,
    }),
  });
}

type Verdict = Pick<CheckResult, 'status' | 'detail'>;

interface WeakAuthorizationProbe {
  base: Pick<CheckResult, 'id' | 'title' | 'spec'>;
  /** The weakened PKCE the authorization request uses. */
  pkce: 'none' | 'plain';
  /** Token request fields changed from the flow's own. */
  redeem: Record<string, string | undefined>;
  /** Detail prefix when the authorization endpoint refuses outright (a pass). */
  refusedAtAuthorization: string;
  /** Verdict when the weak code is redeemed for tokens. */
  redeemed: Verdict;
  /** Verdict when a code is issued but the token endpoint refuses it. */
  unredeemable: (reply: TokenReply) => Verdict;
}

/**
 * Asks for a code with weakened PKCE; three outcomes: refused at authorization, a code that
 * the token endpoint refuses, or tokens.
 */
async function probeWeakAuthorization(
  ctx: ProbeContext,
  redirectUri: string,
  working: boolean,
  probe: WeakAuthorizationProbe,
): Promise<ProbeResult> {
  const { base } = probe;
  if (!working) return { check: skipped(base, NEEDS_TOKEN_EXCHANGE), replies: [] };
  const flow = await startFlow(ctx, redirectUri, { pkce: probe.pkce });
  const evidence = [...flow.auth.evidence];
  if (!flow.code) {
    const detail = `${probe.refusedAtAuthorization}: ${describeAuthorization(flow.auth)}`;
    return { check: { ...base, status: 'pass', detail, evidence }, replies: [] };
  }
  const reply = await postToken(ctx, redeemFields(flow, probe.redeem));
  evidence.push(...reply.evidence);
  if (issuedToken(reply)) return { check: { ...base, ...probe.redeemed, evidence }, replies: [] };
  return { check: { ...base, ...probe.unredeemable(reply), evidence }, replies: [reply] };
}

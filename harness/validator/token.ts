import {
  allowInsecureRequests,
  authorizationCodeGrantRequest,
  ClientSecretBasic,
  ClientSecretPost,
  customFetch,
  None,
  processAuthorizationCodeResponse,
  validateAuthResponse,
} from 'oauth4webapi';
import { redact } from '../../wire/redact.ts';
import { clientAuthMethod, type ProbeContext, wantsOpenId } from './context.ts';
import { ValidatorError } from './errors.ts';
import { type Flow, redeemFields } from './flows.ts';
import {
  errorCode,
  issuedToken,
  postToken,
  readTokenReply,
  type TokenReply,
} from './token-client.ts';
import type { CheckResult } from './types.ts';
import { NEEDS_TOKEN_EXCHANGE, skipped } from './skipped.ts';

export interface ExchangeOutcome {
  checks: CheckResult[];
  /** The successful token response, when there was one. */
  tokens: Record<string, unknown> | undefined;
  flow: Flow | undefined;
}

/**
 * Redeems a code the way a careful agent does (oauth4webapi: the verifier and the identical
 * redirect_uri), judging the raw answer and then letting the library validate it too.
 */
export async function probeTokenExchange(
  ctx: ProbeContext,
  flow: Flow | undefined,
): Promise<ExchangeOutcome> {
  const exchange = {
    id: 'token-exchange' as const,
    title: 'Code exchange with verifier and identical redirect_uri',
    spec: ['RFC6749 4.1.3', 'RFC6749 5.1', 'RFC7636 4.5'],
  };
  const cache = {
    id: 'token-cache-headers' as const,
    title: 'Token response is not cacheable',
    spec: ['RFC6749 5.1'],
  };
  if (!flow?.code || !flow.auth.callback) {
    const detail = 'no authorization code was obtained (see redirect-uri-1…4)';
    return {
      checks: [
        { ...exchange, status: 'skip', detail, evidence: [] },
        { ...cache, status: 'skip', detail, evidence: [] },
      ],
      tokens: undefined,
      flow,
    };
  }
  const client = { client_id: ctx.clientId };
  const method = clientAuthMethod(ctx);
  const auth =
    method === 'none'
      ? None()
      : method === 'client_secret_post'
        ? ClientSecretPost(ctx.clientSecret ?? '')
        : ClientSecretBasic(ctx.clientSecret ?? '');
  const options = { [customFetch]: ctx.fetch, [allowInsecureRequests]: true };
  const sent = `→ POST ${ctx.server.token_endpoint} (${method}, oauth4webapi) ${JSON.stringify(redact(redeemFields(flow)))}`;
  let reply: TokenReply;
  let libraryProblem: string | undefined;
  try {
    const params = validateAuthResponse(ctx.server, client, flow.auth.callback.params, flow.state);
    const response = await authorizationCodeGrantRequest(
      ctx.server,
      client,
      auth,
      params,
      flow.redirectUri,
      flow.verifier,
      options,
    );
    reply = await readTokenReply(response.clone(), [sent]);
    try {
      await processAuthorizationCodeResponse(ctx.server, client, response, {
        expectedNonce: flow.nonce,
        requireIdToken: wantsOpenId(ctx),
      });
    } catch (error) {
      libraryProblem = error instanceof Error ? error.message : String(error);
    }
  } catch (error) {
    // The library refused the callback itself (e.g. an RFC 9207 `iss` mismatch): redeem raw.
    libraryProblem = error instanceof Error ? error.message : String(error);
    reply = await postToken(ctx, redeemFields(flow));
  }
  const evidence = [
    ...reply.evidence,
    ...(libraryProblem ? [`oauth4webapi: ${libraryProblem}`] : []),
  ];
  const tokens = issuedToken(reply) ? reply.json : undefined;
  const checks: CheckResult[] = [];
  if (!tokens && errorCode(reply) === 'invalid_client') {
    // RFC 6749 §5.2: client authentication failed. That is this run's configuration (wrong
    // secret, or a public client given a secret), not a verdict on the provider.
    throw new ValidatorError(
      'bad_config',
      `the token endpoint refused the client credentials: HTTP ${reply.status} invalid_client (client "${ctx.clientId}", ${method})`,
      ctx.clientSecret === undefined
        ? 'this client seems to need a secret: pass --client-secret (or BM_VALIDATE_CLIENT_SECRET)'
        : 'check --client-id and --client-secret (omit --client-secret for a public client that uses PKCE only)',
    );
  }
  if (!tokens) {
    checks.push({
      ...exchange,
      status: 'fail',
      detail: `the token endpoint refused a correct code exchange: HTTP ${reply.status} ${errorCode(reply) ?? reply.text.slice(0, 120)}`,
      evidence,
    });
    checks.push({
      ...cache,
      status: 'skip',
      detail: 'no successful token response to inspect',
      evidence: [],
    });
    return { checks, tokens: undefined, flow };
  }
  const problems: string[] = [];
  if (typeof tokens.token_type !== 'string' || tokens.token_type.toLowerCase() !== 'bearer')
    problems.push(`token_type is ${JSON.stringify(tokens.token_type)}, expected "Bearer"`);
  if (!/application\/json/i.test(reply.contentType))
    problems.push(
      `content-type is ${JSON.stringify(reply.contentType)}, expected application/json`,
    );
  if (problems.length)
    checks.push({ ...exchange, status: 'fail', detail: problems.join('; '), evidence });
  else if (libraryProblem)
    checks.push({
      ...exchange,
      status: 'warn',
      detail: `tokens were issued, but a standards-conforming client library rejected the response: ${libraryProblem}`,
      evidence,
    });
  else
    checks.push({
      ...exchange,
      status: 'pass',
      detail: `tokens issued (${Object.keys(tokens).join(', ')})`,
      evidence,
    });
  const noStore = (reply.cacheControl ?? '')
    .toLowerCase()
    .split(/\s*,\s*/)
    .includes('no-store');
  const cacheEvidence = [
    `cache-control: ${reply.cacheControl ?? '(none)'}`,
    `pragma: ${reply.pragma ?? '(none)'}`,
  ];
  checks.push(
    noStore
      ? {
          ...cache,
          status: 'pass',
          detail: `Cache-Control: no-store${reply.pragma ? '' : ' (no Pragma: no-cache; obsolete since RFC 9111, harmless)'}`,
          evidence: cacheEvidence,
        }
      : {
          ...cache,
          status: 'fail',
          detail:
            'the token response must carry Cache-Control: no-store so that no cache keeps the tokens',
          evidence: cacheEvidence,
        },
  );
  return { checks, tokens, flow };
}

/** Redeems the already-redeemed code a second time; it must be refused. */
export async function probeCodeReuse(
  ctx: ProbeContext,
  exchanged: ExchangeOutcome,
): Promise<{ check: CheckResult; reply?: TokenReply }> {
  const base = {
    id: 'code-reuse' as const,
    title: 'A code redeemed twice is refused',
    spec: ['RFC6749 4.1.2', 'RFC6749 10.5', 'RFC9700 4.5'],
  };
  if (!exchanged.tokens || !exchanged.flow)
    return { check: skipped(base, 'needs a successful token exchange first') };
  const reply = await postToken(ctx, redeemFields(exchanged.flow));
  return {
    reply,
    check: issuedToken(reply)
      ? {
          ...base,
          status: 'fail',
          detail:
            'the same authorization code was exchanged twice; a code must be single-use (and reuse should revoke the tokens already issued)',
          evidence: reply.evidence,
        }
      : {
          ...base,
          status: 'pass',
          detail:
            `second redemption refused (HTTP ${reply.status} ${errorCode(reply) ?? ''})`.trim(),
          evidence: reply.evidence,
        },
  };
}

/**
 * Redeems a code issued for `…/callback?` with `…/callback`: the two Business Messages URIs
 * differ only by the trailing `?`, and the provider must compare them byte-exact.
 */
export async function probeRedirectMismatch(
  ctx: ProbeContext,
  flow: Flow | undefined,
  otherUri: string,
  working: boolean,
): Promise<{ check: CheckResult; reply?: TokenReply }> {
  const base = {
    id: 'token-redirect-mismatch' as const,
    title: 'A code redeemed with another redirect_uri is refused',
    spec: ['RFC6749 4.1.3'],
  };
  if (!working) return { check: skipped(base, NEEDS_TOKEN_EXCHANGE) };
  if (!flow?.code)
    return { check: skipped(base, 'no code was obtained for the redirect URI this check uses') };
  const reply = await postToken(ctx, redeemFields(flow, { redirect_uri: otherUri }));
  const evidence = [
    `code issued for ${JSON.stringify(flow.redirectUri)}, redeemed with ${JSON.stringify(otherUri)}`,
    ...reply.evidence,
  ];
  return {
    reply,
    check: issuedToken(reply)
      ? {
          ...base,
          status: 'fail',
          detail: `tokens were issued although redirect_uri ${JSON.stringify(otherUri)} differs from the ${JSON.stringify(flow.redirectUri)} the code was issued for; compare them byte-exact`,
          evidence,
        }
      : {
          ...base,
          status: 'pass',
          detail: `refused (HTTP ${reply.status} ${errorCode(reply) ?? ''})`.trim(),
          evidence,
        },
  };
}

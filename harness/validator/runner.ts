import { DEFAULT_SCOPES } from '../../wire/defaults.ts';
import { BUSINESS_MESSAGES_REDIRECT_URIS } from '../../wire/redirect-uris.ts';
import type { ProbeContext } from './context.ts';
import { discover } from './discovery.ts';
import { LOGIN_TROUBLE, type LoginDriver } from './drivers/driver.ts';
import { ValidatorError } from './errors.ts';
import { type Flow, startFlow } from './flows.ts';
import { probeIdToken } from './id-token.ts';
import { probeNearMiss } from './near-miss.ts';
import { probePkceRequired, probePlainRejected, probeVerifier } from './pkce.ts';
import { probeRedirectUris } from './redirect-uris.ts';
import { probeCodeReuse, probeRedirectMismatch, probeTokenExchange } from './token.ts';
import type { TokenReply } from './token-client.ts';
import { probeTokenErrorFormat } from './token-errors.ts';
import { type CheckResult, sortChecks, summarise, type ValidationReport } from './types.ts';
import { probeUserDenies } from './user-denies.ts';

export interface RunValidationOptions {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** Space-separated; default "openid profile" (what the reference agent asks for). */
  scope?: string;
  /** Signs the test user in; see createLoginDriver. The runner closes it. */
  driver: LoginDriver;
  fetch?: typeof fetch;
  /** Progress lines (check ids as they finish), e.g. to stderr. */
  onProgress?: (line: string) => void;
}

const [URI_1, URI_2] = BUSINESS_MESSAGES_REDIRECT_URIS;

/**
 * Probes a partner's provider the way the Business Messages flow uses it and returns the
 * report. Throws ValidatorError when the harness cannot judge (issuer unreachable, no
 * metadata, the test user cannot be signed in at all).
 */
export async function runValidation(options: RunValidationOptions): Promise<ValidationReport> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const progress = options.onProgress ?? (() => {});
  const checks: CheckResult[] = [];
  const add = (...results: CheckResult[]) => {
    for (const r of results) progress(`${r.status.toUpperCase().padEnd(6)} ${r.id}`);
    checks.push(...results);
  };
  try {
    const discovered = await discover(options.issuer, fetchImpl);
    add(...discovered.checks);
    const ctx: ProbeContext = {
      issuer: options.issuer,
      server: discovered.server,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      scope: options.scope ?? DEFAULT_SCOPES.join(' '),
      driver: options.driver,
      fetch: fetchImpl,
    };
    const { checks: uriChecks, flows } = await probeRedirectUris(ctx);
    add(...uriChecks);
    const working = flows.find((f) => f.code);
    if (!working) assertSignInPossible(flows);
    const workingUri = working?.redirectUri ?? URI_1;

    const exchanged = await probeTokenExchange(ctx, flows[0]?.code ? flows[0] : working);
    add(...exchanged.checks);
    const ok = exchanged.tokens !== undefined;
    const replies: TokenReply[] = [];
    const collect = (r: { check: CheckResult; reply?: TokenReply; replies?: TokenReply[] }) => {
      add(r.check);
      if (r.reply) replies.push(r.reply);
      if (r.replies) replies.push(...r.replies);
    };
    // Each refusal check redeems its own code: a pre-made one when that URI worked, else fresh.
    const fresh = async (index: number, uri = workingUri): Promise<Flow | undefined> => {
      const flow = flows[index];
      if (flow?.code && flow !== exchanged.flow) return flow;
      return ok ? startFlow(ctx, uri) : undefined;
    };
    collect(await probeVerifier(ctx, await fresh(2), 'wrong', ok));
    collect(await probeVerifier(ctx, await fresh(3), 'missing', ok));
    collect(await probePkceRequired(ctx, workingUri, ok));
    collect(await probePlainRejected(ctx, workingUri, ok));
    collect(await probeCodeReuse(ctx, exchanged));
    // A code for `…/callback?` redeemed with `…/callback` (the trailing-`?` trap), or the reverse.
    const mismatchFlow = await fresh(1, flows[1]?.code ? URI_2 : workingUri);
    const otherUri = mismatchFlow?.redirectUri === URI_1 ? URI_2 : URI_1;
    collect(await probeRedirectMismatch(ctx, mismatchFlow, otherUri, ok));
    add(await probeTokenErrorFormat(ctx, replies));
    add(await probeUserDenies(ctx, workingUri));
    add(await probeIdToken(ctx, exchanged));
    add(await probeNearMiss(ctx));
  } finally {
    await options.driver.close();
  }
  const sorted = sortChecks(checks);
  return { issuer: options.issuer, checks: sorted, summary: summarise(sorted) };
}

/** No redirect URI produced a code: tell sign-in trouble (exit 2) from a provider verdict. */
function assertSignInPossible(flows: Flow[]): void {
  assertClientKnown(flows);
  const troubles = flows.flatMap((f) =>
    f.auth.outcome.kind === 'stopped' && LOGIN_TROUBLE.has(f.auth.outcome.code)
      ? [f.auth.outcome]
      : [],
  );
  if (troubles.length !== flows.length) return;
  const first = troubles[0]!;
  const hints: Record<string, string> = {
    login_form_not_found:
      'if the page shown is an error about the client or redirect_uri, register the four Business Messages redirect URIs for this client; if the login page needs JavaScript, use --login browser; otherwise use --login manual',
    login_rejected: 'check --username and --password (the provider showed its login form again)',
    consent_choice_not_found:
      'the consent page has no recognisable Allow button; use --login browser or --login manual',
    network_error:
      'the provider could not be reached during sign-in; check that every host of the login flow is reachable',
    timeout: 'the sign-in took too long; check the provider is responsive',
    too_many_steps: 'the sign-in looped; check the provider accepts the client and redirect URI',
  };
  throw new ValidatorError(
    'login_failed',
    `could not sign the test user in with any Business Messages redirect URI: ${first.code}: ${first.message}`,
    hints[first.code] ?? 'try --login manual',
  );
}

/**
 * Every authorization request ended on an error about the client itself (RFC 6749 §4.1.2.1:
 * the provider must not redirect for an invalid client_id): the --client-id is wrong, which
 * is configuration, not four redirect-URI verdicts.
 */
function assertClientKnown(flows: Flow[]): void {
  const unknownClient =
    /\binvalid_client\b|\b(unknown|invalid) client\b|\bclient (not found|is invalid|is unknown)\b/i;
  const refused = flows.filter((f) => {
    const outcome = f.auth.outcome;
    return (
      outcome.kind === 'stopped' &&
      unknownClient.test(`${outcome.message} ${outcome.pageText ?? ''}`)
    );
  });
  if (flows.length === 0 || refused.length !== flows.length) return;
  const first = refused[0]!.auth.outcome as { message: string; pageText?: string; status?: number };
  // The page text says what the provider objected to; the message leads with the long URL.
  const said = first.pageText ? `HTTP ${first.status ?? '?'}: ${first.pageText}` : first.message;
  throw new ValidatorError(
    'bad_config',
    `the provider refused the client at its authorization endpoint (${said.slice(0, 240)})`,
    'check --client-id: the client must exist at this issuer with the four Business Messages redirect URIs registered',
  );
}

import { redactUrl } from '../../wire/redact.ts';
import { BUSINESS_MESSAGES_REDIRECT_URIS } from '../../wire/redirect-uris.ts';
import { describeAuthorization } from './authorize.ts';
import { appendProblems } from './callback.ts';
import type { ProbeContext } from './context.ts';
import { type Flow, startFlow } from './flows.ts';
import type { CheckId, CheckResult } from './types.ts';

const SPEC = ['RFC6749 3.1.2', 'RFC6749 4.1.2', 'BM-OAuth redirect URIs'];

/**
 * Signs in once per Business Messages redirect URI (SPEC §2.2, in order) and checks that the
 * provider accepts it and appends `code` and `state` with exactly one separator, keeping
 * `az-intent-type=1`. The four resulting codes feed the token checks.
 */
export async function probeRedirectUris(
  ctx: ProbeContext,
): Promise<{ checks: CheckResult[]; flows: Flow[] }> {
  const flows: Flow[] = [];
  const checks: CheckResult[] = [];
  for (const [i, uri] of BUSINESS_MESSAGES_REDIRECT_URIS.entries()) {
    const flow = await startFlow(ctx, uri);
    flows.push(flow);
    checks.push(judgeRedirect(`redirect-uri-${i + 1}` as CheckId, uri, flow));
  }
  checks.push(judgeState(flows));
  return { checks, flows };
}

function judgeRedirect(id: CheckId, uri: string, flow: Flow): CheckResult {
  const base = { id, title: `Redirect URI ${JSON.stringify(uri)} accepted`, spec: SPEC };
  const cb = flow.auth.callback;
  const evidence = flow.auth.evidence;
  if (!cb || cb.params.has('error') || !isTo(cb.raw, uri)) {
    return {
      ...base,
      status: 'fail',
      detail: `the sign-in did not come back to ${uri} with a code: ${describeAuthorization(flow.auth)}. Register all four Business Messages redirect URIs byte-exact (trailing ? and & included).`,
      evidence,
    };
  }
  const problems = appendProblems(cb, uri);
  if (!flow.code) problems.push('a URL parser finds no "code" parameter in it');
  if (!cb.params.has('state')) problems.push('no state parameter');
  return problems.length
    ? {
        ...base,
        status: 'fail',
        detail: `code and state were appended wrongly to ${JSON.stringify(uri)}: ${problems.join('; ')} (got ${redactUrl(cb.raw)}). Append parameters to the registered URI with a single separator (RFC 6749 §3.1.2 keeps the registered query).`,
        evidence,
      }
    : { ...base, status: 'pass', detail: 'accepted; code and state appended correctly', evidence };
}

/** The redirect went to `uri` (however badly the parameters were appended). */
function isTo(location: string, uri: string): boolean {
  const base = uri.split('?')[0]!;
  return location.startsWith(base) && /^[?&#]|^$/.test(location.slice(base.length));
}

function judgeState(flows: Flow[]): CheckResult {
  const base = {
    id: 'state-preserved' as const,
    title: 'state returned unchanged',
    spec: ['RFC6749 4.1.2', 'RFC6749 10.12'],
  };
  const answered = flows.filter((f) => f.auth.callback);
  if (answered.length === 0) {
    return {
      ...base,
      status: 'skip',
      detail: 'no authorization came back to a redirect URI',
      evidence: [],
    };
  }
  const wrong = answered.filter((f) => f.auth.callback?.params.get('state') !== f.state);
  const evidence = answered.map(
    (f) =>
      `${f.redirectUri}: sent state ${JSON.stringify(f.state)}, got ${JSON.stringify(f.auth.callback?.params.get('state') ?? null)}`,
  );
  return wrong.length
    ? {
        ...base,
        status: 'fail',
        detail: `state came back altered or missing for ${wrong.map((f) => f.redirectUri).join(', ')}; it must be returned exactly as received`,
        evidence,
      }
    : {
        ...base,
        status: 'pass',
        detail: `returned unchanged in ${answered.length} redirect(s)`,
        evidence,
      };
}

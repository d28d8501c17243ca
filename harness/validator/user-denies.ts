import { describeAuthorization } from './authorize.ts';
import type { ProbeContext } from './context.ts';
import { startFlow } from './flows.ts';
import type { CheckResult } from './types.ts';

/**
 * The user presses Deny: the provider must send them back with error=access_denied and the
 * state, which Google turns into errorDetails.error ACCESS_DENIED for the agent (SPEC §2.5).
 */
export async function probeUserDenies(
  ctx: ProbeContext,
  redirectUri: string,
): Promise<CheckResult> {
  const base = {
    id: 'user-denies' as const,
    title: 'User denial returns access_denied with state',
    spec: ['RFC6749 4.1.2.1'],
  };
  const flow = await startFlow(ctx, redirectUri, { consent: 'deny' });
  const { auth } = flow;
  const evidence = auth.evidence;
  if (auth.outcome.kind === 'stopped') {
    if (auth.outcome.code === 'consent_choice_not_found') {
      return {
        ...base,
        status: 'review',
        detail: `the consent page offers no control the validator recognises as Deny: ${auth.outcome.message}. Check by hand that refusing redirects with error=access_denied&state=…`,
        evidence,
      };
    }
    return {
      ...base,
      status: 'fail',
      detail: `after Deny the user was not sent back to the redirect URI: ${describeAuthorization(auth)}. Google never learns of the refusal and the conversation hangs.`,
      evidence,
    };
  }
  const params = auth.callback?.params;
  if (params?.has('code') && !params.has('error')) {
    if (auth.outcome.consentShown === false) {
      return {
        ...base,
        status: 'review',
        detail:
          'the provider showed no consent page (the client is pre-approved), so denial could not be exercised; check by hand that a refusal redirects with error=access_denied&state=…',
        evidence,
      };
    }
    return {
      ...base,
      status: 'fail',
      detail: 'the user chose Deny but the provider issued a code',
      evidence,
    };
  }
  const error = params?.get('error');
  const state = params?.get('state');
  if (error !== 'access_denied') {
    return {
      ...base,
      status: 'fail',
      detail: `denial came back as error=${JSON.stringify(error ?? null)}; RFC 6749 §4.1.2.1 uses access_denied`,
      evidence,
    };
  }
  if (state !== flow.state) {
    return {
      ...base,
      status: 'fail',
      detail: `access_denied came back with state ${JSON.stringify(state ?? null)} instead of the ${JSON.stringify(flow.state)} sent`,
      evidence,
    };
  }
  return {
    ...base,
    status: 'pass',
    detail: 'error=access_denied with the original state',
    evidence,
  };
}

import type { CheckResult } from './types.ts';

export const NEEDS_TOKEN_EXCHANGE = 'needs a working token exchange first (see token-exchange)';

/** A check that did not apply: no evidence, one sentence saying why. */
export function skipped(
  base: Pick<CheckResult, 'id' | 'title' | 'spec'>,
  detail: string,
): CheckResult {
  return { ...base, status: 'skip', detail, evidence: [] };
}

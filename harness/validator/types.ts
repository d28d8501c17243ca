/** Verdict of one check. fail = a MUST broken; warn = a SHOULD; review = a person must look. */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'review' | 'skip';

export const CHECK_STATUSES: readonly CheckStatus[] = ['pass', 'fail', 'warn', 'review', 'skip'];

/** Stable ids (SPEC §4), in report order. */
export const CHECK_IDS = [
  'discovery',
  'discovery-pkce-s256',
  'redirect-uri-1',
  'redirect-uri-2',
  'redirect-uri-3',
  'redirect-uri-4',
  'redirect-uri-near-miss',
  'state-preserved',
  'token-exchange',
  'token-cache-headers',
  'pkce-wrong-verifier',
  'pkce-missing-verifier',
  'pkce-required',
  'pkce-plain-rejected',
  'code-reuse',
  'token-redirect-mismatch',
  'token-error-format',
  'user-denies',
  'id-token',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

export interface CheckResult {
  id: CheckId;
  title: string;
  status: CheckStatus;
  /** Spec clauses the verdict rests on, e.g. "RFC7636 4.6". */
  spec: string[];
  /** One paragraph a partner can act on. */
  detail: string;
  /** What was sent and what came back, secrets redacted (wire/redact.ts). */
  evidence: string[];
}

export interface ValidationReport {
  issuer: string;
  checks: CheckResult[];
  summary: Record<CheckStatus, number>;
}

export type LoginMode = 'auto' | 'browser' | 'manual';

export function summarise(checks: readonly CheckResult[]): Record<CheckStatus, number> {
  const summary: Record<CheckStatus, number> = { pass: 0, fail: 0, warn: 0, review: 0, skip: 0 };
  for (const check of checks) summary[check.status]++;
  return summary;
}

export function sortChecks(checks: CheckResult[]): CheckResult[] {
  return [...checks].sort((a, b) => CHECK_IDS.indexOf(a.id) - CHECK_IDS.indexOf(b.id));
}

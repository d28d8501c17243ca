import type { CheckStatus, ValidationReport } from '../types.ts';

const MARK: Record<CheckStatus, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  warn: 'WARN',
  review: 'REVIEW',
  skip: 'SKIP',
};

/**
 * A table a person reads in a terminal: one row per check, then the details and evidence of
 * everything that is not a plain pass.
 */
export function renderText(report: ValidationReport, options: { verbose?: boolean } = {}): string {
  const idWidth = Math.max(...report.checks.map((c) => c.id.length), 5);
  const lines = [`Business Messages OAuth conformance — issuer ${report.issuer}`, ''];
  lines.push(`${'CHECK'.padEnd(idWidth)}  STATUS  SPEC`);
  lines.push(`${'-'.repeat(idWidth)}  ------  ${'-'.repeat(30)}`);
  for (const c of report.checks) {
    lines.push(`${c.id.padEnd(idWidth)}  ${MARK[c.status].padEnd(6)}  ${c.spec.join(', ')}`);
  }
  const noteworthy = report.checks.filter((c) => options.verbose || c.status !== 'pass');
  if (noteworthy.length) lines.push('', 'Details');
  for (const c of noteworthy) {
    lines.push('', `[${MARK[c.status]}] ${c.id} — ${c.title}`, `  ${c.detail}`);
    for (const e of c.evidence) lines.push(`    ${e}`);
  }
  const s = report.summary;
  lines.push(
    '',
    `${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.review} review, ${s.skip} skip`,
    s.fail
      ? 'Result: FAIL — the provider breaks requirements the Business Messages flow relies on.'
      : 'Result: no failures.',
  );
  return `${lines.join('\n')}\n`;
}

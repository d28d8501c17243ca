import type { ValidationReport } from '../types.ts';

/** SPEC §4 shape; `evidence` (redacted) is an addition each check carries. */
export function renderJson(report: ValidationReport): string {
  const body = {
    issuer: report.issuer,
    checks: report.checks.map((c) => ({
      id: c.id,
      title: c.title,
      status: c.status,
      spec: c.spec,
      detail: c.detail,
      evidence: c.evidence,
    })),
    summary: report.summary,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

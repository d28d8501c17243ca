import { createAutoDriver } from '../drivers/auto-driver.ts';
import type { LoginDriver } from '../drivers/driver.ts';
import { runValidation } from '../runner.ts';
import type { CheckStatus, ValidationReport } from '../types.ts';

/** TEST ONLY. Ids of the checks with `status`, sorted, for set assertions. */
export function idsWith(report: ValidationReport, status: CheckStatus): string[] {
  return report.checks
    .filter((c) => c.status === status)
    .map((c) => c.id)
    .sort();
}

export interface ProbeTarget {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  username: string;
  password: string;
  scope?: string;
  driver?: LoginDriver;
}

export function probe(target: ProbeTarget): Promise<ValidationReport> {
  return runValidation({
    issuer: target.issuer,
    clientId: target.clientId,
    clientSecret: target.clientSecret,
    scope: target.scope,
    driver:
      target.driver ?? createAutoDriver({ username: target.username, password: target.password }),
  });
}

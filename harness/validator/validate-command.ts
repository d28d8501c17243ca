import { writeFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { DEFAULT_SCOPES } from '../../wire/defaults.ts';
import { createLoginDriver } from './drivers/create-driver.ts';
import { ValidatorError } from './errors.ts';
import { renderJson } from './report/render-json.ts';
import { renderJunit } from './report/render-junit.ts';
import { renderText } from './report/render-text.ts';
import { runValidation } from './runner.ts';
import type { LoginMode, ValidationReport } from './types.ts';

export type ReportFormat = 'text' | 'json' | 'junit';

export interface ValidateFlags {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  scope?: string;
  login?: LoginMode;
  username?: string;
  password?: string;
  format?: ReportFormat;
  out?: string;
  chromium?: string;
  verbose?: boolean;
  quiet?: boolean;
}

export interface ValidateIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  fetch?: typeof fetch;
}

export const EXIT_OK = 0;
export const EXIT_FAILURES = 1;
export const EXIT_HARNESS_ERROR = 2;

export function renderReport(
  report: ValidationReport,
  format: ReportFormat,
  verbose = false,
): string {
  if (format === 'json') return renderJson(report);
  if (format === 'junit') return renderJunit(report);
  return renderText(report, { verbose });
}

/**
 * `bm-harness validate`: runs the probe and writes the report; resolves to the exit code
 * (0 no FAIL, 1 some FAIL, 2 the harness or its configuration failed).
 */
export async function validateCommand(flags: ValidateFlags, io: ValidateIo): Promise<number> {
  const format = flags.format ?? 'text';
  try {
    if (!/^https?:\/\//i.test(flags.issuer)) {
      throw new ValidatorError(
        'bad_config',
        `--issuer ${JSON.stringify(flags.issuer)} is not an http(s) URL`,
        'pass the issuer identifier, e.g. https://login.example.com',
      );
    }
    const driver = await createLoginDriver({
      mode: flags.login ?? 'auto',
      username: flags.username,
      password: flags.password,
      chromiumPath: flags.chromium,
      fetch: io.fetch,
      input: io.stdin,
      output: io.stderr,
    });
    const report = await runValidation({
      issuer: flags.issuer,
      clientId: flags.clientId,
      clientSecret: flags.clientSecret,
      scope: flags.scope ?? DEFAULT_SCOPES.join(' '),
      driver,
      fetch: io.fetch,
      onProgress: flags.quiet ? undefined : (line) => io.stderr.write(`  ${line}\n`),
    });
    const rendered = renderReport(report, format, flags.verbose);
    if (flags.out) {
      await writeFile(flags.out, rendered);
      const s = report.summary;
      io.stderr.write(
        `report written to ${flags.out}: ${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.review} review, ${s.skip} skip\n`,
      );
    } else {
      io.stdout.write(rendered);
    }
    return report.summary.fail > 0 ? EXIT_FAILURES : EXIT_OK;
  } catch (error) {
    if (error instanceof ValidatorError) {
      io.stderr.write(`bm-harness validate: ${error.message}\n  what to do: ${error.hint}\n`);
    } else {
      io.stderr.write(
        `bm-harness validate: harness error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    return EXIT_HARNESS_ERROR;
  }
}

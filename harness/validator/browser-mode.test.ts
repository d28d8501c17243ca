import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockProvider, type MockProvider } from '../../mock-provider/index.ts';
import { TEST_CONFIDENTIAL_CLIENT, TEST_USERS } from '../../wire/defaults.ts';
import { createBrowserDriver, DEFAULT_CHROMIUM } from './drivers/browser-driver.ts';
import { ValidatorError } from './errors.ts';
import {
  FOREIGN_CLIENT,
  FOREIGN_USER,
  type ForeignProvider,
  startForeignProvider,
} from './test-support/foreign-provider.ts';
import { idsWith, probe } from './test-support/run.ts';
import { CHECK_IDS } from './types.ts';

/**
 * Runs in CI: the browser mode must not silently skip. A machine without Chromium fails here
 * with the instruction to install it.
 */
function requireChromium(): void {
  if (!existsSync(DEFAULT_CHROMIUM)) {
    throw new Error(
      `${DEFAULT_CHROMIUM} is missing: run scripts/install-chromium.sh (as root) so the validator's browser mode can be tested`,
    );
  }
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('validator --login browser (headless Chromium)', () => {
  it('signs in to the mock provider and reaches the same verdicts, raw Location included', async () => {
    requireChromium();
    const provider: MockProvider = await createMockProvider({
      port: 0,
      quiet: true,
      misbehave: { reusableCodes: true },
    });
    closers.push(() => provider.close());
    const driver = await createBrowserDriver(TEST_USERS.alice);
    const report = await probe({
      issuer: provider.issuer,
      ...TEST_CONFIDENTIAL_CLIENT,
      ...TEST_USERS.alice,
      driver,
    });
    expect(idsWith(report, 'fail')).toEqual(['code-reuse']);
    expect(report.summary.pass).toBe(CHECK_IDS.length - 1);
    const uri2 = report.checks.find((c) => c.id === 'redirect-uri-2')!;
    expect(uri2.evidence.join('\n')).toContain('[raw Location header (browser)]');
  }, 120_000);

  it('signs in where the login form exists only after JavaScript runs', async () => {
    requireChromium();
    const provider: ForeignProvider = await startForeignProvider({ scriptedLogin: true });
    closers.push(() => provider.close());
    const driver = await createBrowserDriver(FOREIGN_USER);
    const report = await probe({
      issuer: provider.issuer,
      ...FOREIGN_CLIENT,
      ...FOREIGN_USER,
      scope: 'openid email',
      driver,
    });
    expect(
      report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.detail}`),
    ).toEqual([]);
  }, 120_000);

  it('says how to install Chromium when the executable is missing', async () => {
    const error = await createBrowserDriver({
      ...TEST_USERS.alice,
      executablePath: '/nonexistent/chromium',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidatorError);
    expect((error as ValidatorError).code).toBe('browser_unavailable');
    expect((error as ValidatorError).hint).toContain('scripts/install-chromium.sh');
  });
});

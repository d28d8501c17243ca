import { afterEach, describe, expect, it } from 'vitest';
import { ValidatorError } from './errors.ts';
import {
  FOREIGN_CLIENT,
  FOREIGN_USER,
  type ForeignFlaws,
  type ForeignProvider,
  startForeignProvider,
} from './test-support/foreign-provider.ts';
import { idsWith, probe } from './test-support/run.ts';
import { CHECK_IDS } from './types.ts';

let provider: ForeignProvider | undefined;
afterEach(async () => {
  await provider?.close();
  provider = undefined;
});

async function validateForeign(flaws: ForeignFlaws = {}) {
  provider = await startForeignProvider(flaws);
  return probe({
    issuer: provider.issuer,
    ...FOREIGN_CLIENT,
    ...FOREIGN_USER,
    scope: 'openid email',
  });
}

describe('validator against a provider written differently (RFC 8414 only, CSRF login, consent page)', () => {
  it('signs in over HTTP and passes every check', async () => {
    const report = await validateForeign();
    expect(
      report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.detail}`),
    ).toEqual([]);
    expect(report.checks).toHaveLength(CHECK_IDS.length);
    const discovery = report.checks.find((c) => c.id === 'discovery')!;
    expect(discovery.detail).toContain('RFC 8414 metadata found at');
    expect(discovery.detail).toContain('/.well-known/oauth-authorization-server/tenants/acme');
    const exchange = report.checks.find((c) => c.id === 'token-exchange')!;
    expect(exchange.evidence.join('\n')).toContain('client_secret_post');
  });

  const cases: Array<[keyof ForeignFlaws, string[]]> = [
    ['naiveAppend', ['redirect-uri-2', 'redirect-uri-3', 'redirect-uri-4']],
    ['cacheableTokens', ['token-cache-headers']],
    ['ignoreRedirectUriAtToken', ['token-redirect-mismatch']],
    ['denyWithoutState', ['user-denies']],
  ];
  it.each(cases)('flaw %s fails exactly %j', async (flaw, fails) => {
    const report = await validateForeign({ [flaw]: true });
    expect(idsWith(report, 'fail')).toEqual(fails);
    expect(report.summary.fail + report.summary.pass).toBe(CHECK_IDS.length);
  });

  it('asks for a person to review denial when no consent page is shown', async () => {
    const report = await validateForeign({ skipConsent: true });
    expect(idsWith(report, 'review')).toEqual(['user-denies']);
    expect(idsWith(report, 'fail')).toEqual([]);
  });

  it('fails id-token (jose) and warns on token-exchange (oauth4webapi) for a wrong audience', async () => {
    const report = await validateForeign({ idTokenForOtherAudience: true });
    expect(idsWith(report, 'fail')).toEqual(['id-token']);
    expect(idsWith(report, 'warn')).toEqual(['token-exchange']);
    expect(report.checks.find((c) => c.id === 'id-token')!.detail).toContain('"aud"');
  });

  it('names the doubled separators when code and state are appended naively', async () => {
    const report = await validateForeign({ naiveAppend: true });
    const detail = report.checks.find((c) => c.id === 'redirect-uri-2')!.detail;
    expect(detail).toContain('"??"');
    expect(JSON.stringify(report)).not.toMatch(/code=(?!\[redacted)[A-Za-z0-9_-]{10}/);
  });

  it('is a harness error (exit 2 material) when the login form needs JavaScript', async () => {
    provider = await startForeignProvider({ scriptedLogin: true });
    const error = await probe({
      issuer: provider.issuer,
      ...FOREIGN_CLIENT,
      ...FOREIGN_USER,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidatorError);
    expect((error as ValidatorError).code).toBe('login_failed');
    expect((error as ValidatorError).message).toContain('login_form_not_found');
    expect((error as ValidatorError).hint).toContain('--login browser');
  });
});

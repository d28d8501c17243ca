import { afterEach, describe, expect, it } from 'vitest';
import {
  createMockProvider,
  type MisbehaveInput,
  type MockProvider,
} from '../../mock-provider/index.ts';
import { TEST_CONFIDENTIAL_CLIENT, TEST_PUBLIC_CLIENT, TEST_USERS } from '../../wire/defaults.ts';
import { idsWith, probe } from './test-support/run.ts';
import { CHECK_IDS } from './types.ts';

let provider: MockProvider | undefined;
afterEach(async () => {
  await provider?.close();
  provider = undefined;
});

async function validateMock(
  misbehave?: MisbehaveInput,
  client: { clientId: string; clientSecret?: string } = TEST_CONFIDENTIAL_CLIENT,
) {
  provider = await createMockProvider({ port: 0, quiet: true, misbehave });
  return probe({ issuer: provider.issuer, ...client, ...TEST_USERS.alice });
}

describe('validator against the mock provider', () => {
  it('passes every check in the default configuration', async () => {
    const report = await validateMock();
    expect(report.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    expect(
      report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.detail}`),
    ).toEqual([]);
    expect(report.summary).toEqual({
      pass: CHECK_IDS.length,
      fail: 0,
      warn: 0,
      review: 0,
      skip: 0,
    });
    // Secrets never reach the report.
    const text = JSON.stringify(report);
    expect(text).not.toContain(TEST_USERS.alice.password);
    expect(text).not.toContain(TEST_CONFIDENTIAL_CLIENT.clientSecret);
    expect(text).not.toMatch(/[?&]code=(?!\[redacted)/);
  });

  it('works for the public client too (no client secret, client_id in the body)', async () => {
    const report = await validateMock(undefined, TEST_PUBLIC_CLIENT);
    expect(idsWith(report, 'fail')).toEqual([]);
    expect(report.summary.pass).toBe(CHECK_IDS.length);
  });

  const cases: Array<[string, MisbehaveInput, string[], string[]]> = [
    ['lenientRedirect', { lenientRedirect: true }, ['redirect-uri-near-miss'], []],
    [
      'pkceNotEnforced',
      { pkceNotEnforced: true },
      ['pkce-missing-verifier', 'pkce-required', 'pkce-wrong-verifier'],
      ['pkce-plain-rejected'],
    ],
    ['allowPlainPkce', { allowPlainPkce: true }, [], ['pkce-plain-rejected']],
    ['reusableCodes', { reusableCodes: true }, ['code-reuse'], []],
    ['nonStandardErrors (message)', { nonStandardErrors: 'message' }, ['token-error-format'], []],
    ['nonStandardErrors (html)', { nonStandardErrors: 'html' }, ['token-error-format'], []],
  ];
  it.each(cases)(
    'misbehave %s fails exactly the expected checks',
    async (_name, misbehave, fails, warns) => {
      const report = await validateMock(misbehave);
      expect(idsWith(report, 'fail')).toEqual(fails);
      expect(idsWith(report, 'warn')).toEqual(warns);
      expect(idsWith(report, 'skip')).toEqual([]);
      for (const id of fails) {
        const check = report.checks.find((c) => c.id === id)!;
        expect(check.spec.length).toBeGreaterThan(0);
        expect(check.evidence.length).toBeGreaterThan(0);
      }
    },
  );

  // A wrong --client-secret or --client-id is the partner's configuration, not a verdict on
  // the provider: exit 2 with what to check, not FAIL token-exchange / redirect-uri-1…4.
  it('a wrong client secret is a configuration error naming --client-secret', async () => {
    provider = await createMockProvider({ port: 0, quiet: true });
    await expect(
      probe({
        issuer: provider.issuer,
        clientId: TEST_CONFIDENTIAL_CLIENT.clientId,
        clientSecret: 'not-the-secret',
        ...TEST_USERS.alice,
      }),
    ).rejects.toMatchObject({
      name: 'ValidatorError',
      code: 'bad_config',
      message: expect.stringContaining('invalid_client'),
      hint: expect.stringContaining('--client-secret'),
    });
  });

  it('a client id the provider does not know is a configuration error naming --client-id', async () => {
    provider = await createMockProvider({ port: 0, quiet: true });
    await expect(
      probe({ issuer: provider.issuer, clientId: 'no-such-client', ...TEST_USERS.alice }),
    ).rejects.toMatchObject({
      name: 'ValidatorError',
      code: 'bad_config',
      hint: expect.stringContaining('--client-id'),
    });
  });
});

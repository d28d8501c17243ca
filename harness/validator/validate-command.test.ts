import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockProvider, type MockProvider } from '../../mock-provider/index.ts';
import { TEST_CONFIDENTIAL_CLIENT, TEST_USERS } from '../../wire/defaults.ts';
import { validateCommand } from './validate-command.ts';

let provider: MockProvider | undefined;
afterEach(async () => {
  await provider?.close();
  provider = undefined;
});

async function run(flags: Parameters<typeof validateCommand>[0]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  const code = await validateCommand(flags, { stdout, stderr, stdin: new PassThrough() });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const alice = TEST_USERS.alice;

describe('bm-harness validate (command)', () => {
  it('exit 0 with a JSON report when nothing fails', async () => {
    provider = await createMockProvider({ port: 0, quiet: true });
    const result = await run({
      issuer: provider.issuer,
      ...TEST_CONFIDENTIAL_CLIENT,
      ...alice,
      format: 'json',
      quiet: true,
    });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.issuer).toBe(provider.issuer);
    expect(report.summary.fail).toBe(0);
  });

  it('exit 1 when a check fails, report written to --out', async () => {
    provider = await createMockProvider({
      port: 0,
      quiet: true,
      misbehave: { reusableCodes: true },
    });
    const dir = await mkdtemp(join(tmpdir(), 'bm-validate-'));
    try {
      const out = join(dir, 'report.xml');
      const result = await run({
        issuer: provider.issuer,
        ...TEST_CONFIDENTIAL_CLIENT,
        ...alice,
        format: 'junit',
        out,
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('FAIL   code-reuse');
      expect(result.stderr).toContain(`report written to ${out}`);
      expect(await readFile(out, 'utf8')).toContain(
        '<testcase classname="bm-harness.validate" name="code-reuse"><failure',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exit 2 with what to do: unreachable issuer, wrong password, missing credentials', async () => {
    provider = await createMockProvider({ port: 0, quiet: true });
    const deadIssuer = 'http://127.0.0.1:9/';
    const unreachable = await run({ issuer: deadIssuer, clientId: 'x', ...alice });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain('cannot reach the issuer');
    expect(unreachable.stderr).toContain('what to do:');

    const rejected = await run({
      issuer: provider.issuer,
      ...TEST_CONFIDENTIAL_CLIENT,
      username: 'alice',
      password: 'not-alices-pw-x9',
      quiet: true,
    });
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toContain('login_rejected');
    expect(rejected.stderr).toContain('check --username and --password');
    expect(rejected.stderr).not.toContain('not-alices-pw-x9');

    const missing = await run({ issuer: provider.issuer, ...TEST_CONFIDENTIAL_CLIENT });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('needs --username and --password');
  });

  it('exit 2 when --login manual runs out of standard input (no verdicts from nobody)', async () => {
    provider = await createMockProvider({ port: 0, quiet: true });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: string[] = [];
    const err: string[] = [];
    stdout.on('data', (c: Buffer) => out.push(c.toString()));
    stderr.on('data', (c: Buffer) => err.push(c.toString()));
    const stdin = new PassThrough();
    stdin.end(); // e.g. CI with </dev/null: nobody will ever paste an address
    const code = await validateCommand(
      { issuer: provider.issuer, ...TEST_CONFIDENTIAL_CLIENT, login: 'manual', format: 'json' },
      { stdout, stderr, stdin },
    );
    expect(code).toBe(2);
    expect(out.join('')).toBe('');
    expect(err.join('')).toContain('standard input ended');
    expect(err.join('')).toContain('what to do:');
  });
});

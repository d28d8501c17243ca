/**
 * `npm run dev:all` as users run it (issue 5): three processes on non-default ports, the
 * ready block, `bm-harness simulate` against them, and a clean Ctrl-C.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../wire/package-root.ts';

const run = promisify(execFile);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let child: ChildProcess;
let output = '';
let emulatorUrl = '';
let allUrls: string[] = [];

beforeAll(async () => {
  const [provider, emulator, agent] = [await freePort(), await freePort(), await freePort()];
  emulatorUrl = `http://127.0.0.1:${emulator}`;
  allUrls = [provider, emulator, agent].map((port) => `http://127.0.0.1:${port}/`);
  child = spawn(
    process.execPath,
    [
      'scripts/dev-all.ts',
      `--provider-port=${provider}`,
      `--emulator-port=${emulator}`,
      `--agent-port=${agent}`,
    ],
    { cwd: PACKAGE_ROOT, env: { ...process.env, FORCE_COLOR: '0' }, stdio: 'pipe' },
  );
  child.stdout!.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const deadline = Date.now() + 30_000;
  while (!output.includes('is ready')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`dev:all did not become ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}, 40_000);

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

async function simulate(...args: string[]) {
  try {
    const { stdout } = await run(
      process.execPath,
      ['harness/cli/main.ts', 'simulate', '--emulator', emulatorUrl, '--json', ...args],
      { cwd: PACKAGE_ROOT },
    );
    return { code: 0, result: JSON.parse(stdout) };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, result: e.stdout ? JSON.parse(e.stdout) : undefined };
  }
}

describe('dev:all', () => {
  it('prints one ready block listing every URL, with prefixed logs', () => {
    expect(output.match(/is ready/g)).toHaveLength(1);
    expect(output).toContain(emulatorUrl);
    expect(output).toMatch(/\[provider\]/);
    expect(output).toMatch(/\[emulator\]/);
    expect(output).toMatch(/\[agent\]/);
  });

  it('runs a sign-in end to end: simulate exits 0 with the user', async () => {
    const { code, result } = await simulate('--user', 'bob');
    expect(code).toBe(0);
    expect(result).toMatchObject({ ok: true, user: { username: 'bob' } });
    expect(result.agentReply).toMatch(/Signed in as Bob/);
  });

  it('runs a denial and an abandon as asked', async () => {
    expect((await simulate('--deny')).code).toBe(0);
    expect((await simulate('--abandon')).code).toBe(0);
  });

  it('exits 2 with advice when the emulator is not there', async () => {
    const { code } = await simulate('--emulator', 'http://127.0.0.1:9');
    expect(code).toBe(2);
  });

  it('stops all three on Ctrl-C (SIGINT)', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
    // None of the three answers any more.
    for (const url of allUrls) await expect(fetch(url)).rejects.toThrow();
  }, 15_000);
});

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => {
    stdout += c;
  });
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  return { child, out: () => stdout, err: () => stderr };
}

describe('standalone entry (npm run provider)', () => {
  it('serves discovery on the announced URL and exits 0 on SIGTERM', async () => {
    const proc = start(['--port', '0', '--quiet']);
    try {
      const ready = await new Promise<string>((resolve, reject) => {
        proc.child.stdout.on('data', () => {
          const m = /mock provider ready: (\S+)/.exec(proc.out());
          if (m) resolve(m[1]!);
        });
        proc.child.once('exit', () => reject(new Error(`exited early: ${proc.err()}`)));
      });
      const res = await fetch(`${ready}/.well-known/openid-configuration`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { issuer: string }).issuer).toBe(ready);
    } finally {
      proc.child.kill('SIGTERM');
    }
    const [code] = await once(proc.child, 'exit');
    expect(code).toBe(0);
    expect(proc.err()).toBe('');
  });

  it('exits 2 with a clear message on a bad config file from the environment', async () => {
    const proc = start([], { BM_PROVIDER_CONFIG: '/nonexistent/provider.json' });
    const [code] = await once(proc.child, 'exit');
    expect(code).toBe(2);
    expect(proc.err()).toMatch(/cannot read config file \/nonexistent\/provider.json/);
  });
});

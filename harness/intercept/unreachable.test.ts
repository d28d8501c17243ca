import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Interception, installInterception } from './install.ts';

/**
 * Interception with no emulator behind it (a separate file: nock is process-global, and
 * vitest runs each file in its own worker).
 */
let interception: Interception;
const logged: string[] = [];

beforeAll(async () => {
  // A port that was free a moment ago: nothing listens there.
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
  interception = installInterception({
    emulatorUrl: `http://127.0.0.1:${port}`,
    log: (line) => logged.push(line),
  });
});
afterAll(() => interception?.uninstall());

describe('interception without a running emulator', () => {
  it('names the emulator it could not reach instead of a bare "fetch failed"', async () => {
    const error = await fetch('https://oauth2.googleapis.com/token', { method: 'POST' }).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).cause)).toMatch(
      /oauth2\.googleapis\.com\/token was routed to the emulator at http:\/\/127\.0\.0\.1:\d+, which is unreachable.*BM_HARNESS_EMULATOR/,
    );
  });

  it('logs refusals without the secrets in their URLs', async () => {
    await expect(fetch('https://example.com/cb?code=SECRETCODE123&state=s')).rejects.toThrow();
    const line = logged.find((l) => l.includes('https://example.com/cb'));
    expect(line).toBeDefined();
    expect(line).not.toContain('SECRETCODE123');
    expect(line).toContain('state=s');
  });
});

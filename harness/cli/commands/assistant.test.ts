import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import express from 'express';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, createAgent } from '../../../agent/app.ts';
import { MemoryAgentStore } from '../../../agent/store/memory-store.ts';
import { RecordingMessenger } from '../../../agent/test-support/recording-messenger.ts';
import { PACKAGE_ROOT } from '../../../wire/package-root.ts';
import { assistantCertsRouter } from '../../assistant/certs-router.ts';
import { assistantJwks } from '../../assistant/keys.ts';

const run = promisify(execFile);
const NODE = `${PACKAGE_ROOT}/node_modules/.bin/node`;
const MAIN = `${PACKAGE_ROOT}/harness/cli/main.ts`;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(NODE, [MAIN, 'assistant', ...args], { timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

let certs: Server;
let agent: Agent;

beforeAll(async () => {
  certs = express().use(assistantCertsRouter()).listen(0, '127.0.0.1');
  await new Promise((resolve) => certs.once('listening', resolve));
  agent = await createAgent({
    port: 0,
    store: new MemoryAgentStore(),
    messenger: new RecordingMessenger(),
    log: false,
    certsUrl: `http://127.0.0.1:${(certs.address() as AddressInfo).port}/oauth2/v1/certs`,
  });
});
afterAll(async () => {
  await agent.close();
  await new Promise<void>((resolve) => certs.close(() => resolve()));
});

describe('bm-harness assistant', () => {
  it('sign prints a verifiable RS256 JWT with the requested aud and claims', async () => {
    const { code, stdout } = await cli('sign', '--aud', 'proj-x', '--claims', '{"jti":"j1"}');
    expect(code).toBe(0);
    const { payload } = await jwtVerify(
      stdout.trim(),
      createLocalJWKSet(assistantJwks() as never),
      {
        audience: 'proj-x',
      },
    );
    expect(payload.jti).toBe('j1');
  });

  it('sign --claims @file uses a fixture claim set (its _comment dropped)', async () => {
    const file = `${PACKAGE_ROOT}/fixtures/assistant/claims/google-documented.json`;
    const { code, stdout } = await cli('sign', '--claims', `@${file}`);
    expect(code).toBe(0);
    const { payload } = await jwtVerify(
      stdout.trim(),
      createLocalJWKSet(assistantJwks() as never),
      {
        audience: 'bm-harness-project',
        issuer: 'https://accounts.google.com',
        currentDate: new Date(1_767_225_700_000),
      },
    );
    expect(payload).toMatchObject({ iat: 1_767_225_600, exp: 1_767_229_200 });
    expect(payload._comment).toBeUndefined();
  });

  it('send --variant all --check exits 0 against a conforming webhook', async () => {
    const { code, stdout } = await cli(
      'send',
      'main-invocation',
      '--to',
      agent.assistantUrl,
      '--variant',
      'all',
      '--check',
      '--json',
    );
    expect(code).toBe(0);
    const results = JSON.parse(stdout) as { variant: string; status: number; ok: boolean }[];
    expect(results).toHaveLength(13);
    expect(results.every((r) => r.ok)).toBe(true);
  });

  it('send --status-only prints just the status; --check fails when the webhook is wrong', async () => {
    const forged = await cli(
      'send',
      'health-check',
      '--to',
      agent.assistantUrl,
      '--variant',
      'alg-none',
      '--status-only',
    );
    expect(forged).toMatchObject({ code: 0, stdout: '403\n' });
    // A path that is no Action webhook answers 404, so --check must fail.
    const wrong = await cli(
      'send',
      'main-invocation',
      '--to',
      `${agent.url}/nope`,
      '--check',
      '--status-only',
    );
    expect(wrong).toMatchObject({ code: 1, stdout: '404\n' });
  });

  it('exits 2 with a message on a missing fixture, an unreachable URL or an unknown variant', async () => {
    const missing = await cli('send', '/no/such/file.json', '--to', agent.assistantUrl);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const unreachable = await cli('send', 'main-invocation', '--to', 'http://127.0.0.1:9/');
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain('cannot reach http://127.0.0.1:9/');
    const unknown = await cli('sign', '--variant', 'bogus');
    expect(unknown.code).toBe(2);
  });

  it('variants --json lists the 13 variants with their expected status', async () => {
    const { stdout } = await cli('variants', '--json');
    const rows = JSON.parse(stdout) as { name: string; expectedStatus: number }[];
    expect(rows.map((r) => r.name)).toContain('hs256-with-public-key');
    expect(rows.filter((r) => r.expectedStatus === 200).map((r) => r.name)).toEqual(['valid']);
  });
});

import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ASSISTANT_PROJECT_ID } from '../../wire/defaults.ts';
import { createEmulator, type Emulator } from '../emulator/index.ts';
import { loadAssistantRequestFixture } from './request-fixtures.ts';
import { sendAssistantRequest } from './send.ts';
import { installPackageInTempApp, NODE } from './test-support/installed-package.ts';
import { ASSISTANT_VARIANTS } from './variants.ts';

/**
 * SPEC §3 as a user meets it: an Action written only against @assistant/conversation, in a
 * directory that installed this package, started with `node --import
 * bm-oauth-harness/intercept` — its verifyIdToken fetches Google's certs, which the
 * interception serves from the emulator.
 */
const ACTION = `
const express = require('express');
const { conversation } = require('@assistant/conversation');
const app = conversation({ verification: process.env.PROJECT_ID });
app.handle('greeting', (conv) => { conv.add('Hello from a separately installed Action'); });
const server = express().use(express.json(), app).listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

let work = '';
let emulator: Emulator;
let child: ChildProcess | undefined;
let actionUrl: string;
let stderr = '';

beforeAll(async () => {
  const installed = await installPackageInTempApp();
  work = installed.work;
  writeFileSync(join(installed.app, 'action.cjs'), ACTION);
  emulator = await createEmulator({ port: 0, log: { info() {}, warn() {}, error() {} } });
  const started = spawn(NODE, ['--import', 'bm-oauth-harness/intercept', 'action.cjs'], {
    cwd: installed.app,
    env: {
      ...process.env,
      BM_HARNESS_EMULATOR: emulator.url,
      PROJECT_ID: TEST_ASSISTANT_PROJECT_ID,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  started.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    started.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    started.once('exit', (code) => reject(new Error(`action exited ${code}: ${stderr}`)));
    setTimeout(() => reject(new Error(`action did not start: ${stderr}`)), 20_000).unref();
  });
  actionUrl = `http://127.0.0.1:${port}/`;
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await emulator?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('@assistant/conversation Action in its own directory, node --import bm-oauth-harness/intercept', () => {
  const body = loadAssistantRequestFixture('main-invocation').raw;

  it('loaded the interception', () => {
    expect(stderr).toContain(`Google APIs → ${emulator.url}`);
  });

  for (const variant of ASSISTANT_VARIANTS) {
    it(`${variant.name} → ${variant.expectedStatus}`, async () => {
      const result = await sendAssistantRequest({ url: actionUrl, body, variant: variant.name });
      expect(result.status).toBe(variant.expectedStatus);
      if (variant.expectedStatus === 200) {
        expect(result.text).toContain('Hello from a separately installed Action');
      }
    });
  }
});

/**
 * The package as another project meets it: installed from its packed tarball into a
 * directory outside this repository (built into a staging copy, never the repo's dist/),
 * with agents that use only Google's own client libraries started under
 * `node --import bm-oauth-harness/intercept`. One install serves both suites (SPEC §3, §4).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAssistantRequestFixture } from '../../harness/assistant/request-fixtures.ts';
import { sendAssistantRequest } from '../../harness/assistant/send.ts';
import { ASSISTANT_VARIANTS } from '../../harness/assistant/variants.ts';
import { createEmulator, type Emulator } from '../../harness/emulator/emulator.ts';
import {
  type StubWebhook,
  startStubWebhook,
} from '../../harness/emulator/test-support/stub-webhook.ts';
import { TEST_ASSISTANT_PROJECT_ID } from '../../wire/defaults.ts';
import { installPackageInTempApp, NODE } from '../support/installed-package.ts';

const run = promisify(execFile);

/** An unmodified Business Messages agent: the real client and google.auth.JWT, no rootUrl. */
const AGENT = `
const path = require('node:path');
const businessmessages = require('businessmessages');
const { google } = require('googleapis');
const keyFile = path.join(__dirname, 'node_modules/bm-oauth-harness/fixtures/service-account.json');
(async () => {
  const auth = new google.auth.JWT({ keyFile, scopes: ['https://www.googleapis.com/auth/businessmessages'] });
  const bm = new businessmessages.businessmessages_v1.Businessmessages({});
  const res = await bm.conversations.messages.create({
    auth,
    parent: 'conversations/' + process.argv[2],
    requestBody: { messageId: 'msg-1', representative: { representativeType: 'BOT' }, text: 'Hello from an unmodified agent' },
  });
  let refused = null;
  try { await fetch('https://example.com/'); } catch (err) { refused = String(err.cause?.message ?? err.message); }
  console.log(JSON.stringify({ status: res.status, name: res.data.name, refused }));
})().catch((err) => { console.error(err); process.exit(1); });
`;

/** An Action written only against @assistant/conversation. */
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
let app = '';
let emulator: Emulator;
let webhook: StubWebhook;
let child: ChildProcess | undefined;
let actionUrl: string;
let stderr = '';

beforeAll(async () => {
  const installed = await installPackageInTempApp();
  work = installed.work;
  app = installed.app;
  writeFileSync(join(app, 'agent.cjs'), AGENT);
  writeFileSync(join(app, 'action.cjs'), ACTION);
  webhook = await startStubWebhook();
  emulator = await createEmulator({
    port: 0,
    agentWebhookUrl: webhook.url,
    log: { info() {}, warn() {}, error() {} },
  });
  const started = spawn(NODE, ['--import', 'bm-oauth-harness/intercept', 'action.cjs'], {
    cwd: app,
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
  await webhook?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('node --import bm-oauth-harness/intercept (installed package, separate directory)', () => {
  it('routes the unmodified agent to the emulator and refuses other hosts', async () => {
    const conversation = emulator.startConversation({ behavior: 'abandon' });
    const { stdout, stderr } = await run(
      NODE,
      ['--import', 'bm-oauth-harness/intercept', 'agent.cjs', conversation.id],
      {
        cwd: app,
        env: { ...process.env, BM_HARNESS_EMULATOR: emulator.url },
        timeout: 30_000,
      },
    );
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as {
      status: number;
      name: string;
      refused: string | null;
    };
    expect(result.status).toBe(200);
    expect(result.name).toBe(`conversations/${conversation.id}/messages/msg-1`);
    expect(result.refused).toMatch(/Disallowed net connect/);
    expect(stderr).toContain(`Google APIs → ${emulator.url}`);
    expect(stderr).toMatch(/refused https:\/\/example\.com\//);
    expect(emulator.conversation(conversation.id)!.messages).toHaveLength(1);
    expect(emulator.store.general.some((e) => e.kind === 'token.issued')).toBe(true);
  });

  it('ships the webhook fixtures: the installed bm-harness replays one, signed', async () => {
    const cli = join(app, 'node_modules', 'bm-oauth-harness', 'dist', 'harness', 'cli', 'main.js');
    const { stdout } = await run(
      NODE,
      [
        cli,
        'replay',
        'user-status-typing',
        '--to',
        webhook.url,
        '--conversation-id',
        'c-installed',
      ],
      {
        cwd: app,
        timeout: 30_000,
      },
    );
    expect(stdout).toMatch(/^HTTP 200/);
    const got = await webhook.next((w) => w.body.conversationId === 'c-installed');
    expect(got.signatureValid).toBe(true);
    expect(got.body.userStatus).toMatchObject({ isTyping: true });
  });
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

import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../wire/package-root.ts';
import { type Emulator, createEmulator } from '../emulator/emulator.ts';
import { type StubWebhook, startStubWebhook } from '../emulator/test-support/stub-webhook.ts';

/**
 * The interception contract as a user meets it: another project installs the packed
 * package, and an agent script that only uses the real `businessmessages` client and
 * `google.auth.JWT` with a key file — no harness code, no rootUrl — runs under
 * `node --import bm-oauth-harness/intercept`. The build goes to a staging copy, never to the
 * repository's own dist/.
 */
const run = promisify(execFile);
const NODE = join(PACKAGE_ROOT, 'node_modules', '.bin', 'node');

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

let work: string;
let emulator: Emulator;
let webhook: StubWebhook;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'bm-intercept-'));
  const stage = join(work, 'stage');
  mkdirSync(stage);
  for (const entry of ['package.json', 'README.md', 'fixtures']) {
    if (existsSync(join(PACKAGE_ROOT, entry)))
      cpSync(join(PACKAGE_ROOT, entry), join(stage, entry), { recursive: true });
  }
  // Other parts may have type errors in progress; tsc still emits, and the preload must exist.
  await run(NODE, [
    join(PACKAGE_ROOT, 'node_modules/typescript/bin/tsc'),
    '-p',
    join(PACKAGE_ROOT, 'tsconfig.build.json'),
    '--outDir',
    join(stage, 'dist'),
  ]).catch(() => {});
  if (!existsSync(join(stage, 'dist/harness/intercept/preload.js')))
    throw new Error('build did not emit the preload');
  await run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: stage });
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'some-agent', version: '1.0.0', private: true }),
  );
  // Install = unpack the tarball into node_modules, dependencies laid out flat beside it as
  // npm would hoist them. They are linked from this repository's lock-resolved node_modules,
  // because `npm install` would resolve fresh versions and need the network.
  const modules = join(app, 'node_modules');
  mkdirSync(modules);
  await run('tar', ['-xzf', join(work, tarball), '-C', modules]);
  renameSync(join(modules, 'package'), join(modules, 'bm-oauth-harness'));
  for (const dep of readdirSync(join(PACKAGE_ROOT, 'node_modules'))) {
    if (dep.startsWith('.') || dep === 'bm-oauth-harness') continue;
    symlinkSync(join(PACKAGE_ROOT, 'node_modules', dep), join(modules, dep));
  }
  writeFileSync(join(app, 'agent.cjs'), AGENT);
  webhook = await startStubWebhook();
  emulator = await createEmulator({
    port: 0,
    agentWebhookUrl: webhook.url,
    log: { info() {}, warn() {}, error() {} },
  });
}, 180_000);

afterAll(async () => {
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
        cwd: join(work, 'app'),
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
    const cli = join(
      work,
      'app',
      'node_modules',
      'bm-oauth-harness',
      'dist',
      'harness',
      'cli',
      'main.js',
    );
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
        cwd: join(work, 'app'),
        timeout: 30_000,
      },
    );
    expect(stdout).toMatch(/^HTTP 200/);
    const got = await webhook.next((w) => w.body.conversationId === 'c-installed');
    expect(got.signatureValid).toBe(true);
    expect(got.body.userStatus).toMatchObject({ isTyping: true });
  });
});

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../wire/package-root.ts';
import { type Emulator, createEmulator } from '../../emulator/emulator.ts';
import { type StubWebhook, startStubWebhook } from '../../emulator/test-support/stub-webhook.ts';

const run = promisify(execFile);
const NODE = join(PACKAGE_ROOT, 'node_modules', '.bin', 'node');
const CLI = join(PACKAGE_ROOT, 'harness', 'cli', 'main.ts');

let emulator: Emulator;
let webhook: StubWebhook;
beforeAll(async () => {
  webhook = await startStubWebhook();
  emulator = await createEmulator({
    port: 0,
    agentWebhookUrl: webhook.url,
    log: { info() {}, warn() {}, error() {} },
  });
});
afterAll(async () => {
  await emulator?.close();
  await webhook?.close();
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(NODE, [CLI, ...args], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('bm-harness conversation', () => {
  it('start --json opens a conversation whose user writes to the agent; show prints its timeline', async () => {
    const started = await cli(
      'conversation',
      'start',
      '--user',
      'bob',
      '--behavior',
      'manual',
      '--json',
      '--emulator',
      emulator.url,
    );
    expect(started.code).toBe(0);
    const { conversationId } = JSON.parse(started.stdout) as { conversationId: string };
    expect(emulator.conversation(conversationId)!.behavior).toBe('manual');
    const delivered = await webhook.next((w) => w.body.conversationId === conversationId);
    expect(
      (delivered.body.context as { userInfo: { displayName: string } }).userInfo.displayName,
    ).toBe('Bob');

    const shown = await cli('conversation', 'show', conversationId, '--emulator', emulator.url);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`conversation ${conversationId}`);
    expect(shown.stdout).toContain('conversation.opened');
    const json = await cli(
      'conversation',
      'show',
      conversationId,
      '--json',
      '--emulator',
      emulator.url,
    );
    expect(JSON.parse(json.stdout).timeline.length).toBeGreaterThan(0);
  });

  it('exits 1 for an unknown conversation, 2 for an unreachable emulator or a bad behavior', async () => {
    expect((await cli('conversation', 'show', 'nope', '--emulator', emulator.url)).code).toBe(1);
    const down = await cli('conversation', 'start', '--emulator', 'http://127.0.0.1:1');
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/cannot reach the emulator/);
    expect(
      (await cli('conversation', 'start', '--behavior', 'dance', '--emulator', emulator.url)).code,
    ).toBe(2);
  });
});

describe('bm-harness replay', () => {
  it('sends a bundled fixture signed, with overrides, and prints the answer', async () => {
    const out = await cli(
      'replay',
      'auth-success',
      '--to',
      webhook.url,
      '--conversation-id',
      'c-replay',
      '--code',
      'C0DE',
    );
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^HTTP 200/);
    const got = await webhook.next((w) => w.body.conversationId === 'c-replay');
    expect(got.signatureValid).toBe(true);
    expect(got.body.authenticationResponse).toEqual({
      code: 'C0DE',
      redirectUri: 'https://business.google.com/callback',
    });
  });

  it('sends a fresh requestId per replay unless --request-id repeats one', async () => {
    const ids: unknown[] = [];
    for (const extra of [[], [], ['--request-id', 'r-same'], ['--request-id', 'r-same']]) {
      await cli(
        'replay',
        'message',
        '--to',
        webhook.url,
        '--conversation-id',
        `c-rid-${ids.length}`,
        ...extra,
      );
      ids.push(
        (await webhook.next((w) => w.body.conversationId === `c-rid-${ids.length}`)).body.requestId,
      );
    }
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids.slice(2)).toEqual(['r-same', 'r-same']);
  });

  it('exits 1 when the agent rejects, 2 for an unknown fixture; a wrong --client-token signs wrong', async () => {
    webhook.failNext.push(403);
    expect((await cli('replay', 'message', '--to', webhook.url)).code).toBe(1);
    expect((await cli('replay', 'no-such-fixture', '--to', webhook.url)).code).toBe(2);
    await cli(
      'replay',
      'message',
      '--to',
      webhook.url,
      '--client-token',
      'wrong',
      '--conversation-id',
      'c-wrong',
    );
    expect((await webhook.next((w) => w.body.conversationId === 'c-wrong')).signatureValid).toBe(
      false,
    );
  });
});

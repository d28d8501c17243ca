import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, createEmulator } from '../emulator/emulator.ts';
import { DEFAULT_SERVICE_ACCOUNT_FILE } from '../emulator/service-account.ts';
import { type StubWebhook, startStubWebhook } from '../emulator/test-support/stub-webhook.ts';
import { type Interception, installInterception, isLoopbackHost } from './install.ts';

// The real npm clients, loaded the way an agent loads them (CommonJS).
const require = createRequire(import.meta.url);
const { businessmessages_v1 } = require('businessmessages') as typeof import('businessmessages');
const { google } = require('googleapis') as typeof import('googleapis');
const { businesscommunications_v1 } =
  require('businesscommunications') as typeof import('businesscommunications');

let emulator: Emulator;
let webhook: StubWebhook;
let interception: Interception;
const refusals: string[] = [];

beforeAll(async () => {
  webhook = await startStubWebhook();
  emulator = await createEmulator({
    port: 0,
    agentWebhookUrl: webhook.url,
    log: { info() {}, warn() {}, error() {} },
  });
  interception = installInterception({ emulatorUrl: emulator.url, log: (l) => refusals.push(l) });
});
afterAll(async () => {
  interception?.uninstall();
  await emulator?.close();
  await webhook?.close();
});

describe('installInterception', () => {
  it('lets the unmodified businessmessages client + google.auth.JWT send a message to the emulator', async () => {
    const conversation = emulator.startConversation({ behavior: 'abandon' });
    const auth = new google.auth.JWT({
      keyFile: DEFAULT_SERVICE_ACCOUNT_FILE,
      scopes: ['https://www.googleapis.com/auth/businessmessages'],
    });
    await auth.authorize();
    const bm = new businessmessages_v1.Businessmessages({});
    const messageId = crypto.randomUUID();
    const res = await bm.conversations.messages.create({
      auth,
      parent: `conversations/${conversation.id}`,
      requestBody: { messageId, representative: { representativeType: 'BOT' }, text: 'hello' },
    });
    expect(res.status).toBe(200);
    expect(res.data.name).toBe(`conversations/${conversation.id}/messages/${messageId}`);
    expect(emulator.store.general.some((e) => e.kind === 'token.issued')).toBe(true);
  });

  it('surfaces Google errors through the client unchanged', async () => {
    const auth = new google.auth.JWT({
      keyFile: DEFAULT_SERVICE_ACCOUNT_FILE,
      scopes: ['https://www.googleapis.com/auth/businessmessages'],
    });
    const bm = new businessmessages_v1.Businessmessages({});
    await expect(
      bm.conversations.messages.create({
        auth,
        parent: 'conversations/unknown',
        requestBody: { messageId: 'm' },
      }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('routes the certs endpoints and refuses other external hosts, leaving loopback alone', async () => {
    const certs = await fetch('https://www.googleapis.com/oauth2/v3/certs');
    expect(certs.status).toBe(200);
    expect(((await certs.json()) as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
    await expect(fetch('https://example.com/')).rejects.toThrow();
    expect(refusals.some((l) => l.includes('https://example.com/'))).toBe(true);
    expect((await fetch(`${emulator.url}/__harness/health`)).status).toBe(200);
  });

  it('answers each Google host only on its own paths (a wrong rootUrl fails as on Google)', async () => {
    const conversation = emulator.startConversation({ behavior: 'abandon' });
    const auth = new google.auth.JWT({
      keyFile: DEFAULT_SERVICE_ACCOUNT_FILE,
      scopes: ['https://www.googleapis.com/auth/businessmessages'],
    });
    const wrongRoot = new businessmessages_v1.Businessmessages({
      rootUrl: 'https://www.googleapis.com/',
    });
    await expect(
      wrongRoot.conversations.messages.create({
        auth,
        parent: `conversations/${conversation.id}`,
        requestBody: { messageId: 'm', representative: { representativeType: 'BOT' }, text: 'x' },
      }),
    ).rejects.toMatchObject({ status: 404 });
    const control = await fetch('https://oauth2.googleapis.com/__harness/conversations');
    expect(control.status).toBe(404);
    expect(((await control.json()) as { error: { status: string } }).error.status).toBe(
      'NOT_FOUND',
    );
    const tokenOnBm = await fetch('https://businessmessages.googleapis.com/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=x',
    });
    expect(tokenOnBm.status).toBe(404);
    // The emulator's own origin still serves everything.
    expect((await fetch(`${emulator.url}/__harness/conversations`)).status).toBe(200);
  });

  it('lets the unmodified businesscommunications client patch the agent authorizationConfig', async () => {
    const auth = new google.auth.JWT({
      keyFile: DEFAULT_SERVICE_ACCOUNT_FILE,
      scopes: ['https://www.googleapis.com/auth/businesscommunications'],
    });
    const bc = new businesscommunications_v1.Businesscommunications({});
    const res = await bc.brands.agents.patch({
      auth,
      name: 'brands/harness-brand/agents/harness-agent',
      updateMask: 'businessMessagesAgent.authorizationConfig',
      requestBody: {
        businessMessagesAgent: {
          authorizationConfig: { endpointUrl: 'https://login.example.com/authorize' },
        },
      },
    });
    expect(res.status).toBe(200);
    expect(res.data.businessMessagesAgent?.authorizationConfig?.endpointUrl).toBe(
      'https://login.example.com/authorize',
    );
    expect(emulator.directory.endpointUrl('brands/harness-brand/agents/harness-agent')).toBe(
      'https://login.example.com/authorize',
    );
  });

  it('stacks installations: the first routes; after it is removed the next one does', async () => {
    const second = await createEmulator({ port: 0, log: { info() {}, warn() {}, error() {} } });
    const extra = installInterception({ emulatorUrl: second.url, log: () => {} });
    const temp = installInterception({ emulatorUrl: 'http://127.0.0.1:1', log: () => {} });
    try {
      const before = second.store.general.length;
      const token = () =>
        fetch('https://oauth2.googleapis.com/token', {
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'x' }),
        });
      expect((await token()).status).toBe(400);
      expect(second.store.general.length).toBe(before);
      interception.uninstall();
      expect((await token()).status).toBe(400);
      expect(second.store.general.length).toBe(before + 1);
    } finally {
      temp.uninstall();
      extra.uninstall();
      interception = installInterception({
        emulatorUrl: emulator.url,
        log: (l) => refusals.push(l),
      });
      await second.close();
    }
  });

  it('recognises loopback hosts only', () => {
    expect(['127.0.0.1:4020', 'localhost:1', '[::1]:80', 'localhost'].every(isLoopbackHost)).toBe(
      true,
    );
    expect(['example.com:443', '10.0.0.1:80', '127.example.com:80'].some(isLoopbackHost)).toBe(
      false,
    );
  });

  it('refuses a non-loopback emulator URL', () => {
    expect(() => installInterception({ emulatorUrl: 'https://emulator.example.com' })).toThrow(
      /not on loopback/,
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, createEmulator } from './emulator.ts';
import type { Json } from './test-support/json.ts';
import { postAgentMessage } from './test-support/agent-api.ts';
import type { StubWebhook } from './test-support/stub-webhook.ts';
import { startTestEmulator } from './test-support/test-emulator.ts';

let emulator: Emulator;
let webhook: StubWebhook;
let token: string;

let close: () => Promise<void>;
beforeAll(async () => {
  ({ emulator, webhook, token, close } = await startTestEmulator({
    retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 },
  }));
});
afterAll(() => close());

async function harness(method: string, path: string, body?: unknown) {
  const res = await fetch(`${emulator.url}/__harness${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, Json> };
}

async function open(): Promise<string> {
  const { status, body } = await harness('POST', '/conversations', {
    user: 'alice',
    behavior: 'abandon',
    text: 'Hello',
  });
  expect(status).toBe(201);
  return body.conversationId;
}

describe('harness API', () => {
  it('opens a conversation whose first user message reaches the agent, signed, in the envelope', async () => {
    const id = await open();
    const first = await webhook.next((w) => w.body.conversationId === id);
    expect(first.signatureValid).toBe(true);
    expect(first.body).toMatchObject({
      agent: 'brands/harness-brand/agents/harness-agent',
      customAgentId: 'harness-custom-agent',
      message: { text: 'Hello' },
      context: {
        entryPoint: 'PLACESHEET',
        resolvedLocale: 'en',
        userInfo: { displayName: 'Alice', userDeviceLocale: 'en' },
      },
    });
    expect(first.body.sendTime).toMatch(/\.\d{9}Z$/);
    const listed = await harness('GET', '/conversations');
    expect(listed.body.conversations.some((c: Json) => c.conversationId === id)).toBe(true);
    const waited = await harness(
      'GET',
      `/conversations/${id}/wait?for=webhook.delivered&timeoutMs=5000`,
    );
    expect(waited.status).toBe(200);
    expect(waited.body.entry.kind).toBe('webhook.delivered');
  });

  it('sends every user event type the agent can receive', async () => {
    const id = await open();
    await postAgentMessage(emulator.url, token, id, {
      messageId: 'm1',
      representative: { representativeType: 'BOT' },
      text: 'Pick one',
      suggestions: [{ reply: { text: 'Yes', postbackData: 'yes' } }],
    });
    const events = [
      [{ type: 'text', text: 'more' }, 'message'],
      [{ type: 'suggestion-response', text: 'Yes', postbackData: 'yes' }, 'suggestionResponse'],
      [{ type: 'typing', isTyping: false }, 'userStatus'],
      [{ type: 'live-agent-request' }, 'userStatus'],
      [{ type: 'receipt', receiptType: 'DELIVERED' }, 'receipts'],
    ] as const;
    for (const [event, key] of events) {
      const { status, body } = await harness('POST', `/conversations/${id}/user-events`, event);
      expect(status).toBe(200);
      expect(body.delivered).toBe(true);
      const got = webhook.received.at(-1)!;
      expect(got.body.conversationId).toBe(id);
      expect(key in got.body).toBe(true);
    }
    const [suggestion, typing, live, receipt] = webhook.received.slice(-4).map((w) => w.body);
    expect((suggestion as Json).suggestionResponse).toMatchObject({
      message: `conversations/${id}/messages/m1`,
      type: 'REPLY',
      postbackData: 'yes',
    });
    expect((typing as Json).userStatus.isTyping).toBe(false);
    expect((live as Json).userStatus.requestedLiveAgent).toBe(true);
    expect((receipt as Json).receipts.receipts).toEqual([
      { message: `conversations/${id}/messages/m1`, receiptType: 'DELIVERED' },
    ]);
    expect('requestId' in (receipt as Json)).toBe(false);
    expect('context' in (receipt as Json)).toBe(false);
  });

  it('retries a failing webhook with backoff and records every attempt', async () => {
    webhook.failNext.push(500, 503);
    const id = await open();
    await emulator.waitFor(id, 'webhook.delivered', 5_000);
    const attempts = emulator
      .conversation(id)!
      .timeline.filter((e) => e.kind === 'webhook.attempt');
    expect(attempts.map((a) => (a.data as Json).status)).toEqual([500, 503, 200]);
    expect(attempts.every((a) => typeof (a.data as Json).latencyMs === 'number')).toBe(true);
  });

  it('records an undeliverable event when every attempt fails', async () => {
    webhook.failNext.push(500, 500, 500);
    const id = await open();
    const failed = await emulator.waitFor(id, 'webhook.failed', 5_000);
    expect(failed.level).toBe('error');
  });

  it('close() cancels deliveries still waiting to retry', async () => {
    const closing = await createEmulator({
      port: 0,
      agentWebhookUrl: 'http://127.0.0.1:1/unreachable',
      retry: { maxAttempts: 5, initialDelayMs: 60_000, maxDelayMs: 60_000 },
      log: { info() {}, warn() {}, error() {} },
    });
    const c = closing.startConversation({ behavior: 'abandon' });
    await closing.waitFor(c.id, 'webhook.attempt', 5_000);
    await closing.close();
    await closing.waitFor(c.id, 'webhook.cancelled', 1_000);
    expect(
      closing.conversation(c.id)!.timeline.filter((e) => e.kind === 'webhook.attempt'),
    ).toHaveLength(1);
  });

  it.each([
    ['an unknown behavior', { behavior: 'dance' }, 400, /behavior must be one of/],
    ['an unknown user without password', { user: 'mallory' }, 400, /not a test user/],
    ['malformed JSON', '{"user":', 400, /./],
  ])('rejects %s with a Google-shaped error', async (_n, body, status, message) => {
    const res = await harness('POST', '/conversations', body);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
  });

  it('rejects bad user events and unknown conversations', async () => {
    const id = await open();
    expect(
      (await harness('POST', `/conversations/${id}/user-events`, { type: 'fly' })).body.error
        .message,
    ).toMatch(/type must be one of/);
    expect(
      (await harness('POST', `/conversations/${id}/user-events`, { type: 'receipt' })).body.error
        .message,
    ).toMatch(/no message yet/);
    expect((await harness('GET', '/conversations/nope')).status).toBe(404);
  });
});

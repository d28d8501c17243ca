import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from './emulator.ts';
import type { StubWebhook } from './test-support/stub-webhook.ts';
import { startTestEmulator } from './test-support/test-emulator.ts';
import type { Json } from './test-support/json.ts';

let emulator: Emulator;
let webhook: StubWebhook;
let token: string;

let close: () => Promise<void>;
beforeAll(async () => {
  ({ emulator, webhook, token, close } = await startTestEmulator({
    retry: { maxAttempts: 1 },
  }));
});
afterAll(() => close());

async function call(method: string, path: string, body: unknown) {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, Json> };
}

describe('conversations.events.create', () => {
  it.each(['TYPING_STARTED', 'TYPING_STOPPED', 'REPRESENTATIVE_JOINED', 'REPRESENTATIVE_LEFT'])(
    'accepts %s',
    async (eventType) => {
      const c = emulator.startConversation({ behavior: 'abandon' });
      const { status, body } = await call('POST', `/v1/conversations/${c.id}/events?eventId=e1`, {
        eventType,
        representative: { representativeType: 'HUMAN', displayName: 'Sam' },
      });
      expect(status).toBe(200);
      expect(body.name).toBe(`conversations/${c.id}/events/e1`);
      expect(body.eventType).toBe(eventType);
    },
  );

  it('rejects a missing eventId, an unknown type, a missing representative and a reused eventId', async () => {
    const c = emulator.startConversation({ behavior: 'abandon' });
    const path = `/v1/conversations/${c.id}/events`;
    const ok = { eventType: 'TYPING_STARTED', representative: { representativeType: 'BOT' } };
    expect((await call('POST', path, ok)).body.error.message).toMatch(/eventId/);
    expect(
      (await call('POST', `${path}?eventId=a`, { ...ok, eventType: 'DANCING' })).body.error.message,
    ).toMatch(/event\.event_type/);
    expect(
      (await call('POST', `${path}?eventId=a`, { eventType: 'TYPING_STARTED' })).body.error.message,
    ).toMatch(/representativeType/);
    expect((await call('POST', `${path}?eventId=a`, ok)).status).toBe(200);
    const again = await call('POST', `${path}?eventId=a`, ok);
    expect(again.status).toBe(409);
    expect(again.body.error.status).toBe('ALREADY_EXISTS');
    expect((await call('POST', `/v1/conversations/nope/events?eventId=b`, ok)).status).toBe(403);
  });
});

describe('conversations.messages.updateReceipt', () => {
  it('marks a message the user sent as READ; rejects unknown messages and other receipt types', async () => {
    const c = emulator.startConversation({ behavior: 'abandon', text: 'hello there' });
    const first = await webhook.next((w) => w.body.conversationId === c.id);
    const messageId = (first.body.message as { messageId: string }).messageId;
    const path = `/v1/conversations/${c.id}/messages/${messageId}/receipt`;
    const ok = await call('PATCH', path, { receiptType: 'READ' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      name: `conversations/${c.id}/messages/${messageId}/receipt`,
      receiptType: 'READ',
    });
    expect((await call('PATCH', path, { receiptType: 'DELIVERED' })).status).toBe(400);
    expect(
      (
        await call('PATCH', `/v1/conversations/${c.id}/messages/unknown/receipt`, {
          receiptType: 'READ',
        })
      ).status,
    ).toBe(404);
  });
});

describe('conversations.surveys.create', () => {
  it('creates a survey once per surveyId', async () => {
    const c = emulator.startConversation({ behavior: 'abandon' });
    const ok = await call('POST', `/v1/conversations/${c.id}/surveys?surveyId=s1`, {});
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ name: `conversations/${c.id}/surveys/s1` });
    expect((await call('POST', `/v1/conversations/${c.id}/surveys?surveyId=s1`, {})).status).toBe(
      409,
    );
    expect(
      (await call('POST', `/v1/conversations/${c.id}/surveys`, {})).body.error.message,
    ).toMatch(/surveyId/);
  });
});

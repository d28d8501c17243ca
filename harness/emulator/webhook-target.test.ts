import { afterAll, expect, it } from 'vitest';
import { startStubWebhook } from './test-support/stub-webhook.ts';
import { startTestEmulator, type TestEmulator } from './test-support/test-emulator.ts';

let env: TestEmulator | undefined;
afterAll(() => env?.close());

it('setAgentWebhookUrl moves user events to another webhook at runtime', async () => {
  env = await startTestEmulator();
  const later = await startStubWebhook();
  try {
    env.emulator.setAgentWebhookUrl(later.url);
    const { id } = env.emulator.startConversation({ behavior: 'abandon' });
    const got = await later.next((w) => w.body.conversationId === id);
    expect(got.signatureValid).toBe(true);
  } finally {
    await later.close();
  }
});

/**
 * The agent exchanged the code but could not send "Signed in as …" (Business Messages
 * outage): it answers 5xx, Google redelivers the same authenticationResponse, and the agent
 * must tell the user then — not refuse the redelivery because the code was already used.
 */
import { afterAll, expect, it } from 'vitest';
import { AgentError } from '../../agent/errors.ts';
import {
  createBusinessMessagesMessenger,
  type Messenger,
  readServiceAccountKey,
} from '../../agent/google/messenger.ts';
import { type Harness, startHarness } from '../../harness/start/start-harness.ts';
import { fixturePath } from '../../wire/package-root.ts';

let h: Harness | undefined;
afterAll(() => h?.close());

it('tells the user on the redelivery after the confirmation could not be sent', async () => {
  let inner: Messenger | undefined;
  let outages = 1;
  const messenger: Messenger = {
    async send(conversationId, message) {
      if (message.text?.startsWith('Signed in as') && outages-- > 0) {
        throw new AgentError('BUSINESS_MESSAGES_SEND_FAILED', 'simulated outage', 502);
      }
      await inner!.send(conversationId, message);
    },
  };
  h = await startHarness({
    agent: { messenger },
    emulator: { retry: { initialDelayMs: 5, maxDelayMs: 20 } },
  });
  inner = createBusinessMessagesMessenger({
    serviceAccount: readServiceAccountKey(fixturePath('service-account.json')),
    rootUrl: h.urls.emulator,
  });

  const outcome = await h.converse({ user: 'alice' });

  expect(outcome.reason).toBe('signed in as Alice');
  expect(outcome.agentReply).toMatch(/^Signed in as Alice/);
  const authAttempts = outcome.view.timeline
    .filter((e) => e.kind === 'webhook.attempt')
    .map((e) => e.data as { label?: string; status?: number })
    .filter((d) => d.label === 'authenticationResponse')
    .map((d) => d.status);
  expect(authAttempts).toEqual([502, 200]);
  expect(h.agent!.store.getSignedIn(outcome.conversationId)?.confirmedAt).toBeTypeOf('number');
});

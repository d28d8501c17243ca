import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveConversation, driveConversations } from '../load/conversation-driver.ts';
import { checkLedger } from '../load/ledger-check.ts';
import { runConversationLoad, settleDeliveries } from '../load/load-run.ts';
import { type LoadHarness, startLoadHarness } from '../load/load-harness.ts';

/**
 * Small versions of `npm run load -- --faults`: provider 5xx and slowness, webhook timeouts
 * and agent restarts during a run lose nothing, duplicate nothing, and leave a trace.
 */
describe('faults during load', () => {
  it('provider 503s, slow tokens (webhook timeouts) and an agent restart: nothing lost', async () => {
    const result = await runConversationLoad({
      count: 40,
      concurrency: 8,
      faults: { token5xx: 3, tokenSlow: { count: 2, delayMs: 700 }, agentRestarts: 1 },
      retry: { timeoutMs: 400 },
    });
    const { report } = result;
    expect(result.agentRestarts).toBe(1);
    expect(result.providerFaults).toBe(5);
    expect(report.signedIn).toBe(40);
    expect(report.undelivered).toBe(0);
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.wrongReplies).toEqual([]);
    expect(report.unexplained).toEqual([]);
    // The slow token answers outlived the webhook timeout: redelivered, recognised, not redone.
    expect(report.redeliveries).toBeGreaterThan(0);
    expect(report.duplicatesRefused).toBeGreaterThan(0);
  });
});

describe('what the timeline says about a fault', () => {
  let harness: LoadHarness;
  beforeAll(async () => {
    harness = await startLoadHarness({ retry: { timeoutMs: 400 } });
  });
  afterAll(async () => {
    await harness.close();
  });

  it('a 503 from the token endpoint: the agent tells the user, who retries and gets in', async () => {
    harness.provider.faults.add({ kind: 'token-server-error', status: 503, times: 1 });
    const outcome = await driveConversation(harness.emulator, 'bob');
    expect(outcome).toMatchObject({ ok: true, retries: 1 });
    const texts = harness.emulator
      .conversation(outcome.conversationId)!
      .messages.map((m) => String((m as { text?: string }).text));
    expect(texts.some((t) => /temporarily unavailable/i.test(t))).toBe(true);
    expect(texts.at(-1)).toMatch(/^Signed in as Bob/);
  });

  it('a slow token answer: the delivery times out, is retried, and the agent says "duplicate"', async () => {
    harness.provider.faults.add({ kind: 'token-slow', delayMs: 700, times: 1 });
    const outcome = await driveConversation(harness.emulator, 'alice');
    expect(outcome.ok).toBe(true);
    await settleDeliveries(harness.emulator, [outcome]); // the redelivery may still be on its way
    const timeline = harness.emulator.conversation(outcome.conversationId)!.timeline;
    const attempts = timeline.filter((e) => e.kind === 'webhook.attempt');
    expect(
      attempts.some((e) => e.level === 'warn' && /no answer within 400 ms/.test(e.summary)),
    ).toBe(true);
    expect(
      attempts.some((e) =>
        /"status":"duplicate"/.test(
          String((e.data as { responseSnippet?: string }).responseSnippet),
        ),
      ),
    ).toBe(true);
    const report = checkLedger(harness.emulator, harness.store, [outcome]);
    expect(report.undelivered).toBe(0);
    expect(report.duplicated).toEqual([]);
    expect(report.wrongReplies).toEqual([]);
  });

  it('the agent down for a moment: deliveries are refused, retried, and arrive', async () => {
    const restart = harness.restartAgent(400);
    const outcomes = await driveConversations(harness.emulator, { count: 4, concurrency: 4 });
    await restart;
    expect(outcomes.every((o) => o.ok)).toBe(true);
    await settleDeliveries(harness.emulator, outcomes);
    const report = checkLedger(harness.emulator, harness.store, outcomes);
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    const refused = outcomes.flatMap((o) =>
      harness.emulator
        .conversation(o.conversationId)!
        .timeline.filter((e) => e.kind === 'webhook.attempt' && e.level === 'warn'),
    );
    expect(refused.length).toBeGreaterThan(0);
    expect(report.unexplained).toEqual([]);
  });
});

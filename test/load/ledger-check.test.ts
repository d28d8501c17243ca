import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationOutcome } from './conversation-driver.ts';
import { driveConversation } from './conversation-driver.ts';
import { checkLedger, ledgerIsClean } from './ledger-check.ts';
import { type LoadHarness, startLoadHarness } from './load-harness.ts';
import { settleDeliveries } from './load-run.ts';

/** The ledger check itself must catch what it claims to: lost, duplicated, wrong replies. */
let harness: LoadHarness;
let outcome: ConversationOutcome;

beforeAll(async () => {
  harness = await startLoadHarness();
  outcome = await driveConversation(harness.emulator, 'alice');
  // The greeting is recorded before the emulator has the agent's answer to the delivery.
  await settleDeliveries(harness.emulator, [outcome]);
});
afterAll(async () => {
  await harness.close();
});

function requestIds(): string[] {
  return (harness.emulator.store.get(outcome.conversationId)?.timeline ?? [])
    .filter((e) => e.kind === 'webhook.send')
    .map((e) => (e.data as { requestId: string }).requestId);
}

describe('checkLedger', () => {
  it('is clean for a normal sign-in', () => {
    expect(outcome.ok).toBe(true);
    expect(ledgerIsClean(checkLedger(harness.emulator, harness.store, [outcome]))).toBe(true);
  });

  it('reports a delivery the agent never processed as lost', () => {
    const [first] = requestIds();
    const before = harness.store.processed.get(first!);
    harness.store.processed.set(first!, 0);
    try {
      const report = checkLedger(harness.emulator, harness.store, [outcome]);
      expect(report.lost).toEqual([first]);
      expect(ledgerIsClean(report)).toBe(false);
    } finally {
      harness.store.processed.set(first!, before!);
    }
  });

  it('reports a delivery processed twice as duplicated', () => {
    const [, second] = requestIds();
    harness.store.processed.set(second!, 2);
    try {
      const report = checkLedger(harness.emulator, harness.store, [outcome]);
      expect(report.duplicated).toEqual([second]);
      expect(ledgerIsClean(report)).toBe(false);
    } finally {
      harness.store.processed.set(second!, 1);
    }
  });

  it('reports a greeting with the wrong name', () => {
    const report = checkLedger(harness.emulator, harness.store, [{ ...outcome, user: 'bob' }]);
    expect(report.wrongReplies).toHaveLength(1);
    expect(ledgerIsClean(report)).toBe(false);
  });
});

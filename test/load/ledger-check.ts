import type { Emulator } from '../../harness/emulator/index.ts';
import type { ConversationOutcome } from './conversation-driver.ts';
import type { LedgerAgentStore } from './ledger-store.ts';

const EXPECTED_NAMES: Record<string, RegExp> = { alice: /^Alice/, bob: /^Bob/ };

export interface LedgerReport {
  conversations: number;
  signedIn: number;
  /** Webhooks the emulator sent (one per user event) — its delivery ledger. */
  sent: number;
  delivered: number;
  /** Deliveries that gave up (webhook.failed) or never ended. */
  undelivered: number;
  /** Attempts beyond the first (redeliveries after errors, timeouts, refused connections). */
  redeliveries: number;
  /** Sent requestIds the agent never processed. */
  lost: string[];
  /** requestIds the agent processed more than once. */
  duplicated: string[];
  /** Redeliveries the agent recognised and did not process again. */
  duplicatesRefused: number;
  /** Conversations whose greeting is missing, repeated, or names the wrong user. */
  wrongReplies: string[];
  /** Conversations where a fault left no warning/error on the timeline to explain it. */
  unexplained: string[];
  problems: string[];
}

/**
 * Compares the emulator's delivery ledger (webhook.send / attempt / delivered entries on each
 * timeline) with the agent's store (which requestIds it claimed, released, refused) and with
 * what the user saw (one greeting, with the right name).
 */
export function checkLedger(
  emulator: Emulator,
  store: LedgerAgentStore,
  outcomes: ConversationOutcome[],
): LedgerReport {
  const report: LedgerReport = {
    conversations: outcomes.length,
    signedIn: outcomes.filter((o) => o.ok).length,
    sent: 0,
    delivered: 0,
    undelivered: 0,
    redeliveries: 0,
    lost: [],
    duplicated: [],
    duplicatesRefused: 0,
    wrongReplies: [],
    unexplained: [],
    problems: [],
  };
  for (const outcome of outcomes) {
    const conversation = emulator.store.get(outcome.conversationId);
    if (!conversation) {
      report.problems.push(`${outcome.conversationId}: unknown to the emulator`);
      continue;
    }
    const timeline = conversation.timeline;
    const sends = timeline.filter((e) => e.kind === 'webhook.send');
    const attempts = timeline.filter((e) => e.kind === 'webhook.attempt');
    const delivered = timeline.filter((e) => e.kind === 'webhook.delivered').length;
    report.sent += sends.length;
    report.delivered += delivered;
    report.undelivered += sends.length - delivered;
    report.redeliveries += attempts.length - sends.length;
    for (const send of sends) {
      const requestId = (send.data as { requestId?: string } | undefined)?.requestId;
      if (!requestId) {
        report.problems.push(`${outcome.conversationId}: webhook.send without requestId`);
        continue;
      }
      const processed = store.processed.get(requestId) ?? 0;
      if (processed < 1) report.lost.push(requestId);
      if (processed > 1) report.duplicated.push(requestId);
      report.duplicatesRefused += store.duplicatesRefused.get(requestId) ?? 0;
    }
    const greetings = [...conversation.messages.values()]
      .map((m) => String((m.body as { text?: unknown }).text ?? ''))
      .filter((t) => /^signed in as /i.test(t));
    const name = greetings[0]?.replace(/^signed in as /i, '') ?? '';
    if (greetings.length !== 1 || !EXPECTED_NAMES[outcome.user]?.test(name)) {
      report.wrongReplies.push(
        `${outcome.conversationId} (${outcome.user}): ${greetings.length} greeting(s) ${JSON.stringify(greetings)}`,
      );
    }
    const troubled = attempts.length > sends.length || outcome.retries > 0;
    // A warning/error entry (failed attempt, refused token…) or the agent's own words to the
    // user about a failed sign-in, which the timeline carries with the message.
    const explained = timeline.some(
      (e) =>
        e.level !== 'info' ||
        (e.kind === 'agent.message' &&
          /did not complete|unavailable|expired/i.test(
            String((e.data as { text?: unknown } | undefined)?.text ?? ''),
          )),
    );
    if (troubled && !explained) report.unexplained.push(outcome.conversationId);
    if (!outcome.ok) report.problems.push(`${outcome.conversationId}: ${outcome.error}`);
  }
  return report;
}

/** True when nothing was lost, duplicated, undelivered or unexplained. */
export function ledgerIsClean(report: LedgerReport): boolean {
  return (
    report.signedIn === report.conversations &&
    report.undelivered === 0 &&
    report.lost.length === 0 &&
    report.duplicated.length === 0 &&
    report.wrongReplies.length === 0 &&
    report.unexplained.length === 0 &&
    report.problems.length === 0
  );
}

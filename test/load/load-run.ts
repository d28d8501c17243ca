import type { RetryPolicy } from '../../harness/webhook/delivery.ts';
import { type ConversationOutcome, driveConversations } from './conversation-driver.ts';
import { checkLedger, type LedgerReport } from './ledger-check.ts';
import { startLoadHarness } from './load-harness.ts';
import type { Emulator } from '../../harness/emulator/index.ts';

/**
 * Waits (bounded) until every webhook the emulator started has ended, delivered or not: a
 * redelivery after a timeout may still be on its way when the user already saw the reply.
 */
export async function settleDeliveries(
  emulator: Emulator,
  outcomes: ConversationOutcome[],
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  const open = () =>
    outcomes.some((o) => {
      const timeline = emulator.store.get(o.conversationId)?.timeline ?? [];
      const sends = timeline.filter((e) => e.kind === 'webhook.send').length;
      const ended = timeline.filter((e) =>
        ['webhook.delivered', 'webhook.failed', 'webhook.cancelled'].includes(e.kind),
      ).length;
      return ended < sends;
    });
  while (open() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

export interface FaultPlan {
  /** Token requests answered 503 temporarily_unavailable (mock provider fault). */
  token5xx?: number;
  /** Token requests delayed by `delayMs` — longer than the webhook timeout, so Google-side
   * delivery times out and redelivers while the agent is still working. */
  tokenSlow?: { count: number; delayMs: number };
  /** Agent stops and restarts (same port, same store) this many times during the run. */
  agentRestarts?: number;
  /** How long the agent stays down at each restart. Default 300 ms. */
  restartDownMs?: number;
}

export interface LoadRunOptions {
  count: number;
  concurrency: number;
  faults?: FaultPlan;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  onProgress?: (done: number, outcome: ConversationOutcome) => void;
}

export interface LoadRunResult {
  report: LedgerReport;
  elapsedMs: number;
  agentRestarts: number;
  /** Provider fault events, as its event log recorded them. */
  providerFaults: number;
  slowest: ConversationOutcome[];
  /** Timelines (kind: summary) of up to three conversations that did not end well. */
  failedTimelines: { conversationId: string; entries: string[] }[];
}

/**
 * Many whole sign-ins against one in-process harness, with faults injected part-way, then
 * the ledger check: every webhook the emulator sent was processed exactly once by the agent,
 * every user was greeted once by the right name, and every fault left a trace.
 */
export async function runConversationLoad(options: LoadRunOptions): Promise<LoadRunResult> {
  const faults = options.faults ?? {};
  const harness = await startLoadHarness({ retry: options.retry });
  const started = performance.now();
  let providerFaults = 0;
  harness.provider.events.subscribe((e) => {
    if (e.type === 'fault.applied') providerFaults++;
  });
  try {
    const restartPoints = Array.from({ length: faults.agentRestarts ?? 0 }, (_, k) =>
      Math.floor((options.count * (k + 1)) / ((faults.agentRestarts ?? 0) + 1)),
    );
    // Provider faults arrive one at a time, spread over the middle of the run (an intermittent
    // upstream), so that no single user meets so many that they would give up retrying.
    const schedule = new Map<number, (() => void)[]>();
    const at = (done: number, action: () => void) =>
      schedule.set(done, [...(schedule.get(done) ?? []), action]);
    const spread = (n: number, action: () => void) => {
      for (let k = 0; k < n; k++) {
        at(Math.floor((options.count * (1 + (3 * k) / n)) / 5), action);
      }
    };
    spread(faults.token5xx ?? 0, () =>
      harness.provider.faults.add({ kind: 'token-server-error', status: 503, times: 1 }),
    );
    if (faults.tokenSlow) {
      const { delayMs } = faults.tokenSlow;
      spread(faults.tokenSlow.count, () =>
        harness.provider.faults.add({ kind: 'token-slow', delayMs, times: 1 }),
      );
    }
    let restarting: Promise<void> = Promise.resolve();
    for (const point of restartPoints) {
      at(point, () => {
        restarting = restarting.then(() => harness.restartAgent(faults.restartDownMs ?? 300));
      });
    }
    for (const action of schedule.get(0) ?? []) action();
    const outcomes = await driveConversations(harness.emulator, {
      count: options.count,
      concurrency: options.concurrency,
      timeoutMs: options.timeoutMs,
      onDone: (outcome, done) => {
        for (const action of schedule.get(done) ?? []) action();
        options.onProgress?.(done, outcome);
      },
    });
    await restarting;
    await harness.emulator.device.idle();
    await settleDeliveries(harness.emulator, outcomes);
    const report = checkLedger(harness.emulator, harness.store, outcomes);
    const failedTimelines = outcomes
      .filter((o) => !o.ok)
      .slice(0, 3)
      .map((o) => ({
        conversationId: o.conversationId,
        entries: (harness.emulator.store.get(o.conversationId)?.timeline ?? []).map(
          (e) =>
            `${e.at.slice(11, 23)} ${e.level === 'info' ? '' : `${e.level.toUpperCase()} `}${e.kind}: ${e.summary}`,
        ),
      }));
    return {
      failedTimelines,
      report,
      elapsedMs: performance.now() - started,
      agentRestarts: harness.restarts,
      providerFaults,
      slowest: [...outcomes].sort((a, b) => b.ms - a.ms).slice(0, 3),
    };
  } finally {
    await harness.close();
  }
}

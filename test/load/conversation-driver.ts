import { RETRY_SIGN_IN_POSTBACK } from '../../agent/index.ts';
import type { Emulator, TimelineEntry } from '../../harness/emulator/index.ts';

export interface ConversationOutcome {
  conversationId: string;
  user: string;
  ok: boolean;
  /** Times the virtual user tapped the agent's "Try again" chip. */
  retries: number;
  ms: number;
  error?: string;
}

interface AgentMessageData {
  text?: string;
  suggestions?: { reply?: { postbackData?: string } }[];
}

function isAgentMessageAfter(seq: number) {
  return (e: TimelineEntry) => e.kind === 'agent.message' && e.seq > seq;
}

/**
 * One conversation as a person would have it: open it, let the device tap the sign-in
 * suggestion, and when the agent says sign-in failed and offers "Try again", tap that (as
 * a user would after a provider hiccup) — until the agent greets the user by name.
 */
export async function driveConversation(
  emulator: Emulator,
  user: string,
  options: { timeoutMs?: number; maxRetries?: number } = {},
): Promise<ConversationOutcome> {
  const started = performance.now();
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const conversation = emulator.startConversation({ user });
  const id = conversation.id;
  let lastSeq = 0;
  let retries = 0;
  const outcome = (ok: boolean, error?: string): ConversationOutcome => ({
    conversationId: id,
    user,
    ok,
    retries,
    ms: performance.now() - started,
    ...(error ? { error } : {}),
  });
  try {
    while (Date.now() < deadline) {
      const entry = await emulator.store.waitFor(
        id,
        isAgentMessageAfter(lastSeq),
        Math.max(1, deadline - Date.now()),
      );
      lastSeq = entry.seq;
      const data = (entry.data ?? {}) as AgentMessageData;
      if (/signed in as/i.test(data.text ?? '')) return outcome(true);
      const offersRetry = data.suggestions?.some(
        (s) => s.reply?.postbackData === RETRY_SIGN_IN_POSTBACK,
      );
      if (!offersRetry) continue; // the sign-in suggestion: the device taps it by itself
      if (retries >= (options.maxRetries ?? 3)) return outcome(false, 'gave up after retries');
      retries++;
      const res = await fetch(`${emulator.url}/__harness/conversations/${id}/user-events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'suggestion-response',
          postbackData: RETRY_SIGN_IN_POSTBACK,
          text: 'Try again',
        }),
      });
      await res.arrayBuffer();
    }
    return outcome(false, 'timed out');
  } catch (err) {
    return outcome(false, (err as Error).message);
  }
}

/** Runs `count` conversations, at most `concurrency` at once; users alternate alice/bob. */
export async function driveConversations(
  emulator: Emulator,
  options: {
    count: number;
    concurrency: number;
    timeoutMs?: number;
    onDone?: (outcome: ConversationOutcome, done: number) => void;
  },
): Promise<ConversationOutcome[]> {
  const outcomes: ConversationOutcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency, options.count) }, async () => {
      while (next < options.count) {
        const i = next++;
        const outcome = await driveConversation(emulator, i % 2 ? 'bob' : 'alice', {
          timeoutMs: options.timeoutMs,
        });
        outcomes.push(outcome);
        options.onDone?.(outcome, outcomes.length);
      }
    }),
  );
  return outcomes;
}

import type { Harness } from '../../harness/start/start-harness.ts';

/** Polls a condition (in-process state, so polling costs nothing but a tick). */
export async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** What the agent said in a conversation, oldest first. */
export function agentTexts(harness: Harness, conversationId: string): string[] {
  const view = harness.emulator.conversation(conversationId);
  return (view?.messages ?? []).map((m) => String((m as { text?: unknown }).text ?? ''));
}

import type { Emulator, TimelineEntry } from '../../harness/emulator/index.ts';

/** The agent's greeting after a successful sign-in ("Signed in as …"), as the emulator recorded it. */
export function isSignedInReply(entry: TimelineEntry): boolean {
  if (entry.kind !== 'agent.message') return false;
  const text = (entry.data as { text?: unknown } | undefined)?.text;
  return typeof text === 'string' && /signed in as/i.test(text);
}

/**
 * One whole Business Messages sign-in, in process: the virtual user writes, the agent sends
 * the sign-in suggestion, the device logs in through the provider's HTML form, the emulator
 * posts the code to the agent, which exchanges it, reads userinfo and replies. Resolves with
 * the milliseconds from startConversation until the reply was recorded.
 */
export async function timedFlow(emulator: Emulator, user = 'alice', timeoutMs = 15_000) {
  const started = performance.now();
  const conversation = emulator.startConversation({ user });
  await emulator.store.waitFor(conversation.id, isSignedInReply, timeoutMs);
  return { ms: performance.now() - started, conversationId: conversation.id };
}

/** Where one flow's time went, from its timeline (millisecond timestamps). */
export function flowBreakdown(emulator: Emulator, conversationId: string) {
  const timeline = emulator.store.get(conversationId)?.timeline ?? [];
  const at = (pred: (e: TimelineEntry) => boolean) => {
    const e = timeline.find(pred);
    return e ? Date.parse(e.at) : Number.NaN;
  };
  const opened = at((e) => e.kind === 'conversation.opened');
  const suggestion = at((e) => e.kind === 'agent.message');
  const tapped = at((e) => e.kind === 'device.tap');
  const redirected = at((e) => e.kind === 'device.redirect');
  const reply = at(isSignedInReply);
  return {
    agent_sends_suggestion_ms: suggestion - opened,
    device_login_walk_ms: redirected - tapped,
    agent_handles_code_ms: reply - redirected,
  };
}

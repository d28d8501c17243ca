import type { Emulator, StartConversationInput } from '../emulator/index.ts';
import type { TimelineEntry } from '../emulator/conversation-store.ts';
import { type ConversationView, type Expectation, judge } from '../simulate/judge.ts';

export interface ConverseInput extends StartConversationInput {
  /** How the conversation should end; by default what `behavior` implies (tap → signed-in). */
  expect?: Expectation;
  /** Default 15 s. */
  timeoutMs?: number;
  /** What a successful sign-in reply looks like (your own agent); default /signed in as/i. */
  signedInReply?: RegExp;
}

export interface ConversationOutcome {
  /** True when the conversation ended as expected. */
  ok: boolean;
  conversationId: string;
  expected: Expectation;
  reason: string;
  /** What the agent said after the sign-in outcome. */
  agentReply?: string;
  /** The whole redacted conversation, as the emulator's timeline API shows it. */
  view: ConversationView;
}

const IMPLIED: Record<string, Expectation> = {
  tap: 'signed-in',
  deny: 'denied',
  abandon: 'abandoned',
};

/**
 * Opens a conversation as a virtual user and resolves once it has ended (judged after every
 * timeline entry, so there is no polling delay). Never rejects for an unexpected ending:
 * `ok` and `reason` say what happened; it rejects only on timeout.
 */
export function converse(
  emulator: Emulator,
  input: ConverseInput = {},
): Promise<ConversationOutcome> {
  const { expect: wanted, timeoutMs = 15_000, signedInReply, ...start } = input;
  const expected = wanted ?? IMPLIED[start.behavior ?? 'tap'];
  if (!expected) {
    return Promise.reject(
      new TypeError(
        `converse: say what to expect for behavior "${start.behavior}" (option expect)`,
      ),
    );
  }
  return new Promise((resolve, reject) => {
    let conversationId = '';
    const check = (id?: string, _entry?: TimelineEntry) => {
      if (!conversationId || (id !== undefined && id !== conversationId)) return;
      const view = emulator.conversation(conversationId) as ConversationView | undefined;
      if (!view) return;
      const verdict = judge(view, expected, { signedInReply });
      if (!verdict.finished) return;
      finish();
      resolve({
        ok: verdict.ok,
        conversationId,
        expected,
        reason: verdict.reason,
        ...(verdict.agentReply === undefined ? {} : { agentReply: verdict.agentReply }),
        view,
      });
    };
    const timer = setTimeout(() => {
      finish();
      reject(
        new Error(`converse: conversation ${conversationId} did not end within ${timeoutMs} ms`),
      );
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      emulator.store.off('entry', check);
    };
    emulator.store.on('entry', check);
    conversationId = emulator.startConversation(start).id;
    check();
  });
}

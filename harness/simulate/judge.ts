/**
 * Decides, from an emulator conversation view, whether a simulated conversation has finished
 * and whether it ended the way the user asked. Pure: the CLI polls, this only reads.
 */

export type Expectation = 'signed-in' | 'denied' | 'abandoned';

export interface TimelineEntryView {
  seq: number;
  at: string;
  kind: string;
  level: string;
  summary: string;
  data?: unknown;
}

export interface ConversationView {
  conversationId: string;
  user: { username: string; displayName?: string; locale?: string };
  behavior: string;
  redirectUri?: string;
  createdAt: string;
  authState: string;
  messages: { name?: string; text?: string }[];
  timeline: TimelineEntryView[];
}

export interface Verdict {
  finished: boolean;
  ok: boolean;
  /** One sentence a person reads: what happened, or what is still awaited. */
  reason: string;
  /** The agent's last words after the sign-in outcome, if any. */
  agentReply?: string;
}

const AUTH_LABEL = 'authenticationResponse';

function labelOf(entry: TimelineEntryView): string | undefined {
  const data = entry.data as { label?: unknown } | undefined;
  return typeof data?.label === 'string' ? data.label : undefined;
}

export interface JudgeOptions {
  /**
   * What the agent's answer to a successful sign-in looks like. The emulator sees the code
   * reach the agent but not the agent's token exchange, so the reply is the evidence; the
   * default fits the reference agent ("Signed in as …").
   */
  signedInReply?: RegExp;
}

export const DEFAULT_SIGNED_IN_REPLY = /signed in as/i;

export function judge(
  view: ConversationView,
  expected: Expectation,
  options: JudgeOptions = {},
): Verdict {
  const signedInReply = options.signedInReply ?? DEFAULT_SIGNED_IN_REPLY;
  const t = view.timeline;
  const deviceError = t.find((e) => e.kind === 'device.error');
  const abandoned = t.find((e) => e.kind === 'device.abandoned');
  const authSent = t.find((e) => e.kind === 'webhook.send' && e.summary.startsWith(AUTH_LABEL));
  const authSettled = t.find(
    (e) =>
      (e.kind === 'webhook.delivered' || e.kind === 'webhook.failed') && labelOf(e) === AUTH_LABEL,
  );
  const denied = t.some((e) => e.kind === 'device.oauth-error' && /ACCESS_DENIED/.test(e.summary));

  if (expected === 'abandoned') {
    if (authSent)
      return done(
        false,
        'the device posted an authentication response although it was told to abandon',
      );
    if (abandoned)
      return done(true, 'the user abandoned the sign-in; nothing was posted to the agent');
    if (deviceError) return done(false, deviceError.summary);
    return pending('waiting for the agent to send the sign-in suggestion');
  }

  if (deviceError) return done(false, deviceError.summary);
  if (abandoned) return done(false, 'the device abandoned the sign-in');
  if (!authSettled) {
    return pending(
      authSent
        ? 'waiting for the webhook delivery of the sign-in result'
        : 'waiting for the sign-in',
    );
  }
  if (authSettled.kind === 'webhook.failed') {
    return done(false, 'the authentication response could not be delivered to the agent webhook');
  }
  // The agent usually answers while still handling the webhook, so before `delivered`.
  const replyEntry = t.find((e) => e.kind === 'agent.message' && e.seq > (authSent?.seq ?? 0));
  if (!replyEntry) return pending('waiting for the agent to answer the sign-in result');
  const agentReply = view.messages.at(-1)?.text;

  if (expected === 'signed-in') {
    if (view.authState !== 'succeeded') {
      return done(false, `the sign-in ended ${view.authState}`, agentReply);
    }
    return signedInReply.test(agentReply ?? '')
      ? done(true, `signed in as ${view.user.displayName ?? view.user.username}`, agentReply)
      : done(
          false,
          `the agent got the code but did not confirm the sign-in (reply ${JSON.stringify(agentReply ?? '')} does not match ${signedInReply})`,
          agentReply,
        );
  }
  return denied
    ? done(true, 'the user denied consent; the agent was told ACCESS_DENIED', agentReply)
    : done(false, `expected a denial but the sign-in ended ${view.authState}`, agentReply);
}

function done(ok: boolean, reason: string, agentReply?: string): Verdict {
  return { finished: true, ok, reason, ...(agentReply === undefined ? {} : { agentReply }) };
}

function pending(reason: string): Verdict {
  return { finished: false, ok: false, reason };
}

import { describe, expect, it } from 'vitest';
import { type ConversationView, judge, type TimelineEntryView } from './judge.ts';

let seq = 0;
const entry = (kind: string, summary = kind, data?: unknown): TimelineEntryView => ({
  seq: ++seq,
  at: new Date(0).toISOString(),
  kind,
  level: 'info',
  summary,
  data,
});

function view(authState: string, timeline: TimelineEntryView[], texts: string[] = []) {
  return {
    conversationId: 'c1',
    user: { username: 'alice', displayName: 'Alice' },
    behavior: 'tap',
    createdAt: new Date(0).toISOString(),
    authState,
    messages: texts.map((text) => ({ text })),
    timeline,
  } satisfies ConversationView;
}

const authSend = () => entry('webhook.send', 'authenticationResponse → http://agent/webhook');
const delivered = () =>
  entry('webhook.delivered', 'delivered', { label: 'authenticationResponse' });

describe('judge', () => {
  it('is pending until the agent answers the sign-in result', () => {
    const v = view('succeeded', [authSend(), delivered()]);
    expect(judge(v, 'signed-in')).toMatchObject({ finished: false });
  });

  it('passes a sign-in the agent answered', () => {
    const v = view(
      'succeeded',
      [authSend(), entry('agent.message'), delivered()],
      ['signed in as Alice'],
    );
    expect(judge(v, 'signed-in')).toEqual({
      finished: true,
      ok: true,
      reason: 'signed in as Alice',
      agentReply: 'signed in as Alice',
    });
  });

  it('fails a sign-in the agent did not confirm (e.g. its token exchange failed)', () => {
    const v = view(
      'succeeded',
      [authSend(), entry('agent.message'), delivered()],
      ['Sign-in did not complete.'],
    );
    expect(judge(v, 'signed-in')).toMatchObject({ finished: true, ok: false });
    expect(judge(v, 'signed-in', { signedInReply: /did not complete/ })).toMatchObject({
      ok: true,
    });
  });

  it('fails a sign-in whose result could not be delivered', () => {
    const v = view('succeeded', [
      authSend(),
      entry('webhook.failed', 'x', { label: 'authenticationResponse' }),
    ]);
    expect(judge(v, 'signed-in')).toMatchObject({ finished: true, ok: false });
  });

  it('fails at once on a device error, whatever was asked', () => {
    const v = view('failed', [entry('device.error', 'login form not found')]);
    expect(judge(v, 'signed-in')).toMatchObject({
      finished: true,
      ok: false,
      reason: 'login form not found',
    });
    expect(judge(v, 'denied')).toMatchObject({ finished: true, ok: false });
  });

  it('needs ACCESS_DENIED for a denial to pass', () => {
    const denied = view('failed', [
      entry('device.oauth-error', 'provider returned error=access_denied → ACCESS_DENIED'),
      authSend(),
      entry('agent.message'),
      delivered(),
    ]);
    expect(judge(denied, 'denied')).toMatchObject({ finished: true, ok: true });
    const other = view('failed', [
      entry('device.oauth-error', 'provider returned error=server_error → SERVER_ERROR'),
      authSend(),
      entry('agent.message'),
      delivered(),
    ]);
    expect(judge(other, 'denied')).toMatchObject({ finished: true, ok: false });
  });

  it('passes an abandon only when nothing was posted', () => {
    expect(judge(view('none', [entry('device.abandoned')]), 'abandoned')).toMatchObject({
      ok: true,
    });
    expect(judge(view('none', [entry('device.abandoned'), authSend()]), 'abandoned')).toMatchObject(
      { finished: true, ok: false },
    );
  });
});

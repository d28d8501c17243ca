import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../emulator/emulator.ts';
import { MAX_AUTOMATIC_TAPS } from './virtual-device.ts';
import type { Json } from '../emulator/test-support/json.ts';
import { postAgentMessage, signInMessage } from '../emulator/test-support/agent-api.ts';
import type { StubWebhook } from '../emulator/test-support/stub-webhook.ts';
import { startTestEmulator } from '../emulator/test-support/test-emulator.ts';
import type { HttpLoginOptions, HttpLoginResult } from '../login/http-login.ts';

/**
 * What the device does with the redirect it captured, using a scripted login walk in place
 * of a provider: each case answers with a crafted Location for the authorize URL it got.
 */
let emulator: Emulator;
let webhook: StubWebhook;
let token: string;
let answer: (authorizeUrl: URL) => string;
const seen: HttpLoginOptions[] = [];

let close: () => Promise<void>;
beforeAll(async () => {
  ({ emulator, webhook, token, close } = await startTestEmulator({
    providerAuthorizeUrl: 'http://127.0.0.1:9/oauth/authorize?tenant=t1',
    retry: { maxAttempts: 1 },
    login: async (options: HttpLoginOptions): Promise<HttpLoginResult> => {
      seen.push(options);
      return {
        location: answer(new URL(options.authorizeUrl)),
        // As the walker reports its first step (its URLs are redacted, the challenge is not).
        steps: [{ method: 'GET', url: options.authorizeUrl, status: 302, ms: 1 }],
        via: 'redirect',
      };
    },
  }));
});
afterAll(() => close());

async function run(behavior: 'tap' | 'deny', respond: (u: URL) => string) {
  answer = respond;
  const c = emulator.startConversation({
    user: 'bob',
    behavior,
    redirectUri: 'https://business.google.com/message?az-intent-type=1',
  });
  const res = await postAgentMessage(
    emulator.url,
    token,
    c.id,
    signInMessage('m', { scopes: ['openid', 'email'] }),
  );
  expect(res.status).toBe(200);
  const delivery = await webhook.next(
    (w) => w.body.conversationId === c.id && 'authenticationResponse' in w.body,
  );
  return { id: c.id, response: (delivery.body as Json).authenticationResponse };
}

describe('virtual device redirect handling', () => {
  it('sends everything Google sent on the authorize URL and the user/consent to the walker', async () => {
    const { response } = await run(
      'deny',
      (u) =>
        `https://business.google.com/message?az-intent-type=1&code=abc&state=${u.searchParams.get('state')}`,
    );
    const options = seen.at(-1)!;
    const url = new URL(options.authorizeUrl);
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:9/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      tenant: 't1',
      response_type: 'code',
      client_id: 'CID',
      redirect_uri: 'https://business.google.com/message?az-intent-type=1',
      scope: 'openid email',
      code_challenge: 'CH',
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{16,}$/);
    expect(options).toMatchObject({ username: 'bob', password: 'bob-password', consent: 'deny' });
    expect(options.stopAt('https://business.google.com/callback?code=x')).toBe(true);
    expect(options.stopAt('http://127.0.0.1:9/authorize')).toBe(false);
    expect(response).toEqual({
      code: 'abc',
      redirectUri: 'https://business.google.com/message?az-intent-type=1',
    });
  });

  it('answers INVALID_REQUEST when the state does not come back', async () => {
    const { id, response } = await run(
      'tap',
      () => 'https://business.google.com/message?az-intent-type=1&code=abc&state=forged',
    );
    expect(response.errorDetails.error).toBe('INVALID_REQUEST');
    expect(
      emulator.conversation(id)!.timeline.some((e) => e.kind === 'device.state-mismatch'),
    ).toBe(true);
  });

  it('maps unknown OAuth errors to ERROR_UNSPECIFIED and keeps the description', async () => {
    const { response } = await run(
      'tap',
      (u) =>
        `https://business.google.com/message?az-intent-type=1&error=login_required&error_description=Sign+in+again&state=${u.searchParams.get('state')}`,
    );
    expect(response).toEqual({
      errorDetails: { error: 'ERROR_UNSPECIFIED', errorDescription: 'Sign in again' },
    });
  });

  it('warns about a provider that drops az-intent-type or appends blindly', async () => {
    const { id } = await run(
      'tap',
      (u) => `https://business.google.com/message?&&code=abc&state=${u.searchParams.get('state')}`,
    );
    const warnings = emulator
      .conversation(id)!
      .timeline.filter((e) => e.kind === 'warning')
      .map((e) => e.summary);
    expect(warnings.join('\n')).toMatch(/&&/);
    expect(warnings.join('\n')).toMatch(/az-intent-type=1/);
  });

  it('taps automatically at most MAX_AUTOMATIC_TAPS times in one conversation', async () => {
    answer = (u) =>
      `https://business.google.com/callback?error=access_denied&state=${u.searchParams.get('state')}`;
    const c = emulator.startConversation({ behavior: 'deny' });
    for (let i = 0; i < MAX_AUTOMATIC_TAPS + 1; i++) {
      const res = await postAgentMessage(emulator.url, token, c.id, signInMessage(`m${i}`));
      expect(res.status).toBe(200);
    }
    await emulator.device.idle();
    const timeline = emulator.conversation(c.id)!.timeline;
    expect(timeline.filter((e) => e.kind === 'device.tap')).toHaveLength(MAX_AUTOMATIC_TAPS);
    expect(timeline.some((e) => e.kind === 'device.ignored' && e.level === 'warn')).toBe(true);
  });

  it('forwards an omitted method as plain but keeps the plain challenge (the verifier) out of the timeline', async () => {
    const verifier = 'plain-verifier-0123456789-abcdefghijklmnopqrstuvwxyz';
    answer = (u) =>
      `https://business.google.com/callback?code=abc&state=${u.searchParams.get('state')}`;
    const c = emulator.startConversation({ behavior: 'tap' });
    const res = await postAgentMessage(
      emulator.url,
      token,
      c.id,
      signInMessage('plain', { codeChallenge: verifier, codeChallengeMethod: undefined }),
    );
    expect(res.status).toBe(200);
    // The agent gets its message back unchanged.
    expect(JSON.stringify(await res.json())).toContain(verifier);
    await webhook.next((w) => w.body.conversationId === c.id && 'authenticationResponse' in w.body);
    const sent = new URL(seen.at(-1)!.authorizeUrl).searchParams;
    expect(sent.get('code_challenge')).toBe(verifier);
    expect(sent.get('code_challenge_method')).toBe('plain');
    const view = emulator.conversation(c.id)!;
    expect(view.timeline.some((e) => e.level === 'warn' && /plain/.test(e.summary))).toBe(true);
    expect(JSON.stringify(view)).not.toContain(verifier);
    expect(JSON.stringify(view)).not.toContain(verifier.slice(10));
  });

  it('reports a redirect with neither code nor error as ERROR_UNSPECIFIED', async () => {
    const { response } = await run(
      'tap',
      (u) =>
        `https://business.google.com/message?az-intent-type=1&state=${u.searchParams.get('state')}`,
    );
    expect(response.errorDetails.error).toBe('ERROR_UNSPECIFIED');
  });
});

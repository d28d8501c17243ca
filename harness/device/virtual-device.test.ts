import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockProvider, type MockProvider } from '../../mock-provider/index.ts';
import { BUSINESS_MESSAGES_REDIRECT_URIS } from '../../wire/redirect-uris.ts';
import { type Emulator, createEmulator } from '../emulator/emulator.ts';
import { serviceAccountToken } from '../emulator/test-support/service-account-token.ts';
import { type StubWebhook, startStubWebhook } from '../emulator/test-support/stub-webhook.ts';
import type { Json } from '../emulator/test-support/json.ts';

/**
 * The virtual device end to end: the agent side is played by this test (it sends the
 * authentication request and redeems the code), the provider is the real mock provider with
 * its HTML login and consent pages, and the webhook is a stand-in that records deliveries.
 */
let provider: MockProvider;
let emulator: Emulator;
let webhook: StubWebhook;
let token: string;
const logged: string[] = [];

beforeAll(async () => {
  provider = await createMockProvider({ port: 0, quiet: true });
  webhook = await startStubWebhook();
  emulator = await createEmulator({
    port: 0,
    providerAuthorizeUrl: `${provider.url}/authorize`,
    agentWebhookUrl: webhook.url,
    retry: { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 },
    log: { info() {}, warn: (m: string) => logged.push(m), error: (m: string) => logged.push(m) },
  });
  token = await serviceAccountToken(emulator.url);
});
afterAll(async () => {
  await emulator?.close();
  await webhook?.close();
  await provider?.close();
});

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function requestSignIn(conversationId: string, oauth: Record<string, unknown>) {
  const res = await fetch(`${emulator.url}/v1/conversations/${conversationId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      messageId: crypto.randomUUID(),
      representative: { representativeType: 'BOT' },
      text: 'Sign in to continue the conversation.',
      suggestions: [
        {
          authenticationRequest: {
            oauth: { clientId: 'bm-agent', scopes: ['openid', 'profile'], ...oauth },
          },
        },
      ],
    }),
  });
  expect(res.status).toBe(200);
}

const authResponseFor = (id: string) =>
  webhook.next((w) => w.body.conversationId === id && 'authenticationResponse' in w.body);

async function redeem(code: string, redirectUri: string, verifier: string) {
  const res = await fetch(`${provider.url}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from('bm-agent:bm-agent-secret').toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('virtual device through the mock provider HTML login', () => {
  it.each(BUSINESS_MESSAGES_REDIRECT_URIS.map((u) => [u]))(
    'tap with redirect URI %s posts a code the provider redeems',
    async (redirectUri) => {
      const c = emulator.startConversation({ user: 'alice', behavior: 'tap', redirectUri });
      const { verifier, challenge } = pkce();
      await requestSignIn(c.id, { codeChallenge: challenge, codeChallengeMethod: 'S256' });
      const delivery = await authResponseFor(c.id);
      expect(delivery.signatureValid).toBe(true);
      const body = delivery.body as Record<string, Json>;
      expect(body.authenticationResponse.redirectUri).toBe(redirectUri);
      expect(typeof body.authenticationResponse.code).toBe('string');
      expect(body.context.userInfo.displayName).toBe('Alice');
      expect(body.sendTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
      expect(body.agent).toBe('brands/harness-brand/agents/harness-agent');
      const redeemed = await redeem(body.authenticationResponse.code, redirectUri, verifier);
      expect(redeemed.status).toBe(200);
      expect(redeemed.body.access_token).toBeTruthy();
      const view = emulator.conversation(c.id)!;
      expect(view.authState).toBe('succeeded');
      const kinds = view.timeline.map((e) => e.kind);
      expect(kinds).toEqual(
        expect.arrayContaining([
          'device.tap',
          'device.login-step',
          'device.redirect',
          'webhook.delivered',
        ]),
      );
      // The login went through HTML forms (login and consent posts), and nothing secret leaked.
      expect(
        view.timeline.filter((e) => e.kind === 'device.login-step' && e.summary.startsWith('POST'))
          .length,
      ).toBeGreaterThanOrEqual(2);
      expect(JSON.stringify(view)).not.toContain(body.authenticationResponse.code);
      expect(JSON.stringify(view)).not.toContain('alice-password');
    },
  );

  it('deny posts errorDetails ACCESS_DENIED', async () => {
    const c = emulator.startConversation({ user: 'bob', behavior: 'deny' });
    await requestSignIn(c.id, { codeChallenge: pkce().challenge, codeChallengeMethod: 'S256' });
    const body = (await authResponseFor(c.id)).body as Record<string, Json>;
    expect(body.authenticationResponse.errorDetails.error).toBe('ACCESS_DENIED');
    expect(body.authenticationResponse.code).toBeUndefined();
    expect(emulator.conversation(c.id)!.authState).toBe('failed');
  });

  it('abandon posts nothing and records it', async () => {
    const c = emulator.startConversation({ behavior: 'abandon' });
    await requestSignIn(c.id, { codeChallenge: pkce().challenge, codeChallengeMethod: 'S256' });
    await emulator.waitFor(c.id, 'device.abandoned', 5_000);
    await emulator.device.idle();
    expect(
      webhook.received.some(
        (w) => w.body.conversationId === c.id && 'authenticationResponse' in w.body,
      ),
    ).toBe(false);
    expect(emulator.conversation(c.id)!.authState).toBe('abandoned');
  });

  it('manual waits for a tap through the harness API, which may pick another redirect URI', async () => {
    const c = emulator.startConversation({ behavior: 'manual' });
    const { verifier, challenge } = pkce();
    await requestSignIn(c.id, { codeChallenge: challenge, codeChallengeMethod: 'S256' });
    await emulator.waitFor(c.id, 'device.awaiting-tap', 5_000);
    expect(emulator.conversation(c.id)!.authState).toBe('awaiting-tap');
    const redirectUri = BUSINESS_MESSAGES_REDIRECT_URIS[3];
    const tap = await fetch(`${emulator.url}/__harness/conversations/${c.id}/tap`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirectUri }),
    });
    expect(tap.status).toBe(200);
    const body = (await authResponseFor(c.id)).body as Record<string, Json>;
    expect(body.authenticationResponse.redirectUri).toBe(redirectUri);
    expect((await redeem(body.authenticationResponse.code, redirectUri, verifier)).status).toBe(
      200,
    );
  });

  it('a manual tap may deny', async () => {
    const c = emulator.startConversation({ behavior: 'manual' });
    await requestSignIn(c.id, { codeChallenge: pkce().challenge, codeChallengeMethod: 'S256' });
    await emulator.waitFor(c.id, 'device.awaiting-tap', 5_000);
    await fetch(`${emulator.url}/__harness/conversations/${c.id}/tap`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ consent: 'deny' }),
    });
    const body = (await authResponseFor(c.id)).body as Record<string, Json>;
    expect(body.authenticationResponse.errorDetails.error).toBe('ACCESS_DENIED');
  });

  it('a tap with nothing pending is 400 FAILED_PRECONDITION', async () => {
    const c = emulator.startConversation({ behavior: 'manual' });
    const res = await fetch(`${emulator.url}/__harness/conversations/${c.id}/tap`, {
      method: 'POST',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { status: string } }).error.status).toBe(
      'FAILED_PRECONDITION',
    );
  });

  it('forwards plain with a loud warning when codeChallengeMethod is omitted', async () => {
    const c = emulator.startConversation({ behavior: 'tap' });
    await requestSignIn(c.id, { codeChallenge: pkce().verifier });
    await authResponseFor(c.id);
    const tapEntry = emulator.conversation(c.id)!.timeline.find((e) => e.kind === 'device.tap')!;
    expect((tapEntry.data as { authorizeUrl: string }).authorizeUrl).toContain(
      'code_challenge_method=plain',
    );
    expect(logged.some((m) => m.includes(c.id) && /plain/.test(m))).toBe(true);
  });

  it('maps an OAuth error redirect from the provider (plain PKCE refused) to errorDetails', async () => {
    const c = emulator.startConversation({ behavior: 'tap' });
    const { verifier } = pkce();
    await requestSignIn(c.id, { codeChallenge: verifier, codeChallengeMethod: 'plain' });
    const body = (await authResponseFor(c.id)).body as Record<string, Json>;
    expect(body.authenticationResponse.errorDetails.error).toBe('INVALID_REQUEST');
    expect(body.authenticationResponse.errorDetails.errorDescription).toMatch(/./);
  });

  it('an unknown client_id gets an error page, not a redirect: nothing posted', async () => {
    const c = emulator.startConversation({ behavior: 'tap' });
    await requestSignIn(c.id, {
      clientId: 'no-such-client',
      codeChallenge: pkce().challenge,
      codeChallengeMethod: 'S256',
    });
    await emulator.waitFor(c.id, 'device.error', 10_000);
    expect(emulator.conversation(c.id)!.authState).toBe('failed');
  });

  it('a redirect URI the provider does not allow leaves the user on an error page: nothing posted', async () => {
    const c = emulator.startConversation({
      behavior: 'tap',
      redirectUri: 'https://business.google.com/callback/evil',
    });
    await requestSignIn(c.id, { codeChallenge: pkce().challenge, codeChallengeMethod: 'S256' });
    const entry = await emulator.waitFor(c.id, 'device.error', 10_000);
    expect(entry.level).toBe('error');
    expect(
      webhook.received.some(
        (w) => w.body.conversationId === c.id && 'authenticationResponse' in w.body,
      ),
    ).toBe(false);
  });
});

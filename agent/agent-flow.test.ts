import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculatePKCECodeChallenge } from 'oauth4webapi';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../harness/start/start-harness.ts';
import { TEST_WEBHOOK_CLIENT_TOKEN } from '../wire/defaults.ts';
import { BUSINESS_MESSAGES_REDIRECT_URIS } from '../wire/redirect-uris.ts';
import { type Agent, createAgent } from './app.ts';
import { RETRY_SIGN_IN_POSTBACK } from './conversation/messages.ts';
import { MemoryAgentStore } from './store/memory-store.ts';
import { startWebhookProxy, type WebhookProxy } from './test-support/webhook-proxy.ts';
import { agentMessages, agentTexts, harnessPost, until } from './test-support/wait.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function harness(options?: Parameters<typeof startHarness>[0]): Promise<Harness> {
  const h = await startHarness(options);
  cleanups.push(() => h.close());
  return h;
}

/** Harness whose emulator delivers through a recording proxy to an agent the test controls. */
async function harnessWithOwnAgent(agentOptions: Parameters<typeof createAgent>[0] = {}) {
  const proxy: WebhookProxy = await startWebhookProxy();
  cleanups.push(() => proxy.close());
  const h = await harness({ agentWebhookUrl: proxy.url });
  const start = async () => {
    const agent = await createAgent({
      store: new MemoryAgentStore(),
      log: false,
      ...agentOptions,
      port: 0,
      googleRootUrl: h.emulator.url,
      issuer: h.provider.issuer,
    });
    proxy.target = agent.webhookUrl;
    return agent;
  };
  const agent = await start();
  cleanups.push(() => agent.close());
  return { h, proxy, agent, start };
}

function signedAgain(
  raw: string,
  changes: Record<string, unknown>,
): { raw: string; signature: string } {
  const body = JSON.stringify({ ...JSON.parse(raw), ...changes });
  return {
    raw: body,
    signature: createHmac('sha512', TEST_WEBHOOK_CLIENT_TOKEN).update(body).digest('base64'),
  };
}

async function postToAgent(agent: Agent, raw: string, signature?: string) {
  const res = await fetch(agent.webhookUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature ? { 'x-goog-signature': signature } : {}),
    },
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The agent may reply to the user before its webhook answer reaches the proxy: wait for it. */
async function recordedAuthResponse(proxy: WebhookProxy) {
  const find = () => proxy.deliveries.find((d) => d.raw.includes('"authenticationResponse"'));
  await until(() => find() !== undefined, 'recorded authenticationResponse delivery');
  return find()!;
}

const signedIn = (name: string) => (t: string) => new RegExp(`^Signed in as ${name}\\b`).test(t);

describe('reference agent end to end (emulator + mock provider + interception)', () => {
  it.each(BUSINESS_MESSAGES_REDIRECT_URIS.map((uri) => [uri]))(
    'signs the user in via %s and greets them by name',
    async (redirectUri) => {
      const h = await harness();
      const { id } = h.emulator.startConversation({ user: 'alice', redirectUri });
      await until(() => agentTexts(h.emulator, id).some(signedIn('Alice')), 'greeting');
      const [request] = agentMessages(h.emulator, id);
      const oauth = request!.suggestions![0]!.authenticationRequest!.oauth;
      expect(oauth).toMatchObject({
        clientId: 'bm-agent',
        codeChallengeMethod: 'S256',
        scopes: ['openid', 'profile'],
      });
      const exchanges = h.provider.events.list().filter((e) => e.type === 'token.exchange');
      expect(exchanges).toHaveLength(1);
      expect(h.agent!.store.getSignedIn(id)?.name).toMatch(/^Alice/);
      expect(h.agent!.store.getPendingAuth(id)).toBeUndefined();
    },
  );

  it('works as a public client too (PKCE only, no client secret)', async () => {
    const h = await harness({ agent: { clientId: 'bm-agent-public', clientSecret: null } });
    const { id } = h.emulator.startConversation({ user: 'bob' });
    await until(() => agentTexts(h.emulator, id).some(signedIn('Bob')), 'greeting');
    const oauth = agentMessages(h.emulator, id)[0]!.suggestions![0]!.authenticationRequest!.oauth;
    expect(oauth.clientId).toBe('bm-agent-public');
  });

  it('userinfo refusing the fresh token ends in a retry suggestion, not a greeting', async () => {
    const h = await harness();
    h.provider.faults.add({ kind: 'userinfo-unauthorized', times: 1 });
    const { id } = h.emulator.startConversation({ user: 'alice' });
    await until(() => agentMessages(h.emulator, id).length >= 2, 'failure reply');
    const reply = agentMessages(h.emulator, id)[1]!;
    expect(reply.text).toMatch(/did not complete/);
    expect(reply.suggestions?.[0]?.reply?.text).toBe('Try again');
    expect(h.agent!.store.getSignedIn(id)).toBeUndefined();
  });

  it('deny: the agent is told ACCESS_DENIED, exchanges nothing and offers a retry', async () => {
    const h = await harness();
    const { id } = h.emulator.startConversation({ user: 'bob', behavior: 'deny' });
    await until(() => agentMessages(h.emulator, id).length >= 2, 'retry message');
    const retry = agentMessages(h.emulator, id)[1]!;
    expect(retry.text).toContain('ACCESS_DENIED');
    expect(retry.suggestions?.[0]?.reply?.text).toBe('Try again');
    expect(h.agent!.store.getSignedIn(id)).toBeUndefined();
    expect(h.provider.events.list().some((e) => e.type === 'token.exchange')).toBe(false);
  });

  it('abandon: the suggestion stays pending and nothing else happens', async () => {
    const h = await harness();
    const { id } = h.emulator.startConversation({ user: 'alice', behavior: 'abandon' });
    await until(() => h.emulator.conversation(id)?.authState === 'abandoned', 'abandon');
    expect(agentMessages(h.emulator, id)).toHaveLength(1);
    expect(h.agent!.store.getPendingAuth(id)).toBeDefined();
    expect(h.agent!.store.getSignedIn(id)).toBeUndefined();
  });

  it('code replay: a redelivery is de-duplicated, a re-sent code is refused or fails invalid_grant', async () => {
    const { h, proxy, agent } = await harnessWithOwnAgent();
    const { id } = h.emulator.startConversation({ user: 'alice', behavior: 'manual' });
    await until(() => h.emulator.conversation(id)?.authState === 'awaiting-tap', 'suggestion');
    expect((await harnessPost(h.emulator, `conversations/${id}/tap`, {})).status).toBe(200);
    await until(() => agentTexts(h.emulator, id).some(signedIn('Alice')), 'greeting');
    const delivered = await recordedAuthResponse(proxy);
    expect(JSON.parse(delivered.response)).toMatchObject({ status: 'signed_in' });

    // Google redelivering the same request: same bytes, same signature.
    const again = await postToAgent(agent, delivered.raw, delivered.signature);
    expect(again).toMatchObject({ status: 200, body: { status: 'duplicate' } });

    // The same code under a new requestId, with nothing pending: refused, nothing exchanged.
    const fresh = signedAgain(delivered.raw, { requestId: 'replayed-1' });
    const refused = await postToAgent(agent, fresh.raw, fresh.signature);
    expect(refused).toMatchObject({ status: 409, body: { error: 'no_pending_sign_in' } });
    expect(h.provider.events.list().filter((e) => e.type === 'token.exchange')).toHaveLength(1);

    // The user asks to sign in again (retry chip); with that request pending, the old code
    // reaches the provider, which refuses it, and the user is told so.
    const retryTap = signedAgain(delivered.raw, {
      requestId: 'retry-chip',
      authenticationResponse: undefined,
      suggestionResponse: {
        message: 'm',
        postbackData: RETRY_SIGN_IN_POSTBACK,
        createTime: 'now',
        text: 'Try again',
        type: 'REPLY',
      },
    });
    expect(await postToAgent(agent, retryTap.raw, retryTap.signature)).toMatchObject({
      status: 200,
      body: { status: 'auth_request_sent' },
    });
    const replay = signedAgain(delivered.raw, { requestId: 'replayed-2' });
    const failed = await postToAgent(agent, replay.raw, replay.signature);
    expect(failed).toMatchObject({
      status: 200,
      body: { status: 'sign_in_failed', reason: 'invalid_grant' },
    });
    expect(agentTexts(h.emulator, id).at(-1)).toMatch(/expired or was already used/);
  });

  it('provider 5xx on the token exchange: the user is told to retry, and the retry succeeds', async () => {
    const { h, proxy, agent } = await harnessWithOwnAgent();
    h.provider.faults.add({ kind: 'token-server-error', status: 503, times: 1 });
    const { id } = h.emulator.startConversation({ user: 'alice' });
    await until(() => agentMessages(h.emulator, id).length >= 2, 'failure reply');
    const failure = agentMessages(h.emulator, id)[1]!;
    expect(failure.text).toMatch(/temporarily unavailable/);
    const chip = failure.suggestions![0]!.reply!;
    const authDelivery = await recordedAuthResponse(proxy);
    expect(JSON.parse(authDelivery.response)).toMatchObject({ reason: 'temporarily_unavailable' });

    // The user taps "Try again" (a suggestionResponse), gets a fresh suggestion, signs in.
    const tap = signedAgain(authDelivery.raw, {
      requestId: 'tap-retry',
      authenticationResponse: undefined,
      suggestionResponse: {
        message: 'm',
        postbackData: chip.postbackData,
        createTime: 'now',
        text: chip.text,
        type: 'REPLY',
      },
    });
    expect((await postToAgent(agent, tap.raw, tap.signature)).status).toBe(200);
    await until(() => agentTexts(h.emulator, id).some(signedIn('Alice')), 'greeting after retry');
    const challenges = agentMessages(h.emulator, id)
      .map((m) => m.suggestions?.[0]?.authenticationRequest?.oauth.codeChallenge)
      .filter(Boolean);
    expect(new Set(challenges).size).toBe(2);
  });

  it('restart between suggestion and code: the SQLite store keeps the flow', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'agent-restart-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const { h, agent: first, start } = await harnessWithOwnAgent({ store: undefined, dataDir });
    const { id } = h.emulator.startConversation({ user: 'bob', behavior: 'manual' });
    await until(() => h.emulator.conversation(id)?.authState === 'awaiting-tap', 'suggestion');
    const verifier = first.store.getPendingAuth(id)!.codeVerifier;
    const sent = agentMessages(h.emulator, id)[0]!.suggestions![0]!.authenticationRequest!.oauth;
    expect(await calculatePKCECodeChallenge(verifier)).toBe(sent.codeChallenge);
    await first.close();

    const second = await start();
    cleanups.push(() => second.close());
    expect((await harnessPost(h.emulator, `conversations/${id}/tap`, {})).status).toBe(200);
    await until(() => agentTexts(h.emulator, id).some(signedIn('Bob')), 'greeting after restart');
    expect(second.store.getSignedIn(id)?.name).toMatch(/^Bob/);
  });
});

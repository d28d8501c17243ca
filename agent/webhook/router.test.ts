import { calculatePKCECodeChallenge } from 'oauth4webapi';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Agent, createAgent } from '../app.ts';
import { MemoryAgentStore } from '../store/memory-store.ts';
import { RecordingMessenger } from '../test-support/recording-messenger.ts';
import { postSigned, userMessage } from '../test-support/signed-post.ts';

let agent: Agent;
let messenger: RecordingMessenger;
let store: MemoryAgentStore;

beforeEach(async () => {
  messenger = new RecordingMessenger();
  store = new MemoryAgentStore();
  agent = await createAgent({
    port: 0,
    store,
    messenger,
    log: false,
    issuer: 'http://127.0.0.1:9', // never reached by these tests
    certsUrl: 'http://127.0.0.1:9/oauth2/v3/certs',
    bodyLimit: '8kb',
  });
});
afterEach(() => agent.close());

describe('webhook setup handshake', () => {
  it('answers 200 text/plain with the secret for the right client token', async () => {
    const res = await postSigned(
      agent.webhookUrl,
      { clientToken: 'test-client-token', secret: 's3cr3t' },
      { signature: null },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('s3cr3t');
  });

  it('refuses a handshake with another client token', async () => {
    const res = await postSigned(
      agent.webhookUrl,
      { clientToken: 'nope', secret: 's3cr3t' },
      { signature: null },
    );
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client_token' });
  });
});

describe('X-Goog-Signature', () => {
  it.each([
    ['missing', null],
    ['wrong', 'AAAA'],
    ['signed with another token', undefined],
  ])('%s signature: 401 JSON and nothing processed', async (_label, signature) => {
    const res = await postSigned(agent.webhookUrl, userMessage('c1'), {
      signature,
      clientToken: signature === undefined ? 'another-token' : undefined,
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_signature' });
    expect(messenger.sent).toHaveLength(0);
    expect(store.getPendingAuth('c1')).toBeUndefined();
    expect(agent.log.entries.map((e) => e.event)).toContain('signature_rejected');
  });

  it('is checked over the raw bytes: the same JSON re-spaced does not verify', async () => {
    const body = JSON.stringify(userMessage('c1'));
    const good = await postSigned(agent.webhookUrl, body);
    expect(good.status).toBe(200);
    const { createHmac } = await import('node:crypto');
    const signature = createHmac('sha512', 'test-client-token').update(body).digest('base64');
    const res = await postSigned(agent.webhookUrl, JSON.stringify(JSON.parse(body), null, 1), {
      signature,
    });
    expect(res.status).toBe(401);
  });

  it('answers 413 JSON for a body over the limit and 400 for signed non-JSON', async () => {
    const big = await postSigned(agent.webhookUrl, {
      conversationId: 'c',
      pad: 'x'.repeat(10_000),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: 'payload_too_large' });
    const bad = await postSigned(agent.webhookUrl, 'not json');
    expect(bad.status).toBe(400);
  });
});

describe('conversation', () => {
  it('answers a user message with an S256 sign-in suggestion whose verifier it keeps', async () => {
    const res = await postSigned(agent.webhookUrl, userMessage('c1'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'auth_request_sent' });
    expect(messenger.sent).toHaveLength(1);
    const { conversationId, message } = messenger.sent[0]!;
    expect(conversationId).toBe('c1');
    const oauth = message.suggestions?.[0]?.authenticationRequest?.oauth;
    expect(oauth).toMatchObject({
      clientId: 'bm-agent',
      codeChallengeMethod: 'S256',
      scopes: ['openid', 'profile'],
    });
    const pending = store.getPendingAuth('c1')!;
    expect(pending.messageId).toBe(message.messageId);
    expect(await calculatePKCECodeChallenge(pending.codeVerifier)).toBe(oauth!.codeChallenge);
  });

  it('makes a fresh verifier for every request', async () => {
    await postSigned(agent.webhookUrl, userMessage('c1'));
    const first = store.getPendingAuth('c1')!.codeVerifier;
    await postSigned(agent.webhookUrl, userMessage('c1'));
    const second = store.getPendingAuth('c1')!.codeVerifier;
    expect(second).not.toBe(first);
    const challenges = messenger.sent.map(
      (s) => s.message.suggestions?.[0]?.authenticationRequest?.oauth?.codeChallenge,
    );
    expect(new Set(challenges).size).toBe(2);
  });

  it('processes a requestId once: a redelivery gets 200 duplicate and sends nothing', async () => {
    const event = userMessage('c1', 'hi', 'same-request');
    expect((await postSigned(agent.webhookUrl, event)).status).toBe(200);
    const again = await postSigned(agent.webhookUrl, event);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'duplicate' });
    expect(messenger.sent).toHaveLength(1);
  });

  it('a delivery that failed to process is processed again on redelivery', async () => {
    messenger.failNext = 1;
    const event = userMessage('c1', 'hi', 'retry-me');
    const failed = await postSigned(agent.webhookUrl, event);
    expect(failed.status).toBe(502);
    expect((await postSigned(agent.webhookUrl, event)).status).toBe(200);
    expect(messenger.sent).toHaveLength(1);
  });

  it('accepts receipts and typing events quietly', async () => {
    const receipts = {
      agent: 'a',
      conversationId: 'c1',
      receipts: {
        receipts: [{ message: 'conversations/c1/messages/m', receiptType: 'READ' }],
        createTime: 'now',
      },
      sendTime: 'now',
    };
    const typing = {
      ...userMessage('c1'),
      message: undefined,
      userStatus: { isTyping: true, createTime: 'now' },
    };
    for (const event of [receipts, typing]) {
      const res = await postSigned(agent.webhookUrl, event);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ignored' });
    }
    expect(messenger.sent).toHaveLength(0);
  });

  it('acknowledges an event kind it does not know (200 ignored, logged)', async () => {
    const survey = { ...userMessage('c1'), message: undefined, surveyResponse: { survey: 's' } };
    const res = await postSigned(agent.webhookUrl, survey);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ignored', kind: 'unknown' });
    expect(messenger.sent).toHaveLength(0);
    expect(agent.log.entries.map((e) => e.event)).toContain('event_ignored');
  });

  it('refuses (409) and logs an authentication response nobody asked for', async () => {
    const event = {
      ...userMessage('never-asked'),
      message: undefined,
      authenticationResponse: { code: 'abc', redirectUri: 'https://business.google.com/callback' },
    };
    const res = await postSigned(agent.webhookUrl, event);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: 'no_pending_sign_in' });
    expect(messenger.sent).toHaveLength(0);
    // Google redelivers non-2xx answers: the redelivery is refused the same way.
    const again = await postSigned(agent.webhookUrl, event);
    expect(again.status).toBe(409);
    const entry = agent.log.entries.find((e) => e.event === 'auth_response_refused');
    expect(entry).toMatchObject({ conversationId: 'never-asked', level: 'warn' });
  });

  it('answers errorDetails with a retry suggestion, and the retry chip sends a new request', async () => {
    await postSigned(agent.webhookUrl, userMessage('c1'));
    const denied = {
      ...userMessage('c1'),
      message: undefined,
      authenticationResponse: {
        errorDetails: { error: 'ACCESS_DENIED', errorDescription: 'user said no' },
      },
    };
    const res = await postSigned(agent.webhookUrl, denied);
    expect(await res.json()).toMatchObject({ status: 'sign_in_failed', reason: 'ACCESS_DENIED' });
    const retry = messenger.sent[1]!.message;
    expect(retry.text).toContain('ACCESS_DENIED');
    const chip = retry.suggestions?.[0]?.reply;
    expect(chip?.text).toBe('Try again');
    expect(store.getPendingAuth('c1')).toBeUndefined();
    const tap = {
      ...userMessage('c1'),
      message: undefined,
      suggestionResponse: {
        message: 'm',
        postbackData: chip!.postbackData,
        createTime: 'now',
        text: 'Try again',
        type: 'REPLY',
      },
    };
    expect(await (await postSigned(agent.webhookUrl, tap)).json()).toMatchObject({
      status: 'auth_request_sent',
    });
    expect(store.getPendingAuth('c1')).toBeDefined();
  });

  it('rejects an authenticationResponse with neither code nor errorDetails (400)', async () => {
    await postSigned(agent.webhookUrl, userMessage('c1'));
    const res = await postSigned(agent.webhookUrl, {
      ...userMessage('c1'),
      message: undefined,
      authenticationResponse: { code: 5 },
    });
    expect(res.status).toBe(400);
    expect(store.getPendingAuth('c1')).toBeDefined();
    // The error code must stay readable in the log (a field named `code` is redacted).
    const entry = agent.log.entries.find((e) => e.event === 'webhook_failed');
    expect(entry).toMatchObject({ errorCode: 'INVALID_AUTHENTICATION_RESPONSE', level: 'error' });
  });

  it('never logs the verifier or code', async () => {
    await postSigned(agent.webhookUrl, userMessage('c1'));
    const verifier = store.getPendingAuth('c1')!.codeVerifier;
    expect(JSON.stringify(agent.log.entries)).not.toContain(verifier);
  });
});

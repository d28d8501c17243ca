import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_AGENT_NAME } from '../../wire/defaults.ts';
import { type Emulator, createEmulator } from './emulator.ts';
import type { Json } from './test-support/json.ts';
import { serviceAccountToken } from './test-support/service-account-token.ts';
import { type StubWebhook, startStubWebhook } from './test-support/stub-webhook.ts';

/**
 * Malformed requests found by poking a running emulator: each once answered 500, HTML, or
 * left the emulator in a state where the next conversation crashed the process.
 */
let emulator: Emulator;
let webhook: StubWebhook;
let token: string;
const errors: unknown[][] = [];

beforeAll(async () => {
  webhook = await startStubWebhook();
  emulator = await createEmulator({
    port: 0,
    providerAuthorizeUrl: 'http://127.0.0.1:9/authorize',
    retry: { maxAttempts: 1 },
    log: { info() {}, warn() {}, error: (...args: unknown[]) => errors.push(args) },
  });
  token = await serviceAccountToken(emulator.url);
  // Partner webhook set through the API (the handshake), so deliveries use the directory.
  const res = await raw(
    'PATCH',
    '/v1/partners/harness-partner?updateMask=productCapabilities',
    JSON.stringify({
      productCapabilities: [
        { product: 'BUSINESS_MESSAGES', businessMessagesCapability: { webhookUrl: webhook.url } },
      ],
    }),
  );
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await emulator.close();
  await webhook.close();
});

async function raw(method: string, path: string, body?: string) {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });
  const text = await res.text();
  let json: Record<string, Json> | undefined;
  try {
    json = JSON.parse(text) as Record<string, Json>;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

function message(id: string, extra: Record<string, unknown> = {}) {
  return { messageId: id, representative: { representativeType: 'BOT' }, text: 'Hi', ...extra };
}

/** A conversation still opens and its first user message still reaches the webhook. */
async function stillDelivers() {
  const c = emulator.startConversation({ behavior: 'abandon' });
  const delivery = await webhook.next((w) => w.body.conversationId === c.id);
  expect((delivery.body as Json).message.text).toBe('Hi');
  return c;
}

describe('malformed requests get Google-shaped 4xx, never 500', () => {
  it('rejects null items in repeated fields', async () => {
    const c = await stillDelivers();
    const nullSuggestion = await raw(
      'POST',
      `/v1/conversations/${c.id}/messages`,
      JSON.stringify(message('m1', { suggestions: [null] })),
    );
    expect(nullSuggestion.status).toBe(400);
    expect(nullSuggestion.json?.error.status).toBe('INVALID_ARGUMENT');
    expect(nullSuggestion.json?.error.message).toContain('message.suggestions[0]');
    const nullScope = await raw(
      'POST',
      `/v1/conversations/${c.id}/messages`,
      JSON.stringify(
        message('m2', {
          suggestions: [
            {
              authenticationRequest: {
                oauth: { clientId: 'C', codeChallenge: 'x', scopes: [null] },
              },
            },
          ],
        }),
      ),
    );
    expect(nullScope.status).toBe(400);
    expect(nullScope.json?.error.message).toContain(
      'message.suggestions[0].authentication_request.oauth.scopes[0]',
    );
  });

  it('rejects deeply nested JSON before storing anything', async () => {
    const c = await stillDelivers();
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const res = await raw(
      'POST',
      `/v1/conversations/${c.id}/messages`,
      `{"messageId":"deep","representative":{"representativeType":"BOT"},"richCard":${deep}}`,
    );
    expect(res.status).toBe(400);
    expect(res.json?.error.status).toBe('INVALID_ARGUMENT');
    expect(res.json?.error.message).toMatch(/nest/i);
    expect(emulator.store.get(c.id)!.messages.has('deep')).toBe(false);
    // The control API too: its error path records the request body.
    const harness = await fetch(`${emulator.url}/__harness/conversations/${c.id}/user-events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"type":"nope","x":${deep}}`,
    });
    expect(harness.status).toBe(400);
    expect(((await harness.json()) as Json).error.status).toBe('INVALID_ARGUMENT');
  });

  it('refuses field-mask paths that reach Object.prototype', async () => {
    const res = await raw(
      'PATCH',
      `/v1/${TEST_AGENT_NAME}?updateMask=businessMessagesAgent.entryPointConfigs.__proto__.polluted`,
      '{"businessMessagesAgent":{"entryPointConfigs":{"__proto__":{"polluted":"yes"}}}}',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(res.status).toBe(400);
    expect(res.json?.error.details[0].fieldViolations[0].field).toBe('update_mask');
  });

  it('refuses a PATCH that clears businessMessagesAgent, and conversations keep working', async () => {
    const res = await raw('PATCH', `/v1/${TEST_AGENT_NAME}?updateMask=businessMessagesAgent`, '{}');
    expect(res.status).toBe(400);
    expect(res.json?.error.message).toContain('business_messages_agent');
    const agent = await raw('GET', `/v1/${TEST_AGENT_NAME}`);
    expect(agent.json?.businessMessagesAgent.customAgentId).toBe('harness-custom-agent');
    await stillDelivers();
  });

  it('checks partner productCapabilities, so a bad PATCH cannot break later deliveries', async () => {
    for (const productCapabilities of [
      [null],
      [{ businessMessagesCapability: { webhookUrl: 7 } }],
      ['x'],
    ]) {
      const res = await raw(
        'PATCH',
        '/v1/partners/harness-partner?updateMask=productCapabilities',
        JSON.stringify({ productCapabilities }),
      );
      expect(res.status, JSON.stringify(productCapabilities)).toBe(400);
      expect(res.json?.error.status).toBe('INVALID_ARGUMENT');
    }
    await stillDelivers();
  });

  it('accepts every Agent field the businesscommunications client knows', async () => {
    const res = await raw(
      'PATCH',
      `/v1/${TEST_AGENT_NAME}?updateMask=displayName`,
      JSON.stringify({
        displayName: 'Harness Agent',
        verifiedCallsAgent: {},
        businessMessagesAgent: { dialogflowAssociation: {} },
      }),
    );
    expect(res.status).toBe(200);
  });

  it('adds up a repeated updateMask instead of ignoring it', async () => {
    const res = await raw(
      'PATCH',
      `/v1/${TEST_AGENT_NAME}?updateMask=displayName&updateMask=noSuchField`,
      JSON.stringify({ displayName: 'Renamed' }),
    );
    expect(res.status).toBe(400);
    expect(res.json?.error.message).toContain('noSuchField');
  });

  it('checks the control API tap body before tapping', async () => {
    const c = emulator.startConversation({ behavior: 'manual' });
    const sent = await raw(
      'POST',
      `/v1/conversations/${c.id}/messages`,
      JSON.stringify(
        message('auth', {
          suggestions: [
            {
              authenticationRequest: {
                oauth: { clientId: 'C', codeChallenge: 'x', scopes: ['openid'] },
              },
            },
          ],
        }),
      ),
    );
    expect(sent.status).toBe(200);
    await emulator.waitFor(c.id, 'device.awaiting-tap');
    for (const body of [{ redirectUri: 5 }, { consent: 'maybe' }]) {
      const res = await fetch(`${emulator.url}/__harness/conversations/${c.id}/tap`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('logged no internal error for any of the above', () => {
    expect(errors).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_AGENT_NAME } from '../../wire/defaults.ts';
import type { Emulator } from './emulator.ts';
import type { StubWebhook } from './test-support/stub-webhook.ts';
import { startTestEmulator } from './test-support/test-emulator.ts';
import type { Json } from './test-support/json.ts';

let emulator: Emulator;
let webhook: StubWebhook;
let token: string;

let close: () => Promise<void>;
beforeAll(async () => {
  ({ emulator, webhook, token, close } = await startTestEmulator({
    agentWebhookUrl: undefined, // deliveries follow the partner webhook set through the API
    providerAuthorizeUrl: 'http://127.0.0.1:9/authorize',
  }));
});
afterAll(() => close());

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, Json> };
}

const agentPath = `/v1/${TEST_AGENT_NAME}`;

describe('brands.agents', () => {
  it('returns the agent with the provider authorize URL as the default endpointUrl', async () => {
    const { status, body } = await call('GET', agentPath);
    expect(status).toBe(200);
    expect(body.name).toBe(TEST_AGENT_NAME);
    expect(body.businessMessagesAgent.authorizationConfig).toEqual({
      endpointUrl: 'http://127.0.0.1:9/authorize',
    });
  });

  it('patches authorizationConfig under updateMask and returns the whole Agent', async () => {
    const { status, body } = await call(
      'PATCH',
      `${agentPath}?updateMask=businessMessagesAgent.authorizationConfig`,
      {
        businessMessagesAgent: {
          authorizationConfig: { endpointUrl: 'https://login.example.com/authorize' },
        },
        displayName: 'ignored: not in the mask',
      },
    );
    expect(status).toBe(200);
    expect(body.displayName).toBe('Harness Agent');
    expect(body.businessMessagesAgent.customAgentId).toBe('harness-custom-agent');
    expect(body.businessMessagesAgent.authorizationConfig.endpointUrl).toBe(
      'https://login.example.com/authorize',
    );
    expect(emulator.directory.endpointUrl(TEST_AGENT_NAME)).toBe(
      'https://login.example.com/authorize',
    );
  });

  it('accepts snake_case mask paths and clears a masked field left out of the body', async () => {
    const { body } = await call(
      'PATCH',
      `${agentPath}?updateMask=business_messages_agent.authorization_config`,
      {},
    );
    expect(body.businessMessagesAgent.authorizationConfig).toBeUndefined();
    await call(
      'PATCH',
      `${agentPath}?updateMask=businessMessagesAgent.authorizationConfig.endpointUrl`,
      {
        businessMessagesAgent: {
          authorizationConfig: { endpointUrl: 'http://127.0.0.1:9/authorize' },
        },
      },
    );
    expect(emulator.directory.endpointUrl(TEST_AGENT_NAME)).toBe('http://127.0.0.1:9/authorize');
  });

  it.each([
    [
      'a relative endpointUrl',
      'updateMask=businessMessagesAgent.authorizationConfig',
      { businessMessagesAgent: { authorizationConfig: { endpointUrl: '/authorize' } } },
      /endpoint_url must be an absolute URL/,
    ],
    ['an unknown mask path', 'updateMask=colour', {}, /Invalid field mask path "colour"/],
    ['the immutable name', 'updateMask=name', { name: 'brands/x/agents/y' }, /immutable/],
    [
      'an unknown field',
      'updateMask=businessMessagesAgent.authorizationConfig',
      { businessMessagesAgent: { authorizationConfig: { endpoint: 'x' } } },
      /Unknown name "endpoint"/,
    ],
  ])('rejects %s with 400 INVALID_ARGUMENT', async (_n, query, body, message) => {
    const res = await call('PATCH', `${agentPath}?${query}`, body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });

  it('answers 404 for an unknown agent and 401 without a token', async () => {
    expect((await call('GET', '/v1/brands/x/agents/y')).status).toBe(404);
    expect((await fetch(`${emulator.url}${agentPath}`)).status).toBe(401);
  });
});

describe('partners (webhook configuration with the clientToken/secret handshake)', () => {
  const setWebhook = (webhookUrl: string) =>
    call('PATCH', '/v1/partners/harness-partner?updateMask=productCapabilities', {
      productCapabilities: [
        { product: 'BUSINESS_MESSAGES', businessMessagesCapability: { webhookUrl } },
      ],
    });

  it('verifies the webhook by handshake before saving it, then delivers there', async () => {
    const { status, body } = await setWebhook(webhook.url);
    expect(status).toBe(200);
    expect(body.productCapabilities[0].businessMessagesCapability.webhookUrl).toBe(webhook.url);
    expect(emulator.store.general.some((e) => e.kind === 'webhook.verified')).toBe(true);
    const c = emulator.startConversation({ behavior: 'abandon' });
    const delivered = await webhook.next((w) => w.body.conversationId === c.id);
    expect(delivered.signatureValid).toBe(true);
  });

  it('refuses a webhook that fails the handshake and keeps the old one', async () => {
    const { status, body } = await setWebhook(`${emulator.url}/__harness/health`);
    expect(status).toBe(400);
    expect(body.error.status).toBe('FAILED_PRECONDITION');
    expect(body.error.message).toMatch(/HTTP 404, expected 200/);
    expect(emulator.directory.webhookUrl()).toBe(webhook.url);
  });
});

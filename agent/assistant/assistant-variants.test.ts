import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistantCertsRouter } from '../../harness/assistant/certs-router.ts';
import { loadAssistantRequestFixture } from '../../harness/assistant/request-fixtures.ts';
import { sendAssistantRequest } from '../../harness/assistant/send.ts';
import { nowSeconds } from '../../harness/assistant/sign.ts';
import { ASSISTANT_VARIANTS } from '../../harness/assistant/variants.ts';
import { type Agent, createAgent } from '../app.ts';
import { MemoryAgentStore } from '../store/memory-store.ts';
import { RecordingMessenger } from '../test-support/recording-messenger.ts';

let certsServer: Server;
let certsBase: string;
const certFetches: string[] = [];
const agents: Record<'jwks' | 'pem', Agent> = {} as never;

async function startAgent(certsUrl: string, clockToleranceSeconds?: number): Promise<Agent> {
  return createAgent({
    port: 0,
    store: new MemoryAgentStore(),
    messenger: new RecordingMessenger(),
    log: false,
    certsUrl,
    clockToleranceSeconds,
  });
}

beforeAll(async () => {
  const app = express();
  app.use((req, _res, next) => {
    certFetches.push(req.path);
    next();
  });
  app.use(assistantCertsRouter());
  certsServer = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => certsServer.once('listening', resolve));
  certsBase = `http://127.0.0.1:${(certsServer.address() as AddressInfo).port}`;
  agents.jwks = await startAgent(`${certsBase}/oauth2/v3/certs`);
  agents.pem = await startAgent(`${certsBase}/oauth2/v1/certs`);
});

afterAll(async () => {
  await Promise.all(Object.values(agents).map((agent) => agent.close()));
  await new Promise<void>((resolve) => certsServer.close(() => resolve()));
});

const body = loadAssistantRequestFixture('main-invocation').raw;

describe.each(['jwks', 'pem'] as const)('reference agent /assistant with %s certs', (format) => {
  for (const variant of ASSISTANT_VARIANTS) {
    it(`${variant.name} → ${variant.expectedStatus}`, async () => {
      const result = await sendAssistantRequest({
        url: agents[format].assistantUrl,
        body,
        variant: variant.name,
      });
      expect(result.status).toBe(variant.expectedStatus);
      if (variant.expectedStatus === 200) {
        expect(result.body).toEqual({
          session: { id: 'ABwppHHharness-main-invocation-session', params: {} },
          prompt: {
            override: false,
            firstSimple: {
              speech: 'Hello from the bm-oauth-harness reference agent.',
              text: 'Hello from the bm-oauth-harness reference agent.',
            },
          },
        });
      } else {
        expect(result.body).toMatchObject({
          error: expect.stringContaining('verification failed'),
        });
      }
    });
  }
});

describe('reference agent /assistant handlers and options', () => {
  it('answers the health check and a handler with parameters', async () => {
    const health = await sendAssistantRequest({
      url: agents.jwks.assistantUrl,
      body: loadAssistantRequestFixture('health-check').raw,
    });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      prompt: { override: true, firstSimple: { speech: 'ok' } },
    });
    const order = await sendAssistantRequest({
      url: agents.jwks.assistantUrl,
      body: loadAssistantRequestFixture('handler-with-params').raw,
    });
    expect(order.body).toMatchObject({
      prompt: { firstSimple: { text: 'Order 42 is on its way.' } },
    });
  });

  it('answers 400 JSON for an unknown handler, even a prototype name', async () => {
    for (const name of ['nope', 'constructor', '__proto__']) {
      const res = await sendAssistantRequest({
        url: agents.jwks.assistantUrl,
        body: { handler: { name }, session: { id: 's' } },
      });
      expect(res.status).toBe(400);
    }
  });

  it('answers 413 JSON to a genuinely signed request over the body limit', async () => {
    const res = await sendAssistantRequest({
      url: agents.jwks.assistantUrl,
      body: { handler: { name: 'greeting' }, pad: 'x'.repeat(300_000) },
    });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: expect.any(String) });
  });

  it('honours the configured clock tolerance', async () => {
    const strict = await startAgent(`${certsBase}/oauth2/v3/certs`, 0);
    try {
      const now = nowSeconds();
      const claims = { iat: now - 3700, nbf: now - 3700, exp: now - 100 };
      const lenient = await sendAssistantRequest({ url: agents.jwks.assistantUrl, body, claims });
      expect(lenient.status).toBe(200);
      const refused = await sendAssistantRequest({ url: strict.assistantUrl, body, claims });
      expect(refused.status).toBe(403);
    } finally {
      await strict.close();
    }
  });

  it('caches the PEM map per its max-age instead of fetching it per request', async () => {
    const before = certFetches.filter((p) => p === '/oauth2/v1/certs').length;
    for (let i = 0; i < 3; i++) {
      await sendAssistantRequest({ url: agents.pem.assistantUrl, body });
    }
    expect(certFetches.filter((p) => p === '/oauth2/v1/certs').length).toBe(before);
    expect(before).toBeGreaterThanOrEqual(1);
  });
});

/**
 * End-to-end suites through startHarness (issue 5): the whole Business Messages flow with
 * the reference agent, the emulator and the mock provider in this process.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Harness,
  startHarness,
  type StartHarnessOptions,
} from '../../harness/start/start-harness.ts';
import { createAgent, MemoryAgentStore } from '../../agent/index.ts';
import { BUSINESS_MESSAGES_REDIRECT_URIS } from '../../wire/redirect-uris.ts';
import { agentTexts, until } from './wait.ts';

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});
async function start(options?: StartHarnessOptions): Promise<Harness> {
  const h = await startHarness(options);
  open.push(h);
  return h;
}

const signedIn = (h: Harness, id: string, name: RegExp) =>
  until(() => agentTexts(h, id).some((t) => name.test(t)), `greeting ${name} in ${id}`);

describe('Business Messages sign-in, in process', () => {
  it.each(BUSINESS_MESSAGES_REDIRECT_URIS)('succeeds through %s', async (redirectUri) => {
    const h = await start();
    const { id } = h.emulator.startConversation({ user: 'alice', redirectUri });
    await signedIn(h, id, /signed in as Alice/i);
    const redirect = h.emulator
      .conversation(id)!
      .timeline.find((e) => e.kind === 'device.redirect')!;
    // The provider appended code and state to the exact registered URI (no ?? or &&).
    const location = (redirect.data as { location: string }).location;
    expect(location.startsWith(redirectUri)).toBe(true);
    expect(location).not.toMatch(/\?\?|&&/);
  });

  it('tells the agent about a denial, and the agent offers a retry', async () => {
    const h = await start();
    const { id } = h.emulator.startConversation({ user: 'bob', behavior: 'deny' });
    await until(() => agentTexts(h, id).some((t) => /ACCESS_DENIED/.test(t)), 'retry offer');
    expect(h.agent!.store.getSignedIn(id)).toBeUndefined();
  });

  it('posts nothing when the user abandons, and the agent keeps waiting', async () => {
    const h = await start();
    const { id } = h.emulator.startConversation({ user: 'bob', behavior: 'abandon' });
    await h.emulator.waitFor(id, 'device.abandoned');
    await h.emulator.device.idle();
    expect(
      h.emulator
        .conversation(id)!
        .timeline.some((e) => e.summary.startsWith('authenticationResponse')),
    ).toBe(false);
    expect(h.agent!.store.getPendingAuth(id)).toBeDefined();
  });

  it('recovers from a provider 5xx on the token exchange with a retry suggestion', async () => {
    const h = await start();
    h.provider.faults.add({ kind: 'token-server-error', times: 1 });
    const { id } = h.emulator.startConversation({ user: 'alice' });
    await until(() => agentTexts(h, id).length >= 2, 'the agent answering the sign-in result');
    expect(agentTexts(h, id).at(-1)).not.toMatch(/signed in as/i);
    expect(h.agent!.store.getSignedIn(id)).toBeUndefined();
  });

  it('retries a webhook your agent could not take, and records every attempt', async () => {
    // Your own agent (here: the reference one, started separately) behind a flaky front
    // that refuses the first delivery with a 503.
    let refusals = 1;
    let target = '';
    const front = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      if (refusals-- > 0) {
        res.writeHead(503).end();
        return;
      }
      const answer = await fetch(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-goog-signature': String(req.headers['x-goog-signature']),
        },
        body: Buffer.concat(chunks),
      });
      res.writeHead(answer.status).end(Buffer.from(await answer.arrayBuffer()));
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const port = (front.address() as AddressInfo).port;
    const h = await start({
      agentWebhookUrl: `http://127.0.0.1:${port}/webhook`,
      emulator: { retry: { initialDelayMs: 5, maxDelayMs: 20 } },
    });
    const agent = await createAgent({
      port: 0,
      googleRootUrl: h.urls.emulator,
      issuer: h.urls.issuer,
      store: new MemoryAgentStore(),
      log: false,
    });
    target = agent.webhookUrl;
    try {
      const { id } = h.emulator.startConversation({ user: 'alice' });
      await until(() => agentTexts(h, id).some((t) => /signed in as Alice/i.test(t)), 'greeting');
      const statuses = h.emulator
        .conversation(id)!
        .timeline.filter((e) => e.kind === 'webhook.attempt')
        .map((e) => (e.data as { status?: number }).status);
      expect(statuses.slice(0, 2)).toEqual([503, 200]);
    } finally {
      await agent.close();
      await new Promise((resolve) => front.close(resolve));
    }
  });
});

import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_WEBHOOK_CLIENT_TOKEN } from '../../wire/defaults.ts';
import { type Harness, startHarness } from './start-harness.ts';

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

async function start(options?: Parameters<typeof startHarness>[0]): Promise<Harness> {
  const harness = await startHarness(options);
  open.push(harness);
  return harness;
}

/** Agent replies carried by the emulator (what the user sees), oldest first. */
function agentTexts(harness: Harness, conversationId: string): string[] {
  const view = harness.emulator.conversation(conversationId);
  return (view?.messages ?? []).map((m) => String((m as { text?: string }).text ?? ''));
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('startHarness', () => {
  it('runs a whole sign-in in process: the agent greets the user by name', async () => {
    const h = await start();
    const { id } = h.emulator.startConversation({ user: 'alice' });
    await until(() => agentTexts(h, id).some((t) => /signed in as Alice/i.test(t)), 'greeting');
    expect(h.emulator.conversation(id)?.authState).toBe('succeeded');
  });

  it('keeps two harnesses in one process apart', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    expect(a.urls.issuer).not.toBe(b.urls.issuer);
    const ca = a.emulator.startConversation({ user: 'alice' });
    const cb = b.emulator.startConversation({ user: 'bob' });
    await until(() => agentTexts(a, ca.id).some((t) => /signed in as Alice/i.test(t)), 'alice');
    await until(() => agentTexts(b, cb.id).some((t) => /signed in as Bob/i.test(t)), 'bob');
    expect(a.emulator.conversation(cb.id)).toBeUndefined();
    expect(b.emulator.conversation(ca.id)).toBeUndefined();
    // Closing the first (whose interception was installed first) must not break the second.
    await a.close();
    open.splice(open.indexOf(a), 1);
    const again = b.emulator.startConversation({ user: 'alice' });
    await until(() => agentTexts(b, again.id).some((t) => /signed in as Alice/i.test(t)), 'again');
  });

  it('closes without leaking handles (servers, sockets, timers)', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
    const h = await startHarness();
    const outcome = await h.converse({ user: 'alice' });
    expect(outcome.ok).toBe(true);
    await h.close();
    // Give closed sockets one turn of the loop to be released.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
    const count = (list: string[]) => {
      const counts: Record<string, number> = {};
      for (const r of list) counts[r] = (counts[r] ?? 0) + 1;
      return counts;
    };
    const grew = Object.entries(count(after)).filter(([r, n]) => n > (count(before)[r] ?? 0));
    expect(grew).toEqual([]);
  });

  it('reports a denied sign-in to the agent, which offers a retry', async () => {
    const h = await start();
    const { id } = h.emulator.startConversation({ user: 'bob', behavior: 'deny' });
    await until(() => h.emulator.conversation(id)?.authState === 'failed', 'denial');
    await until(() => agentTexts(h, id).length >= 2, 'retry message');
    expect(agentTexts(h, id).at(-1)).not.toMatch(/signed in as/i);
  });

  it('delivers to your own webhook when asked, signed, and starts no reference agent', async () => {
    const received: { body: string; signature?: string }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          body: Buffer.concat(chunks).toString('utf8'),
          signature: req.headers['x-goog-signature'] as string | undefined,
        });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const h = await start({ agentWebhookUrl: `http://127.0.0.1:${port}/hook` });
      expect(h.agent).toBeUndefined();
      const { id } = h.emulator.startConversation({ user: 'alice' });
      await until(() => received.length > 0, 'delivery to the custom webhook');
      const first = received[0]!;
      expect(JSON.parse(first.body).conversationId).toBe(id);
      const expected = createHmac('sha512', TEST_WEBHOOK_CLIENT_TOKEN)
        .update(first.body)
        .digest('base64');
      expect(first.signature).toBe(expected);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

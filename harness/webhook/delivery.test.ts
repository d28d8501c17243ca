import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY_POLICY, deliverWebhook } from './delivery.ts';
import { verifyWebhookEndpoint, WebhookVerificationError } from './handshake.ts';
import { verifyWebhookSignature } from './signature.ts';

type Handler = (
  req: IncomingMessage,
  body: string,
) => { status: number; body?: string; hang?: boolean };

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

async function listen(handler: Handler): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const out = handler(req, body);
      if (out.hang) return;
      res.writeHead(out.status, { 'content-type': 'text/plain' }).end(out.body ?? '');
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/webhook`;
}

const fast = { initialDelayMs: 1, maxDelayMs: 4, timeoutMs: 200 };

describe('deliverWebhook', () => {
  it('does not follow redirects: the configured URL must answer 2xx itself', async () => {
    const paths: string[] = [];
    server = createServer((req, res) => {
      paths.push(req.url ?? '');
      req.resume();
      req.on('end', () => {
        if (req.url === '/webhook') res.writeHead(307, { location: '/elsewhere' }).end();
        else res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
    const result = await deliverWebhook({
      url,
      clientToken: 'tok',
      body: '{}',
      retry: { ...fast, maxAttempts: 2 },
    });
    expect(result.delivered).toBe(false);
    expect(result.attempts.map((a) => a.status)).toEqual([307, 307]);
    expect(result.attempts[0]!.error).toMatch(/redirect/);
    expect(paths).toEqual(['/webhook', '/webhook']);
    await expect(verifyWebhookEndpoint(url, 'tok', { timeoutMs: 2000 })).rejects.toThrow(
      WebhookVerificationError,
    );
    expect(paths.at(-1)).toBe('/webhook');
  });

  it('signs the exact body and stops at the first 2xx', async () => {
    const seen: boolean[] = [];
    const url = await listen((req, body) => {
      seen.push(verifyWebhookSignature('tok', body, req.headers['x-goog-signature'] as string));
      return { status: 200 };
    });
    const result = await deliverWebhook({ url, clientToken: 'tok', body: '{"x":1}', retry: fast });
    expect(result.delivered).toBe(true);
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]!.status).toBe(200);
    expect(seen).toEqual([true]);
  });

  it('retries non-2xx and records every attempt', async () => {
    let calls = 0;
    const url = await listen(() => ({ status: ++calls < 3 ? 503 : 200 }));
    const recorded: number[] = [];
    const result = await deliverWebhook({
      url,
      clientToken: 'tok',
      body: '{}',
      retry: fast,
      onAttempt: (a) => recorded.push(a.status ?? -1),
    });
    expect(result.delivered).toBe(true);
    expect(recorded).toEqual([503, 503, 200]);
    expect(result.attempts[0]!.error).toMatch(/503/);
  });

  it('gives up after maxAttempts, counting timeouts and refused connections', async () => {
    const url = await listen(() => ({ status: 0, hang: true }));
    const result = await deliverWebhook({
      url,
      clientToken: 't',
      body: '{}',
      retry: { ...fast, maxAttempts: 2, timeoutMs: 50 },
    });
    expect(result.delivered).toBe(false);
    expect(result.attempts.map((a) => a.error)).toEqual([
      'no answer within 50 ms',
      'no answer within 50 ms',
    ]);
    const refused = await deliverWebhook({
      url: 'http://127.0.0.1:1/x',
      clientToken: 't',
      body: '{}',
      retry: { ...fast, maxAttempts: 2 },
    });
    expect(refused.delivered).toBe(false);
    expect(refused.attempts).toHaveLength(2);
    expect(refused.attempts[0]!.status).toBeUndefined();
  });

  it('stops retrying at once when its signal aborts', async () => {
    const url = await listen(() => ({ status: 503 }));
    const controller = new AbortController();
    const result = await deliverWebhook({
      url,
      clientToken: 't',
      body: '{}',
      retry: { maxAttempts: 5, initialDelayMs: 60_000, maxDelayMs: 60_000 },
      signal: controller.signal,
      onAttempt: () => controller.abort(),
    });
    expect(result).toMatchObject({ delivered: false, cancelled: true });
    expect(result.attempts).toHaveLength(1);
  });

  it('backs off exponentially up to the bound', () => {
    const p = { ...DEFAULT_RETRY_POLICY, initialDelayMs: 100, maxDelayMs: 350, factor: 2 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(p, n))).toEqual([100, 200, 350, 350]);
  });
});

describe('verifyWebhookEndpoint (clientToken/secret handshake)', () => {
  it('passes when the webhook echoes the secret as plain text', async () => {
    let received: unknown;
    const url = await listen((_req, body) => {
      received = JSON.parse(body);
      return { status: 200, body: (received as { secret: string }).secret };
    });
    await expect(verifyWebhookEndpoint(url, 'tok', { secret: 's3cret' })).resolves.toMatchObject({
      status: 200,
    });
    expect(received).toEqual({ clientToken: 'tok', secret: 's3cret' });
  });

  it.each([
    ['a wrong echo', { status: 200, body: 'nope' }, /did not echo/],
    ['JSON instead of the bare secret', { status: 200, body: '{"secret":"s"}' }, /did not echo/],
    ['a non-200 status', { status: 201, body: 's' }, /HTTP 201/],
  ])('fails on %s', async (_name, answer, message) => {
    const url = await listen(() => answer);
    const attempt = verifyWebhookEndpoint(url, 'tok', { secret: 's' });
    await expect(attempt).rejects.toBeInstanceOf(WebhookVerificationError);
    await expect(attempt).rejects.toThrow(message);
  });
});

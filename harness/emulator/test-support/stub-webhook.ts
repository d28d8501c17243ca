import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../../webhook/signature.ts';

export interface ReceivedWebhook {
  body: Record<string, unknown>;
  raw: string;
  signatureValid: boolean;
}

/**
 * A stand-in agent webhook for tests: records each delivery, checks its signature, echoes
 * the handshake secret, and answers with the statuses queued in `failNext`.
 */
export interface StubWebhook {
  url: string;
  received: ReceivedWebhook[];
  /** Statuses to answer with before answering 200 again. */
  failNext: number[];
  next(predicate?: (w: ReceivedWebhook) => boolean, timeoutMs?: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

export async function startStubWebhook(clientToken = 'test-client-token'): Promise<StubWebhook> {
  const received: ReceivedWebhook[] = [];
  const waiters: (() => void)[] = [];
  const failNext: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(raw) as Record<string, unknown>;
      if (typeof body.secret === 'string' && typeof body.clientToken === 'string') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(body.secret);
        return;
      }
      const status = failNext.shift() ?? 200;
      received.push({
        body,
        raw,
        signatureValid: verifyWebhookSignature(
          clientToken,
          raw,
          req.headers['x-goog-signature'] as string,
        ),
      });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  return {
    url,
    received,
    failNext,
    async next(predicate = () => true, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = received.find(predicate);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error('no matching webhook delivery arrived');
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

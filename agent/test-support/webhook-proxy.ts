import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

export interface RecordedDelivery {
  raw: string;
  signature: string | undefined;
  status: number;
  response: string;
}

/**
 * Sits between the emulator and an agent whose address may change (a restarted agent), and
 * keeps the raw signed deliveries so a test can replay them byte for byte.
 */
export interface WebhookProxy {
  url: string;
  target: string;
  deliveries: RecordedDelivery[];
  close(): Promise<void>;
}

export async function startWebhookProxy(initialTarget = ''): Promise<WebhookProxy> {
  const deliveries: RecordedDelivery[] = [];
  const app = express();
  const proxy = { target: initialTarget } as WebhookProxy;
  app.post('/', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const signature = req.get('x-goog-signature');
    try {
      const upstream = await fetch(proxy.target, {
        method: 'POST',
        headers: {
          'content-type': req.get('content-type') ?? 'application/json',
          ...(signature ? { 'x-goog-signature': signature } : {}),
        },
        body: raw,
      });
      const response = await upstream.text();
      deliveries.push({ raw, signature, status: upstream.status, response });
      res
        .status(upstream.status)
        .type(upstream.headers.get('content-type') ?? 'text/plain')
        .send(response);
    } catch (err) {
      deliveries.push({ raw, signature, status: 502, response: String(err) });
      res.status(502).json({ error: 'agent unreachable' });
    }
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  proxy.deliveries = deliveries;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

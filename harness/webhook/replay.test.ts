import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StubWebhook, startStubWebhook } from '../emulator/test-support/stub-webhook.ts';
import {
  applyOverrides,
  listWebhookFixtures,
  loadWebhookFixture,
  ReplayError,
  replayWebhook,
  resolveWebhookFixture,
} from './replay.ts';
import type { Json } from '../emulator/test-support/json.ts';

let webhook: StubWebhook;
beforeAll(async () => {
  webhook = await startStubWebhook('tok');
});
afterAll(() => webhook.close());

describe('webhook fixtures', () => {
  it('cover every event type and every errorDetails code', () => {
    const names = listWebhookFixtures();
    expect(names).toEqual(
      expect.arrayContaining([
        'auth-success',
        'message',
        'suggestion-response-reply',
        'suggestion-response-action',
        'user-status-typing',
        'user-status-live-agent-request',
        'receipts-read',
      ]),
    );
    const codes = names
      .filter((n) => n.startsWith('auth-error-'))
      .map(
        (n) =>
          (loadWebhookFixture(resolveWebhookFixture(n)).authenticationResponse as Json).errorDetails
            .error,
      );
    expect(codes.sort()).toEqual([
      'ACCESS_DENIED',
      'ERROR_UNSPECIFIED',
      'INVALID_REQUEST',
      'INVALID_SCOPE',
      'SERVER_ERROR',
      'TEMPORARILY_UNAVAILABLE',
      'UNAUTHORIZED_CLIENT',
      'UNSUPPORTED_RESPONSE_TYPE',
    ]);
    for (const name of names) {
      const f = loadWebhookFixture(resolveWebhookFixture(name));
      expect(f.sendTime).toMatch(/\.\d{9}Z$/);
      expect('requestId' in f).toBe(!name.startsWith('receipts'));
    }
  });

  it('apply overrides, following the conversation id into message names', () => {
    const f = loadWebhookFixture(resolveWebhookFixture('suggestion-response-reply'));
    const out = applyOverrides(f, {
      conversationId: 'c9',
      now: new Date('2026-02-03T04:05:06.789Z'),
    });
    expect(out.conversationId).toBe('c9');
    expect((out.suggestionResponse as Json).message).toMatch(/^conversations\/c9\/messages\//);
    expect(out.sendTime).toBe('2026-02-03T04:05:06.789000000Z');
    expect((out.suggestionResponse as Json).createTime).toBe('2026-02-03T04:05:06.789000000Z');
    const auth = applyOverrides(loadWebhookFixture(resolveWebhookFixture('auth-success')), {
      code: 'X',
      redirectUri: 'https://business.google.com/callback?',
    });
    expect(auth.authenticationResponse).toEqual({
      code: 'X',
      redirectUri: 'https://business.google.com/callback?',
    });
    expect(() =>
      applyOverrides(loadWebhookFixture(resolveWebhookFixture('message')), { code: 'X' }),
    ).toThrow(ReplayError);
  });

  it('refuses a requestId on receipts, which carry none', () => {
    const receipts = loadWebhookFixture(resolveWebhookFixture('receipts-read'));
    expect(() => applyOverrides(receipts, { requestId: 'r1' })).toThrow(
      /receipts carry no requestId/,
    );
    expect(applyOverrides(receipts, { conversationId: 'c2' })).not.toHaveProperty('requestId');
  });

  it('refuses unknown fixtures with the list of known ones', () => {
    expect(() => resolveWebhookFixture('nope')).toThrow(/auth-success/);
  });
});

describe('replayWebhook', () => {
  it('sends the payload once, signed over the exact bytes', async () => {
    const path = resolveWebhookFixture('auth-success');
    const result = await replayWebhook({
      url: webhook.url,
      payload: loadWebhookFixture(path),
      clientToken: 'tok',
    });
    expect(result.status).toBe(200);
    const got = webhook.received.at(-1)!;
    expect(got.signatureValid).toBe(true);
    expect(got.body).toEqual(JSON.parse(readFileSync(path, 'utf8')));
  });

  it('shows a redirect as the answer instead of following it elsewhere', async () => {
    const { createServer } = await import('node:http');
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? '');
      req.resume();
      res.writeHead(req.url === '/hook' ? 308 : 200, { location: '/other' }).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as { port: number };
      const result = await replayWebhook({
        url: `http://127.0.0.1:${port}/hook`,
        payload: { conversationId: 'c1' },
        clientToken: 't',
      });
      expect(result.status).toBe(308);
      expect(hits).toEqual(['/hook']);
    } finally {
      server.close();
    }
  });

  it('reports an unreachable webhook as SEND_FAILED', async () => {
    await expect(
      replayWebhook({ url: 'http://127.0.0.1:1/x', payload: {}, clientToken: 't' }),
    ).rejects.toMatchObject({ code: 'SEND_FAILED' });
  });
});

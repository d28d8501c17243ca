import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlApi, isLoopbackAddress } from './control-api.ts';
import { EventLog } from './event-log.ts';
import { FaultRegistry } from './faults.ts';
import { MisbehaveState } from './misbehave.ts';
import { createMockProvider, type MockProvider } from './index.ts';
import { CONFIDENTIAL, clientAuth, exchange, insecure, signIn } from './test-support/flow.ts';

let provider: MockProvider;
beforeAll(async () => {
  provider = await createMockProvider({ port: 0, quiet: true, bodyLimitBytes: 4096 });
});
afterAll(() => provider.close());

/** A request with a chunked body (no Content-Length), so only the streaming limit applies. */
function chunked(
  path: string,
  contentType: string,
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, provider.url);
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': contentType, 'transfer-encoding': 'chunked' } },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', reject);
    for (let i = 0; i < body.length; i += 1000) req.write(body.slice(i, i + 1000));
    req.end();
  });
}

describe('bad input gets OAuth-style JSON errors', () => {
  it('413 for a body over the limit, declared or streamed', async () => {
    const big = `grant_type=authorization_code&code=${'x'.repeat(10_000)}`;
    const declared = await fetch(`${provider.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: 'invalid_request' });
    const streamed = await chunked('/token', 'application/x-www-form-urlencoded', big);
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ error: 'invalid_request' });
    const control = await chunked(
      '/__test/faults',
      'application/json',
      JSON.stringify({ kind: 'user-denies', description: 'x'.repeat(10_000) }),
    );
    expect(control.status).toBe(413);
  });

  it('400 for malformed JSON on the control API and for unsupported token content types', async () => {
    const res = await fetch(`${provider.url}/__test/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"kind": ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
    const token = await fetch(`${provider.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(token.status).toBe(400);
    expect(await token.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('400 invalid_request for repeated parameters and a missing grant_type', async () => {
    const auth = `Basic ${Buffer.from(`${CONFIDENTIAL.clientId}:${CONFIDENTIAL.clientSecret}`).toString('base64')}`;
    for (const body of ['grant_type=authorization_code&code=a&code=b&redirect_uri=x', 'code=a']) {
      const res = await fetch(`${provider.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
        body,
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
    }
  });

  it('404 JSON for unknown routes (provider and control API)', async () => {
    const res = await fetch(`${provider.url}/no/such/route`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: 'not_found',
      error_description: 'no route GET /no/such/route',
    });
    const ctl = await fetch(`${provider.url}/__test/nothing`);
    expect(ctl.status).toBe(404);
    expect(await ctl.json()).toMatchObject({ error: 'not_found' });
  });

  it('still serves after all of that', async () => {
    const res = await fetch(`${provider.url}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
  });
});

describe('form-encoded POST bodies reach oidc-provider intact', () => {
  it('POST /userinfo with the access token in the body', async () => {
    const { req, location } = await signIn(provider);
    const tokens = (await (await exchange(provider, req, location)).response.json()) as {
      access_token: string;
    };
    const res = await fetch(`${provider.url}/userinfo`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `access_token=${tokens.access_token}`,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { sub: string }).sub).toBe('user-alice-0001');
  });
});

describe('control API', () => {
  it('only answers loopback addresses', () => {
    expect(isLoopbackAddress('127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('10.0.0.5')).toBe(false);
    expect(isLoopbackAddress('::ffff:192.168.1.2')).toBe(false);
    expect(isLoopbackAddress(undefined)).toBe(false);
  });

  it('answers 403 JSON to a non-loopback client', async () => {
    // The peer address is faked on the socket (192.0.2.7 is TEST-NET-1, never contacted), so
    // the check runs without sending traffic anywhere but loopback.
    const app = express();
    app.use((req, _res, next) => {
      Object.defineProperty(req.socket, 'remoteAddress', {
        value: '192.0.2.7',
        configurable: true,
      });
      next();
    });
    app.use(
      '/__test',
      controlApi({
        faults: new FaultRegistry(),
        misbehave: new MisbehaveState(),
        events: new EventLog(10),
        bodyLimit: '1kb',
      }),
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/__test/events`);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: 'access_denied' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('pages events with ?since= and rejects a bad since', async () => {
    const before = provider.events.lastSeq;
    await signIn(provider);
    const res = await fetch(`${provider.url}/__test/events?since=${before}`);
    const body = (await res.json()) as { events: { seq: number; type: string }[]; lastSeq: number };
    expect(body.events.length).toBeGreaterThan(0);
    expect(body.events.every((e) => e.seq > before)).toBe(true);
    expect(body.events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'authorization.request',
        'login.success',
        'consent.allowed',
        'code.issued',
      ]),
    );
    expect(body.lastSeq).toBe(body.events.at(-1)!.seq);
    expect((await fetch(`${provider.url}/__test/events?since=abc`)).status).toBe(400);
  });

  it('keeps a bounded event log', async () => {
    const small = await createMockProvider({ port: 0, quiet: true, eventLogSize: 5 });
    try {
      for (let i = 0; i < 3; i++) await signIn(small);
      const events = small.events.list();
      expect(events).toHaveLength(5);
      expect(events.at(-1)!.seq).toBe(small.events.lastSeq);
      expect(small.events.lastSeq).toBeGreaterThan(5);
    } finally {
      await small.close();
    }
  });
});

describe('redaction', () => {
  it('no code, token, verifier, client secret or password in events or log lines', async () => {
    const lines: string[] = [];
    const logged = await createMockProvider({ port: 0, log: (line) => lines.push(line) });
    try {
      const { req, location } = await signIn(logged);
      const code = new URL(location).searchParams.get('code')!;
      const { response, as } = await exchange(logged, req, location);
      const client = { client_id: req.clientId };
      const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
      await oauth.refreshTokenGrantRequest(
        as,
        client,
        clientAuth(req.clientId),
        tokens.refresh_token!,
        insecure,
      );
      await fetch(`${logged.url}/userinfo`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      await exchange(logged, req, location); // reuse: an error event carrying the code context
      const events = JSON.stringify(await (await fetch(`${logged.url}/__test/events`)).json());
      const log = lines.join('\n');
      expect(log).toContain('event token.exchange');
      expect(events).toContain('code.issued');
      for (const secret of [
        code,
        tokens.access_token,
        tokens.refresh_token!,
        tokens.id_token!,
        req.verifier,
        CONFIDENTIAL.clientSecret,
        'alice-password',
      ]) {
        expect(log).not.toContain(secret);
        expect(events).not.toContain(secret);
      }
    } finally {
      await logged.close();
    }
  });
});

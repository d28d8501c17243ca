import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FaultRegistry, validateFaultSpec } from './faults.ts';
import { createMockProvider, type MockProvider } from './index.ts';
import {
  authorizeRequest,
  browse,
  codeOf,
  exchange,
  PUBLIC,
  rawToken,
  signIn,
} from './test-support/flow.ts';

let provider: MockProvider;
beforeAll(async () => {
  provider = await createMockProvider({ port: 0, quiet: true });
});
afterEach(() => provider.faults.clear());
afterAll(() => provider.close());

async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(`${provider.url}/__test${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: res.status === 204 ? undefined : await res.json() };
}

describe('FaultRegistry', () => {
  it('matches by user (username or sub), by client, and counts down times', () => {
    const faults = new FaultRegistry();
    faults.add({ kind: 'token-invalid-grant', user: 'alice', times: 2 });
    faults.add({ kind: 'userinfo-unauthorized', client: 'bm-agent' });
    expect(
      faults.take(['token-invalid-grant'], { username: 'bob', sub: 'user-bob-0002' }),
    ).toBeUndefined();
    expect(
      faults.take(['token-invalid-grant'], { sub: 'user-alice-0001', username: 'alice' })?.hits,
    ).toBe(1);
    expect(faults.take(['token-invalid-grant'], { username: 'alice' })?.hits).toBe(2);
    expect(faults.take(['token-invalid-grant'], { username: 'alice' })).toBeUndefined();
    expect(faults.take(['userinfo-unauthorized'], { client: 'bm-agent-public' })).toBeUndefined();
    expect(faults.take(['userinfo-unauthorized'], { client: 'bm-agent' })).toBeDefined();
    expect(faults.list()).toHaveLength(1);
  });

  it('validates specs with clear messages', () => {
    expect(() => validateFaultSpec({ kind: 'nope' })).toThrow(/fault.kind: expected one of/);
    expect(() => validateFaultSpec({ kind: 'token-slow', delayMs: -1 })).toThrow(/delayMs/);
    expect(() => validateFaultSpec({ kind: 'token-server-error', status: 404 })).toThrow(/status/);
    expect(() => validateFaultSpec({ kind: 'user-denies', colour: 'red' })).toThrow(
      /unknown field "colour"/,
    );
    expect(validateFaultSpec({ kind: 'user-denies', user: 'bob', times: 1 })).toEqual({
      kind: 'user-denies',
      user: 'bob',
      times: 1,
    });
  });
});

describe('scripted faults on the wire', () => {
  it('user-denies (for one user) ends consent with access_denied and the state', async () => {
    provider.faults.add({ kind: 'user-denies', user: 'alice' });
    const req = await authorizeRequest(provider, { state: 'deny-me' });
    const { location } = await browse(req.url, { consent: 'allow' });
    const url = new URL(location);
    expect(url.searchParams.get('error')).toBe('access_denied');
    expect(url.searchParams.get('state')).toBe('deny-me');
    expect(url.searchParams.get('code')).toBeNull();
    // Another user is not affected.
    const other = await authorizeRequest(provider);
    const ok = await browse(other.url, { username: 'bob', password: 'bob-password' });
    expect(new URL(ok.location).searchParams.get('code')).toBeTruthy();
  });

  it('token-server-error over HTTP: 503 temporarily_unavailable for the next request only', async () => {
    const added = await control('POST', '/faults', {
      kind: 'token-server-error',
      status: 503,
      times: 1,
    });
    expect(added.status).toBe(201);
    const { req, location } = await signIn(provider);
    const failed = await exchange(provider, req, location);
    expect(failed.response.status).toBe(503);
    expect(failed.response.headers.get('cache-control')).toBe('no-store');
    expect(await failed.response.json()).toMatchObject({ error: 'temporarily_unavailable' });
    expect((await control('GET', '/faults')).json).toEqual({ faults: [] });
    const retried = await exchange(provider, req, location);
    expect(retried.response.status).toBe(200);
  });

  it('token-slow delays, then answers normally', async () => {
    provider.faults.add({ kind: 'token-slow', delayMs: 300, times: 1 });
    const { req, location } = await signIn(provider);
    const { response } = await exchange(provider, req, location);
    expect(response.status).toBe(200);
    const applied = provider.events.list({ type: 'fault.applied' }).at(-1)!;
    expect(applied.detail).toMatchObject({ kind: 'token-slow', delayMs: 300 });
  });

  it('token-invalid-grant keyed to a client leaves the other client alone', async () => {
    provider.faults.add({ kind: 'token-invalid-grant', client: PUBLIC.clientId });
    const conf = await signIn(provider);
    expect((await exchange(provider, conf.req, conf.location)).response.status).toBe(200);
    const pub = await signIn(provider, { clientId: PUBLIC.clientId });
    const res = await exchange(provider, pub.req, pub.location);
    expect(res.response.status).toBe(400);
    expect(await res.response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('code-expired answers invalid_grant "authorization code is expired"', async () => {
    provider.faults.add({ kind: 'code-expired', user: 'bob' });
    const { req, location } = await signIn(provider, {}, 'bob');
    const res = await rawToken(provider, {
      grant_type: 'authorization_code',
      code: codeOf(location),
      redirect_uri: req.redirectUri,
      code_verifier: req.verifier,
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error: 'invalid_grant',
      error_description: 'authorization code is expired',
    });
  });

  it('userinfo-unauthorized answers 401 invalid_token with WWW-Authenticate', async () => {
    const { req, location } = await signIn(provider);
    const tokens = (await (await exchange(provider, req, location)).response.json()) as {
      access_token: string;
    };
    await control('POST', '/faults', {
      kind: 'userinfo-unauthorized',
      user: 'user-alice-0001',
      times: 1,
    });
    const headers = { authorization: `Bearer ${tokens.access_token}` };
    const denied = await fetch(`${provider.url}/userinfo`, { headers });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(await denied.json()).toMatchObject({ error: 'invalid_token' });
    expect((await fetch(`${provider.url}/userinfo`, { headers })).status).toBe(200);
  });

  it('lists, deletes one, clears over HTTP, and rejects bad specs with 400 JSON', async () => {
    const a = (await control('POST', '/faults', { kind: 'user-denies' })).json as {
      fault: { id: string };
    };
    await control('POST', '/faults', { kind: 'token-slow', delayMs: 10 });
    expect(((await control('GET', '/faults')).json as { faults: unknown[] }).faults).toHaveLength(
      2,
    );
    expect((await control('DELETE', `/faults/${a.fault.id}`)).status).toBe(204);
    expect((await control('DELETE', `/faults/${a.fault.id}`)).status).toBe(404);
    expect(((await control('GET', '/faults')).json as { faults: unknown[] }).faults).toHaveLength(
      1,
    );
    expect((await control('DELETE', '/faults')).status).toBe(204);
    expect((await control('GET', '/faults')).json).toEqual({ faults: [] });
    const bad = await control('POST', '/faults', { kind: 'explode' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: 'invalid_request' });
  });

  it('faults given at creation are active', async () => {
    const p = await createMockProvider({ port: 0, quiet: true, faults: [{ kind: 'user-denies' }] });
    try {
      const req = await authorizeRequest(p);
      const { location } = await browse(req.url);
      expect(new URL(location).searchParams.get('error')).toBe('access_denied');
    } finally {
      await p.close();
    }
  });

  it('user-denies also applies to the headless path', async () => {
    const p = await createMockProvider({
      port: 0,
      quiet: true,
      headlessLogin: true,
      faults: [{ kind: 'user-denies', user: 'bob', times: 1 }],
    });
    try {
      const denied = await authorizeRequest(p, { loginHint: 'bob', state: 'hl' });
      const first = new URL((await browse(denied.url)).location);
      expect(first.searchParams.get('error')).toBe('access_denied');
      expect(first.searchParams.get('state')).toBe('hl');
      const again = await authorizeRequest(p, { loginHint: 'bob' });
      expect(new URL((await browse(again.url)).location).searchParams.get('code')).toBeTruthy();
    } finally {
      await p.close();
    }
  });
});

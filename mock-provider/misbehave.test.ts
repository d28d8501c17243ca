import * as oauth from 'oauth4webapi';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMockProvider, type MockProvider } from './index.ts';
import { MisbehaveState } from './misbehave.ts';
import {
  authorizeRequest,
  browse,
  codeOf,
  exchange,
  rawToken,
  signIn,
} from './test-support/flow.ts';

let provider: MockProvider;
beforeAll(async () => {
  provider = await createMockProvider({ port: 0, quiet: true });
});
afterEach(() => {
  provider.misbehave.reset();
});
afterAll(() => provider.close());

async function putMisbehave(body: unknown) {
  const res = await fetch(`${provider.url}/__test/misbehave`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function authorizeStatus(params: Record<string, string | undefined>) {
  const req = await authorizeRequest(provider, { params });
  const res = await fetch(req.url, { redirect: 'manual', headers: { accept: 'application/json' } });
  await res.body?.cancel();
  return { status: res.status, location: res.headers.get('location'), req };
}

describe('MisbehaveState', () => {
  it('is all off by default, merges patches, rejects unknown switches and wrong types', () => {
    const state = new MisbehaveState();
    expect(Object.values(state.get()).every((v) => v === false)).toBe(true);
    expect(state.set({ reusableCodes: true }).reusableCodes).toBe(true);
    expect(state.set({ nonStandardErrors: true }).nonStandardErrors).toBe('message');
    expect(() => state.set({ lenientRedirect: 'yes' } as never)).toThrow(/expected true or false/);
    expect(() => state.set({ everything: true } as never)).toThrow(/unknown switch "everything"/);
  });
});

describe('misbehave switches change wire behaviour', () => {
  it('lenientRedirect: near misses by prefix or query subset are redirected to; others still refused', async () => {
    const sent = 'https://business.google.com/callback/x';
    expect((await authorizeStatus({ redirect_uri: sent })).status).toBe(400);
    expect((await putMisbehave({ lenientRedirect: true })).json).toMatchObject({
      misbehave: { lenientRedirect: true },
    });
    const prefix = await authorizeRequest(provider, { redirectUri: sent });
    expect((await browse(prefix.url)).location.startsWith(`${sent}?code=`)).toBe(true);
    const subset = await authorizeRequest(provider, {
      redirectUri: 'https://business.google.com/message?x=1&az-intent-type=1',
    });
    expect(
      (await browse(subset.url)).location.startsWith(
        'https://business.google.com/message?x=1&az-intent-type=1&code=',
      ),
    ).toBe(true);
    expect(
      (
        await authorizeStatus({
          redirect_uri: 'https://business.google.com/message?az-intent-type=2',
        })
      ).status,
    ).toBe(400);
    await putMisbehave({ lenientRedirect: false });
    expect((await authorizeStatus({ redirect_uri: sent })).status).toBe(400);
  });

  it('pkceNotEnforced: no challenge needed, any or no verifier accepted', async () => {
    provider.misbehave.set({ pkceNotEnforced: true });
    const noChallenge = await authorizeRequest(provider, {
      params: { code_challenge: undefined, code_challenge_method: undefined },
    });
    const { location } = await browse(noChallenge.url);
    const res = await rawToken(provider, {
      grant_type: 'authorization_code',
      code: codeOf(location),
      redirect_uri: noChallenge.redirectUri,
    });
    expect(res.status).toBe(200);
    const withChallenge = await signIn(provider);
    const wrong = await exchange(provider, withChallenge.req, withChallenge.location, {
      verifier: oauth.generateRandomCodeVerifier(),
    });
    expect(wrong.response.status).toBe(200);
  });

  it('allowPlainPkce: plain (and a missing method) accepted, the verifier still checked', async () => {
    expect(
      new URL(
        (await authorizeStatus({ code_challenge: 'p'.repeat(43), code_challenge_method: 'plain' }))
          .location!,
      ).searchParams.get('error'),
    ).toBe('invalid_request');
    provider.misbehave.set({ allowPlainPkce: true });
    for (const method of ['plain', undefined]) {
      const verifier = oauth.generateRandomCodeVerifier();
      const req = await authorizeRequest(provider, {
        params: { code_challenge: verifier, code_challenge_method: method },
      });
      const { location } = await browse(req.url);
      const good = await rawToken(provider, {
        grant_type: 'authorization_code',
        code: codeOf(location),
        redirect_uri: req.redirectUri,
        code_verifier: verifier,
      });
      expect(good.status).toBe(200);
    }
    const verifier = oauth.generateRandomCodeVerifier();
    const req = await authorizeRequest(provider, {
      params: { code_challenge: verifier, code_challenge_method: 'plain' },
    });
    const { location } = await browse(req.url);
    const bad = await rawToken(provider, {
      grant_type: 'authorization_code',
      code: codeOf(location),
      redirect_uri: req.redirectUri,
      code_verifier: oauth.generateRandomCodeVerifier(),
    });
    expect(bad.json.error).toBe('invalid_grant');
  });

  it('reusableCodes: the same code can be exchanged twice', async () => {
    provider.misbehave.set({ reusableCodes: true });
    const { req, location } = await signIn(provider);
    expect((await exchange(provider, req, location)).response.status).toBe(200);
    expect((await exchange(provider, req, location)).response.status).toBe(200);
  });

  it('nonStandardErrors "message": token errors lose the error member', async () => {
    await putMisbehave({ nonStandardErrors: 'message' });
    const { req, location } = await signIn(provider);
    const res = await exchange(provider, req, location, {
      verifier: oauth.generateRandomCodeVerifier(),
    });
    expect(res.response.status).toBe(400);
    const body = (await res.response.json()) as Record<string, unknown>;
    expect(body.error).toBeUndefined();
    expect(body.message).toMatch(/^invalid_grant/);
  });

  it('nonStandardErrors "html": token errors become 200 text/html, scripted faults too', async () => {
    provider.misbehave.set({ nonStandardErrors: 'html' });
    const { req, location } = await signIn(provider);
    const res = await exchange(provider, req, location, {
      verifier: oauth.generateRandomCodeVerifier(),
    });
    expect(res.response.status).toBe(200);
    expect(res.response.headers.get('content-type')).toMatch(/^text\/html/);
    provider.faults.add({ kind: 'token-server-error', times: 1 });
    const again = await signIn(provider);
    const faulted = await exchange(provider, again.req, again.location);
    expect(faulted.response.status).toBe(200);
    expect(await faulted.response.text()).toContain('server_error');
  });

  it('switches can be set at creation, read and reset over HTTP; bad input is a 400', async () => {
    const p = await createMockProvider({
      port: 0,
      quiet: true,
      misbehave: { reusableCodes: true },
    });
    try {
      const res = await fetch(`${p.url}/__test/misbehave`);
      expect(await res.json()).toEqual({
        misbehave: {
          lenientRedirect: false,
          pkceNotEnforced: false,
          allowPlainPkce: false,
          reusableCodes: true,
          nonStandardErrors: false,
        },
      });
      const reset = await fetch(`${p.url}/__test/misbehave`, { method: 'DELETE' });
      expect(
        ((await reset.json()) as { misbehave: { reusableCodes: boolean } }).misbehave.reusableCodes,
      ).toBe(false);
    } finally {
      await p.close();
    }
    const bad = await putMisbehave({ pkceNotEnforced: 'sometimes' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('invalid_request');
  });
});

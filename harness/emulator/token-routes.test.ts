import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAccessToken } from './access-tokens.ts';
import { type Emulator, createEmulator } from './emulator.ts';
import { type AssertionOverrides, signAssertion } from './test-support/service-account-token.ts';
import type { Json } from './test-support/json.ts';

let emulator: Emulator;
let other: Emulator;
beforeAll(async () => {
  const log = { info() {}, warn() {}, error() {} };
  emulator = await createEmulator({ port: 0, log });
  other = await createEmulator({ port: 0, log });
});
afterAll(async () => {
  await emulator.close();
  await other.close();
});

async function exchange(
  path: string,
  overrides: AssertionOverrides | string,
  grantType = 'urn:ietf:params:oauth:grant-type:jwt-bearer',
) {
  const assertion = typeof overrides === 'string' ? overrides : await signAssertion(overrides);
  const res = await fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: grantType, assertion }),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, Json>,
    cache: res.headers.get('cache-control'),
  };
}

const now = () => Math.floor(Date.now() / 1000);

describe('service-account token endpoint', () => {
  it.each(['/token', '/oauth2/v4/token'])(
    '%s issues a Bearer token for a valid assertion',
    async (path) => {
      const { status, body, cache } = await exchange(path, {
        aud:
          path === '/token'
            ? 'https://oauth2.googleapis.com/token'
            : 'https://www.googleapis.com/oauth2/v4/token',
      });
      expect(status).toBe(200);
      expect(body.token_type).toBe('Bearer');
      expect(body.expires_in).toBe(3599);
      expect(cache).toMatch(/no-store/);
      const grant = await verifyAccessToken(body.access_token);
      expect(grant.scopes).toEqual(['https://www.googleapis.com/auth/businessmessages']);
    },
  );

  it('issues tokens that every emulator in the process accepts (contract 4)', async () => {
    const { body } = await exchange('/token', {});
    const res = await fetch(`${other.url}/v1/conversations/unknown/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${body.access_token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(403); // past authentication: the conversation is unknown there
  });

  const foreignKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  it.each<[string, AssertionOverrides | string, string, RegExp]>([
    [
      'signed by another key',
      { privateKeyPem: foreignKey },
      'invalid_grant',
      /Invalid JWT Signature/,
    ],
    ['with an unknown kid', { kid: 'nope' }, 'invalid_grant', /Invalid JWT Signature/],
    [
      'for an unknown account',
      { iss: 'someone@else.iam.gserviceaccount.com' },
      'invalid_grant',
      /account not found/,
    ],
    ['for another audience', { aud: 'https://example.com/token' }, 'invalid_grant', /audience/],
    ['expired', { iat: now() - 7200, exp: now() - 3600 }, 'invalid_grant', /short-lived/],
    ['living longer than an hour', { exp: now() + 7200 }, 'invalid_grant', /short-lived/],
    ['without a scope', { scope: null }, 'invalid_scope', /Invalid OAuth scope/],
    ['that is not a JWT', 'not-a-jwt', 'invalid_grant', /malformed/],
  ])('rejects an assertion %s', async (_name, overrides, error, description) => {
    const { status, body } = await exchange('/token', overrides);
    expect(status).toBe(400);
    expect(body.error).toBe(error);
    expect(body.error_description).toMatch(description);
  });

  it('rejects other grant types and non-form bodies with OAuth error JSON', async () => {
    const wrongGrant = await exchange('/token', {}, 'client_credentials');
    expect(wrongGrant.body).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'Invalid grant_type: client_credentials',
    });
    const res = await fetch(`${emulator.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
    expect(emulator.store.general.some((e) => e.kind === 'token.rejected')).toBe(true);
  });

  it('answers an oversized token request with 413 and OAuth error JSON', async () => {
    const res = await fetch(`${emulator.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=x&assertion=${'a'.repeat(70_000)}`,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('accepts a self-signed service-account JWT as a bearer for the API it names', async () => {
    const jwt = await signAssertion({
      aud: 'https://businessmessages.googleapis.com/',
      scope: null,
    });
    // jose sets no `sub`; google-auth-library's self-signed JWTs carry sub = iss.
    const selfSigned = async (options: { kid?: string; lifetime?: string } = {}) => {
      const { SignJWT, importPKCS8 } = await import('jose');
      const { loadServiceAccountKey } = await import('./service-account.ts');
      const key = loadServiceAccountKey();
      return new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? key.private_key_id })
        .setIssuer(key.client_email)
        .setSubject(key.client_email)
        .setAudience('https://businessmessages.googleapis.com/')
        .setIssuedAt()
        .setExpirationTime(options.lifetime ?? '1h')
        .sign(await importPKCS8(key.private_key, 'RS256'));
    };
    const withSub = await selfSigned();
    const post = (t: string) =>
      fetch(`${emulator.url}/v1/conversations/unknown/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
        body: '{}',
      }).then((r) => r.status);
    expect(await post(withSub)).toBe(403);
    expect(await post(jwt)).toBe(401);
    // Google's limits for self-signed JWTs match the assertion's: an hour at most, its own key id.
    expect(await post(await selfSigned({ lifetime: '2h' }))).toBe(401);
    expect(await post(await selfSigned({ kid: 'another-key-id' }))).toBe(401);
  });
});

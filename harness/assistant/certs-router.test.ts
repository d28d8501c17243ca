import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { importX509, jwtVerify, createLocalJWKSet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ASSISTANT_PROJECT_ID } from '../../wire/defaults.ts';
import { assistantCertsRouter } from './certs-router.ts';
import { loadAssistantSigningKeys } from './keys.ts';
import { signAssistantJwt } from './sign.ts';

let server: Server;
let base: string;

beforeAll(async () => {
  const app = express().use(assistantCertsRouter({ maxAgeSeconds: 1234 }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('assistantCertsRouter', () => {
  it('serves the X.509 PEM map at /oauth2/v1/certs with a max-age', async () => {
    const res = await fetch(`${base}/oauth2/v1/certs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/public, max-age=1234\b/);
    const map = (await res.json()) as Record<string, string>;
    const kids = loadAssistantSigningKeys().map((k) => k.kid);
    expect(Object.keys(map)).toEqual(kids);
    for (const pem of Object.values(map)) expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    // A token signed with the first key verifies against the certificate jose imports.
    const token = await signAssistantJwt();
    const key = await importX509(map[kids[0]!]!, 'RS256');
    const { payload } = await jwtVerify(token, key, { audience: TEST_ASSISTANT_PROJECT_ID });
    expect(payload.iss).toBe('https://accounts.google.com');
  });

  it('serves the same keys as a JWKS at /oauth2/v3/certs, public parts only', async () => {
    const res = await fetch(`${base}/oauth2/v3/certs`);
    expect(res.headers.get('cache-control')).toMatch(/max-age=1234\b/);
    const jwks = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual(loadAssistantSigningKeys().map((k) => k.kid));
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(key.d).toBeUndefined();
    }
    const token = await signAssistantJwt({ key: loadAssistantSigningKeys()[1] });
    await expect(jwtVerify(token, createLocalJWKSet(jwks as never))).resolves.toBeTruthy();
  });
});

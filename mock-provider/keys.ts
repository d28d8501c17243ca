import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

let signingKey: Promise<JWK> | undefined;

/**
 * The provider's id_token signing key: TEST ONLY, generated in memory at startup and never
 * written anywhere. One per process, so that many in-process providers start quickly.
 */
export function testSigningJwks(): Promise<{ keys: JWK[] }> {
  signingKey ??= (async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = await exportJWK(privateKey);
    return {
      ...jwk,
      alg: 'RS256',
      use: 'sig',
      kid: `bm-harness-test-only-${randomBytes(4).toString('hex')}`,
    };
  })();
  return signingKey.then((key) => ({ keys: [key] }));
}

/** Cookie signing keys, per provider instance. */
export function cookieKeys(): string[] {
  return [randomBytes(32).toString('base64url')];
}

// Start generating the key as soon as the provider module loads: RSA key generation runs on
// libuv's thread pool, so it overlaps with the rest of module loading instead of delaying the
// first createMockProvider() (~80 ms of startHarness() in a fresh process). A failure here is
// not lost: the same promise is awaited, and rethrows, in createMockProvider.
testSigningJwks().catch(() => {});

import { describe, expect, it } from 'vitest';
import { assistantJwks, assistantPemMap } from '../../harness/assistant/keys.ts';
import { ASSISTANT_VARIANTS, buildAssistantSignature } from '../../harness/assistant/variants.ts';
import { createAssistantKeySet } from './key-set.ts';
import { createAssistantVerifier } from './verify.ts';

// Each forged variant must fail for ITS defect, not by accident.
const EXPECTED_REASON: Record<string, RegExp> = {
  expired: /"exp" claim/,
  'not-yet-valid': /"nbf" claim/,
  'issued-in-future': /"iat" claim .*past/,
  'wrong-aud': /"aud" claim/,
  'aud-array': /single project id string/,
  'wrong-iss': /"iss" claim/,
  'unknown-kid': /ERR_JWKS_NO_MATCHING_KEY/,
  'bad-signature': /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/,
  'alg-none': /ERR_JOSE_ALG_NOT_ALLOWED/,
  'hs256-with-public-key': /ERR_JOSE_ALG_NOT_ALLOWED/,
  'missing-header': /header is missing/,
  truncated: /ERR_JWS_INVALID/,
};

function serving(document: unknown, counter?: { n: number }): typeof fetch {
  return (async () => {
    if (counter) counter.n += 1;
    return new Response(JSON.stringify(document), {
      headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=600' },
    });
  }) as typeof fetch;
}

describe.each([
  ['jwks', 'http://certs.test/oauth2/v3/certs', assistantJwks()],
  ['pem', 'http://certs.test/oauth2/v1/certs', assistantPemMap()],
] as const)('createAssistantVerifier with %s keys', (_format, certsUrl, document) => {
  const verify = createAssistantVerifier({
    projectId: 'bm-harness-project',
    keys: createAssistantKeySet({ certsUrl, fetch: serving(document) }),
  });

  for (const variant of ASSISTANT_VARIANTS) {
    it(`${variant.name}: ${variant.verdict}`, async () => {
      const token = await buildAssistantSignature(variant.name);
      if (variant.verdict === 'accept') {
        await expect(verify(token)).resolves.toMatchObject({ aud: 'bm-harness-project' });
      } else {
        await expect(verify(token)).rejects.toThrow(EXPECTED_REASON[variant.name]!);
      }
    });
  }

  it('accepts the bare accounts.google.com issuer too', async () => {
    const token = await buildAssistantSignature('valid', {
      claims: { iss: 'accounts.google.com' },
    });
    await expect(verify(token)).resolves.toMatchObject({ iss: 'accounts.google.com' });
  });

  it('requires iat and exp', async () => {
    for (const claim of ['iat', 'exp']) {
      const token = await buildAssistantSignature('valid', { claims: { [claim]: null } });
      await expect(verify(token)).rejects.toThrow(new RegExp(`"${claim}"`));
    }
  });
});

describe('PEM map key set', () => {
  it('refetches for an unknown kid only after the cooldown', async () => {
    const counter = { n: 0 };
    const verify = createAssistantVerifier({
      projectId: 'bm-harness-project',
      keys: createAssistantKeySet({
        certsUrl: 'http://certs.test/oauth2/v1/certs',
        fetch: serving(assistantPemMap(), counter),
        cooldownMs: 60_000,
      }),
    });
    await verify(await buildAssistantSignature('valid'));
    await expect(verify(await buildAssistantSignature('unknown-kid'))).rejects.toThrow();
    await verify(await buildAssistantSignature('valid'));
    expect(counter.n).toBe(1);
  });
});

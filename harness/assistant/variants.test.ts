import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { OAuth2Client } from 'google-auth-library';
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { ASSISTANT_ISSUERS } from '../../wire/assistant.ts';
import { TEST_ASSISTANT_PROJECT_ID } from '../../wire/defaults.ts';
import { fixturePath } from '../../wire/package-root.ts';
import { assistantPemMap } from './keys.ts';
import {
  ASSISTANT_VARIANT_NAMES,
  ASSISTANT_VARIANTS,
  buildAssistantSignature,
} from './variants.ts';

// @assistant/conversation pins google-auth-library 6; its verifyIdToken is what an unmodified
// Action runs, so every variant is checked against both the old and the current library.
const requireFromConversation = createRequire(require.resolve('@assistant/conversation'));
const LegacyOAuth2Client = requireFromConversation('google-auth-library')
  .OAuth2Client as typeof OAuth2Client;

const pems = assistantPemMap();
const issuers = [...ASSISTANT_ISSUERS];

async function verifyWith(client: OAuth2Client, token: string | undefined): Promise<string> {
  if (token === undefined) return 'rejected: no token';
  try {
    await client.verifySignedJwtWithCertsAsync(token, pems, TEST_ASSISTANT_PROJECT_ID, issuers);
    return 'accepted';
  } catch (err) {
    return `rejected: ${(err as Error).message.slice(0, 60)}`;
  }
}

describe('Assistant signature variants', () => {
  it('lists every variant of SPEC §4 exactly once', () => {
    expect(ASSISTANT_VARIANTS.map((v) => v.name)).toEqual([...ASSISTANT_VARIANT_NAMES]);
    expect(ASSISTANT_VARIANTS.filter((v) => v.verdict === 'accept').map((v) => v.name)).toEqual([
      'valid',
    ]);
  });

  for (const variant of ASSISTANT_VARIANTS) {
    for (const [label, Client] of [
      ['google-auth-library (current)', OAuth2Client],
      ['google-auth-library 6 (@assistant/conversation)', LegacyOAuth2Client],
    ] as const) {
      it(`${variant.name}: ${label} ${variant.verdict}s it`, async () => {
        const token = await buildAssistantSignature(variant.name);
        const outcome = await verifyWith(new Client(), token);
        if (variant.verdict === 'accept') expect(outcome).toBe('accepted');
        else expect(outcome).toMatch(/^rejected/);
      });
    }
  }

  it('signs the valid token with a kid the certs serve and the documented claims', async () => {
    const now = 1_767_225_600;
    const token = (await buildAssistantSignature('valid', { now }))!;
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(Object.keys(pems)).toContain(decodeProtectedHeader(token).kid);
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(payload).toMatchObject({
      iss: 'https://accounts.google.com',
      aud: TEST_ASSISTANT_PROJECT_ID,
      nbf: now,
      iat: now,
      exp: now + 3600,
    });
    expect(typeof payload.jti).toBe('string');
  });

  it('applies claim overrides and removals to forged variants too', async () => {
    const token = (await buildAssistantSignature('wrong-iss', { claims: { jti: null, x: 1 } }))!;
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(payload.jti).toBeUndefined();
    expect(payload.x).toBe(1);
    expect(payload.iss).toBe('https://accounts.google.com.attacker.example');
  });

  it('refuses unknown variant names with a coded error', async () => {
    await expect(buildAssistantSignature('nope')).rejects.toMatchObject({
      code: 'ASSISTANT_UNKNOWN_VARIANT',
    });
  });
});

describe('forged variants keep their defect when a claim set is supplied', () => {
  // A user passes a full claim set (e.g. the documented fixture) with --claims: the variant's
  // own forgery must still win, or "wrong-aud" silently becomes a genuine token.
  const documented = JSON.parse(
    readFileSync(fixturePath('assistant', 'claims', 'google-documented.json'), 'utf8'),
  ) as Record<string, unknown>;
  const { _comment: _, ...fixtureClaims } = documented;
  const now = 1_767_225_600 + 60;
  const decode = async (name: string) => {
    const token = (await buildAssistantSignature(name, { now, claims: fixtureClaims }))!;
    return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
  };

  it('valid: the supplied claims are signed as given', async () => {
    expect(await decode('valid')).toMatchObject(fixtureClaims);
  });
  it('expired: exp is in the past beyond the skew', async () => {
    expect((await decode('expired')).exp as number).toBeLessThan(now - 300);
  });
  it('not-yet-valid: nbf and iat in the future', async () => {
    const p = await decode('not-yet-valid');
    expect(p.nbf as number).toBeGreaterThan(now + 300);
    expect(p.iat as number).toBeGreaterThan(now + 300);
  });
  it('issued-in-future: iat in the future', async () => {
    expect((await decode('issued-in-future')).iat as number).toBeGreaterThan(now + 300);
  });
  it('wrong-aud: aud differs from the supplied one', async () => {
    const p = await decode('wrong-aud');
    expect(typeof p.aud).toBe('string');
    expect(p.aud).not.toBe(fixtureClaims.aud);
  });
  it('aud-array: aud is an array holding the supplied aud', async () => {
    expect((await decode('aud-array')).aud).toEqual([fixtureClaims.aud]);
  });
  it('wrong-iss: iss is the look-alike', async () => {
    expect((await decode('wrong-iss')).iss).toBe('https://accounts.google.com.attacker.example');
  });
});

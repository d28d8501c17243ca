import { createRequire } from 'node:module';
import { OAuth2Client } from 'google-auth-library';
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { ASSISTANT_ISSUERS } from '../../wire/assistant.ts';
import { TEST_ASSISTANT_PROJECT_ID } from '../../wire/defaults.ts';
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

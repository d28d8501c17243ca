import fc from 'fast-check';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAssistantSigningKeys } from '../../harness/assistant/keys.ts';
import { loadAssistantRequestFixture } from '../../harness/assistant/request-fixtures.ts';
import { defaultAssistantClaims, signAssistantJwt } from '../../harness/assistant/sign.ts';
import { type Harness, startHarness } from '../../harness/start/start-harness.ts';
import { signWebhookBody } from '../../harness/webhook/signature.ts';
import { TEST_ASSISTANT_PROJECT_ID, TEST_WEBHOOK_CLIENT_TOKEN } from '../../wire/defaults.ts';

/**
 * Extends the agent's fixed negative cases (agent/webhook/router.test.ts, the Assistant
 * variant matrix in agent/assistant/assistant-variants.test.ts) with generated ones: any
 * change to a signed webhook body or to its X-Goog-Signature is refused with 401 and nothing
 * happens; any tampered or mis-claimed google-assistant-signature gets 403.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);

let harness: Harness;
let conversationId: string;
beforeAll(async () => {
  harness = await startHarness();
  // A conversation the agent has not heard from: nothing should ever reach it below.
  conversationId = harness.emulator.startConversation({ user: 'alice', behavior: 'manual' }).id;
  await harness.emulator.waitFor(conversationId, 'agent.message');
});
afterAll(async () => {
  await harness.close();
});

const agentMessages = () => harness.emulator.conversation(conversationId)?.messages.length ?? 0;

function userMessage(text: string): string {
  return JSON.stringify({
    agent: 'brands/harness-brand/agents/harness-agent',
    conversationId,
    customAgentId: 'harness-custom-agent',
    requestId: crypto.randomUUID(),
    message: {
      messageId: crypto.randomUUID(),
      name: 'n',
      text,
      createTime: new Date().toISOString(),
    },
    context: { userInfo: { displayName: 'Alice' } },
    sendTime: new Date().toISOString(),
  });
}

/** One change to a byte string: flip a bit, drop, duplicate, or append. */
const byteEdit = fc
  .tuple(fc.nat(), fc.integer({ min: 0, max: 7 }), fc.constantFrom('flip', 'drop', 'dup', 'append'))
  .map(([at, bit, op]) => (bytes: Buffer): Buffer => {
    const i = at % bytes.length;
    if (op === 'flip') {
      const copy = Buffer.from(bytes);
      copy[i] = copy[i]! ^ (1 << bit);
      return copy;
    }
    if (op === 'drop') return Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
    if (op === 'dup') return Buffer.concat([bytes.subarray(0, i + 1), bytes.subarray(i)]);
    return Buffer.concat([bytes, Buffer.from(' ')]);
  });

describe('X-Goog-Signature, generated negatives', () => {
  it('a signed body changed in any way is refused (401) and not processed', async () => {
    const before = agentMessages();
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), byteEdit, async (text, edit) => {
        const body = userMessage(text);
        const signature = signWebhookBody(TEST_WEBHOOK_CLIENT_TOKEN, body);
        const tampered = edit(Buffer.from(body));
        const res = await fetch(harness.urls.webhook, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-goog-signature': signature },
          body: new Uint8Array(tampered),
        });
        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({ error: 'invalid_signature' });
      }),
      { numRuns: RUNS },
    );
    expect(agentMessages()).toBe(before);
  });

  it('a changed signature on an intact body is refused (401) and not processed', async () => {
    const before = agentMessages();
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), byteEdit, async (text, edit) => {
        const body = userMessage(text);
        const signature = Buffer.from(signWebhookBody(TEST_WEBHOOK_CLIENT_TOKEN, body), 'base64');
        const forged = edit(signature).toString('base64');
        const res = await fetch(harness.urls.webhook, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-goog-signature': forged },
          body,
        });
        expect(res.status).toBe(401);
      }),
      { numRuns: RUNS },
    );
    expect(agentMessages()).toBe(before);
  });
});

/** True when two compact JWS strings carry the same bytes in every part. */
function sameJws(a: string, b: string): boolean {
  const pa = a.split('.');
  const pb = b.split('.');
  return (
    pa.length === pb.length &&
    pa.every((part, i) => {
      if (!/^[A-Za-z0-9_-]*$/.test(part)) return false;
      return Buffer.from(part, 'base64url').equals(Buffer.from(pb[i]!, 'base64url'));
    })
  );
}

describe('google-assistant-signature, generated negatives', () => {
  const body = loadAssistantRequestFixture('main-invocation').raw;
  const post = (token: string) =>
    fetch(harness.urls.assistant ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'google-assistant-signature': token },
      body,
    });

  it('a genuine token is accepted (control)', async () => {
    expect((await post(await signAssistantJwt())).status).toBe(200);
  });

  it('any change to a genuine token is refused with 403', async () => {
    const token = await signAssistantJwt();
    await fc.assert(
      fc.asyncProperty(byteEdit, async (edit) => {
        const forged = edit(Buffer.from(token, 'latin1')).toString('latin1');
        // Only what a client can send (visible ASCII), and only real changes: HTTP trims
        // header whitespace, and base64url ignores the spare low bits of a last character.
        fc.pre(/^[\x21-\x7e]+$/.test(forged.trim()) && sameJws(forged.trim(), token) === false);
        const res = await post(forged);
        expect(res.status).toBe(403);
        expect(await res.json()).toMatchObject({ error: expect.any(String) });
      }),
      { numRuns: RUNS },
    );
  });

  it('genuinely signed, but for another audience or issuer: 403', async () => {
    const key = loadAssistantSigningKeys()[0]!;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 30 }).map((aud): Record<string, unknown> => ({ aud })),
          fc.string({ maxLength: 30 }).map((iss): Record<string, unknown> => ({ iss })),
          fc
            .array(fc.constant(TEST_ASSISTANT_PROJECT_ID), { minLength: 1, maxLength: 2 })
            .map((aud): Record<string, unknown> => ({ aud })),
        ),
        async (override) => {
          const claims = { ...defaultAssistantClaims(), ...override };
          // Only overrides that really leave the accepted values.
          fc.pre(
            claims.aud !== TEST_ASSISTANT_PROJECT_ID ||
              !['accounts.google.com', 'https://accounts.google.com'].includes(String(claims.iss)),
          );
          const token = await new SignJWT(claims)
            .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
            .sign(key.privateKey);
          expect((await post(token)).status).toBe(403);
        },
      ),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });
});

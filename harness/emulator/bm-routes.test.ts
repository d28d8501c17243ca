import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueAccessToken } from './access-tokens.ts';
import { BUSINESS_MESSAGES_SCOPE, type Emulator } from './emulator.ts';
import { serviceAccountToken } from './test-support/service-account-token.ts';
import { startTestEmulator } from './test-support/test-emulator.ts';
import type { Json } from './test-support/json.ts';

let emulator: Emulator;
let token: string;
const warnings: string[] = [];

let close: () => Promise<void>;
beforeAll(async () => {
  ({ emulator, token, close } = await startTestEmulator({
    retry: { maxAttempts: 1 },
    // The device must not act in these API tests: every conversation below abandons.
    log: { info: () => {}, warn: (m: string) => warnings.push(m), error: () => {} },
  }));
});
afterAll(() => close());

function open(): string {
  return emulator.startConversation({ behavior: 'abandon' }).id;
}

const valid = () => ({
  messageId: crypto.randomUUID(),
  representative: { representativeType: 'BOT', displayName: 'Chatbot' },
  text: 'Sign in to continue the conversation.',
  fallback: 'Visit example.com to continue.',
  suggestions: [
    {
      authenticationRequest: {
        oauth: {
          clientId: 'CID',
          codeChallenge: 'abc',
          codeChallengeMethod: 'S256',
          scopes: ['openid', 'profile'],
        },
      },
    },
  ],
});

async function send(conversationId: string, body: unknown, init: RequestInit = {}) {
  const res = await fetch(`${emulator.url}/v1/conversations/${conversationId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });
  return { status: res.status, body: (await res.json()) as Record<string, Json> };
}

describe('conversations.messages.create', () => {
  it('accepts the SPEC message and answers it with its name', async () => {
    const id = open();
    const msg = valid();
    const { status, body } = await send(id, msg);
    expect(status).toBe(200);
    expect(body).toEqual({ ...msg, name: `conversations/${id}/messages/${msg.messageId}` });
  });

  type Case = [string, (m: ReturnType<typeof valid>) => unknown, RegExp, string?];
  const cases: Case[] = [
    [
      'missing messageId',
      (m) => ({ ...m, messageId: undefined }),
      /messageId/,
      'message.message_id',
    ],
    ['missing representative', (m) => ({ ...m, representative: undefined }), /representativeType/],
    [
      'representativeType ROBOT',
      (m) => ({ ...m, representative: { representativeType: 'ROBOT' } }),
      /representative_type/,
    ],
    [
      'no text/image/richCard',
      (m) => ({ ...m, text: undefined }),
      /Exactly one of text, image or richCard/,
      'message.content',
    ],
    [
      'text and richCard',
      (m) => ({ ...m, richCard: { standaloneCard: {} } }),
      /got text, richCard/,
    ],
    [
      'text of 3073 chars',
      (m) => ({ ...m, text: 'x'.repeat(3073) }),
      /message\.text must be at most 3072/,
      'message.text',
    ],
    [
      'fallback of 3073 chars',
      (m) => ({ ...m, fallback: 'x'.repeat(3073) }),
      /message\.fallback/,
      'message.fallback',
    ],
    [
      '14 suggestions',
      (m) => ({
        ...m,
        suggestions: Array.from({ length: 14 }, () => ({
          reply: { text: 'a', postbackData: 'b' },
        })),
      }),
      /at most 13/,
      'message.suggestions',
    ],
    [
      'chip text of 26 chars',
      (m) => ({ ...m, suggestions: [{ reply: { text: 'x'.repeat(26), postbackData: 'p' } }] }),
      /reply\.text must be at most 25/,
    ],
    [
      'postbackData of 2049 chars',
      (m) => ({
        ...m,
        suggestions: [
          {
            action: {
              text: 'a',
              postbackData: 'x'.repeat(2049),
              openUrlAction: { url: 'https://e.com' },
            },
          },
        ],
      }),
      /postback_data must be at most 2048/,
    ],
    [
      'a suggestion with two kinds',
      (m) => ({
        ...m,
        suggestions: [{ reply: { text: 'a', postbackData: 'b' }, liveAgentRequest: {} }],
      }),
      /exactly one of reply/,
    ],
    [
      'missing clientId',
      (m) => withOauth(m, { clientId: undefined }),
      /clientId is required/,
      'message.suggestions[0].authentication_request.oauth.client_id',
    ],
    [
      'missing codeChallenge',
      (m) => withOauth(m, { codeChallenge: '' }),
      /codeChallenge is required/,
    ],
    ['empty scopes', (m) => withOauth(m, { scopes: [] }), /scopes must contain at least one/],
    [
      'missing scopes',
      (m) => withOauth(m, { scopes: undefined }),
      /scopes must contain at least one/,
    ],
    [
      'codeChallengeMethod S512',
      (m) => withOauth(m, { codeChallengeMethod: 'S512' }),
      /must be S256 or plain/,
    ],
    [
      'unknown top-level field',
      (m) => ({ ...m, x: 1 }),
      /Invalid JSON payload received\. Unknown name "x" at 'message': Cannot find field\./,
      'message',
    ],
    [
      'unknown nested field',
      (m) => withOauth(m, { verifier: 'v' }),
      /Unknown name "verifier" at 'message\.suggestions\[0\]\.authentication_request\.oauth'/,
    ],
    ['an inherited name as a field', (m) => ({ ...m, toString: 'x' }), /Unknown name "toString"/],
    [
      '__proto__ as a field',
      (m) => JSON.parse(`{"__proto__":{"a":1},${JSON.stringify(m).slice(1)}`),
      /Unknown name "__proto__"/,
    ],
    [
      'text of the wrong type',
      (m) => ({ ...m, text: 5 }),
      /Invalid value at 'message\.text' \(TYPE_STRING\), 5/,
      'message.text',
    ],
    ['scopes as a string', (m) => withOauth(m, { scopes: 'openid' }), /scopes/],
    [
      'a misspelt rich card field',
      (m) => ({
        ...m,
        text: undefined,
        richCard: { standaloneCard: { cardContent: { titel: 'T' } } },
      }),
      /Unknown name "titel" at 'message\.rich_card\.standalone_card\.card_content'/,
    ],
    [
      'a carousel of one card',
      (m) => ({
        ...m,
        text: undefined,
        richCard: { carouselCard: { cardContents: [{ title: 'a' }] } },
      }),
      /2 to 10 cards; got 1/,
      'message.rich_card.carousel_card.card_contents',
    ],
    [
      'a card title of 201 chars',
      (m) => ({
        ...m,
        text: undefined,
        richCard: { standaloneCard: { cardContent: { title: 'x'.repeat(201) } } },
      }),
      /title must be at most 200/,
      'message.rich_card.standalone_card.card_content.title',
    ],
    [
      'a card with 5 suggestions',
      (m) => ({
        ...m,
        text: undefined,
        richCard: {
          standaloneCard: {
            cardContent: {
              title: 't',
              suggestions: Array.from({ length: 5 }, () => ({
                reply: { text: 'a', postbackData: 'b' },
              })),
            },
          },
        },
      }),
      /at most 4/,
    ],
    [
      'a card width that does not exist',
      (m) => ({
        ...m,
        text: undefined,
        richCard: { carouselCard: { cardWidth: 'HUGE', cardContents: [{}, {}] } },
      }),
      /card_width/,
    ],
    ['suggestions as an object', (m) => ({ ...m, suggestions: {} }), /message\.suggestions/],
  ];

  it.each(cases)(
    'rejects %s with 400 INVALID_ARGUMENT naming the field',
    async (_name, mutate, message, field) => {
      const id = open();
      const { status, body } = await send(id, mutate(valid()));
      expect(status).toBe(400);
      expect(body.error.status).toBe('INVALID_ARGUMENT');
      expect(body.error.code).toBe(400);
      expect(body.error.message).toMatch(message);
      expect(body.error.details[0]['@type']).toBe('type.googleapis.com/google.rpc.BadRequest');
      if (field) expect(body.error.details[0].fieldViolations[0].field).toBe(field);
      const timeline = emulator.conversation(id)!.timeline;
      expect(
        timeline.some((e) => e.kind === 'api.rejected' && /INVALID_ARGUMENT/.test(e.summary)),
      ).toBe(true);
    },
  );

  it('accepts rich cards as the businessmessages client builds them', async () => {
    const card = (title: string) => ({
      title,
      description: 'd'.repeat(2000),
      media: { height: 'MEDIUM', contentInfo: { fileUrl: 'https://e.com/a.png', altText: 'a' } },
      suggestions: Array.from({ length: 4 }, () => ({ reply: { text: 'a', postbackData: 'b' } })),
    });
    const id = open();
    const standalone = await send(id, {
      ...valid(),
      messageId: 'card-1',
      text: undefined,
      richCard: { standaloneCard: { cardContent: card('x'.repeat(200)) } },
    });
    expect(standalone.status).toBe(200);
    const carousel = await send(id, {
      ...valid(),
      messageId: 'card-2',
      text: undefined,
      richCard: { carouselCard: { cardWidth: 'SMALL', cardContents: [card('a'), card('b')] } },
    });
    expect(carousel.status).toBe(200);
  });

  it('accepts limits exactly at the boundary, snake_case names and HUMAN', async () => {
    const m = valid();
    const { status } = await send(open(), {
      message_id: m.messageId,
      representative: { representative_type: 'HUMAN' },
      text: '😀'.repeat(3072),
      fallback: 'y'.repeat(3072),
      suggestions: [
        ...Array.from({ length: 12 }, () => ({
          reply: { text: 'x'.repeat(25), postback_data: 'p'.repeat(2048) },
        })),
        m.suggestions[0],
      ],
    });
    expect(status).toBe(200);
  });

  it('answers 409 ALREADY_EXISTS when a messageId is reused in the same conversation only', async () => {
    const id = open();
    const msg = valid();
    expect((await send(id, msg)).status).toBe(200);
    const again = await send(id, msg);
    expect(again.status).toBe(409);
    expect(again.body.error.status).toBe('ALREADY_EXISTS');
    expect((await send(open(), msg)).status).toBe(200);
  });

  it('warns loudly (timeline and log) when codeChallengeMethod is omitted, and accepts it', async () => {
    const id = open();
    const { status } = await send(id, withOauth(valid(), { codeChallengeMethod: undefined }));
    expect(status).toBe(200);
    const warning = emulator.conversation(id)!.timeline.find((e) => e.kind === 'warning');
    expect(warning?.level).toBe('warn');
    expect(warning?.summary).toMatch(/plain/);
    expect(
      warnings.some((w) => w.includes(id) && /codeChallengeMethod|code_challenge_method/.test(w)),
    ).toBe(true);
  });

  it('answers 403 PERMISSION_DENIED for an unknown conversation and logs it', async () => {
    const { status, body } = await send('no-such-conversation', valid());
    expect(status).toBe(403);
    expect(body.error.status).toBe('PERMISSION_DENIED');
    expect(
      emulator.store.general.some(
        (e) => e.kind === 'api.rejected' && e.summary.includes('no-such-conversation'),
      ),
    ).toBe(true);
  });

  it.each([
    ['no Authorization header', undefined, 'CREDENTIALS_MISSING'],
    ['a non-Bearer scheme', 'Basic Zm9vOmJhcg==', 'ACCESS_TOKEN_TYPE_UNSUPPORTED'],
    [
      'a forged token',
      'Bearer ya29.eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl',
      'ACCESS_TOKEN_TYPE_UNSUPPORTED',
    ],
    ['garbage', 'Bearer not-a-token', 'ACCESS_TOKEN_TYPE_UNSUPPORTED'],
    ['an expired token', 'EXPIRED', 'ACCESS_TOKEN_EXPIRED'],
  ])('answers 401 UNAUTHENTICATED with %s', async (_name, given, reason) => {
    const authorization =
      given === 'EXPIRED'
        ? `Bearer ${await issueAccessToken({ subject: 'sa', scopes: [BUSINESS_MESSAGES_SCOPE] }, -120)}`
        : given;
    const id = open();
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization) headers.authorization = authorization;
    const { status, body } = await send(id, valid(), { headers });
    expect(status).toBe(401);
    expect(body.error.status).toBe('UNAUTHENTICATED');
    expect(body.error.details[0].reason).toBe(reason);
    expect(emulator.conversation(id)!.timeline.some((e) => e.kind === 'api.rejected')).toBe(true);
  });

  it('answers 403 for a token without the Business Messages scope', async () => {
    const other = await serviceAccountToken(
      emulator.url,
      'https://www.googleapis.com/auth/businesscommunications',
    );
    const { status, body } = await send(open(), valid(), {
      headers: { authorization: `Bearer ${other}`, 'content-type': 'application/json' },
    });
    expect(status).toBe(403);
    expect(body.error.message).toMatch(/insufficient authentication scopes/);
  });
});

describe('bad input', () => {
  it('answers malformed JSON, wrong content type and non-objects with Google-shaped 400s, recorded', async () => {
    const id = open();
    for (const [body, contentType] of [
      ['{"messageId":', 'application/json'],
      [JSON.stringify(valid()), 'text/plain'],
      ['[1,2]', 'application/json'],
    ] as const) {
      const { status, body: err } = await send(id, body, {
        headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      });
      expect(status).toBe(400);
      expect(err.error.status).toBe('INVALID_ARGUMENT');
      expect(err.error.message).toMatch(/Invalid JSON payload received/);
    }
    expect(
      emulator.conversation(id)!.timeline.filter((e) => e.kind === 'api.rejected'),
    ).toHaveLength(3);
  });

  it('answers an oversized body with 413 and keeps serving', async () => {
    const id = open();
    const { status, body } = await send(id, { ...valid(), text: 'x'.repeat(300_000) });
    expect(status).toBe(413);
    expect(body.error.code).toBe(413);
    expect(
      emulator
        .conversation(id)!
        .timeline.some((e) => e.kind === 'api.rejected' && /413/.test(e.summary)),
    ).toBe(true);
    expect((await send(id, valid())).status).toBe(200);
  });
});

function withOauth(m: ReturnType<typeof valid>, patch: Record<string, unknown>) {
  return {
    ...m,
    suggestions: [
      {
        authenticationRequest: {
          oauth: { ...m.suggestions[0]!.authenticationRequest.oauth, ...patch },
        },
      },
    ],
  };
}

import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { TEST_ASSISTANT_PROJECT_ID } from '../../wire/defaults.ts';
import { type AssistantSigningKey, loadAssistantSigningKeys } from './keys.ts';
import {
  ASSISTANT_TOKEN_LIFETIME_SECONDS,
  defaultAssistantClaims,
  mergeClaims,
  nowSeconds,
  signAssistantJwt,
} from './sign.ts';

/**
 * The `google-assistant-signature` variants of SPEC §4: one genuine token and the forgeries
 * a webhook must refuse. Each forged variant is built so that BOTH a strict verifier (jose,
 * RS256 only) and the official library's google-auth-library `verifyIdToken` reject it; where
 * the two differ in what they check, the description says which defect each one trips on.
 */
export const ASSISTANT_VARIANT_NAMES = [
  'valid',
  'expired',
  'not-yet-valid',
  'issued-in-future',
  'wrong-aud',
  'aud-array',
  'wrong-iss',
  'unknown-kid',
  'bad-signature',
  'alg-none',
  'hs256-with-public-key',
  'missing-header',
  'truncated',
] as const;

export type AssistantVariantName = (typeof ASSISTANT_VARIANT_NAMES)[number];

export interface AssistantVariantContext {
  aud: string;
  now: number;
  /** Extra claims merged over each variant's own (null removes one). */
  claims?: Record<string, unknown>;
  key: AssistantSigningKey;
}

export interface AssistantVariant {
  name: AssistantVariantName;
  description: string;
  verdict: 'accept' | 'reject';
  /** What a conforming webhook answers: 200, or 403 as @assistant/conversation does. */
  expectedStatus: 200 | 403;
  /** The header value to send, or undefined to send no header at all. */
  build(ctx: AssistantVariantContext): Promise<string | undefined>;
}

export class UnknownAssistantVariantError extends Error {
  readonly code = 'ASSISTANT_UNKNOWN_VARIANT';
  constructor(name: string) {
    super(`unknown Assistant variant "${name}"; known: ${ASSISTANT_VARIANT_NAMES.join(', ')}`);
    this.name = 'UnknownAssistantVariantError';
  }
}

const HOUR = ASSISTANT_TOKEN_LIFETIME_SECONDS;

/**
 * Signs the user's claims with the variant's forgery ON TOP: a supplied claim set (e.g. the
 * documented fixture via --claims) must never undo what makes a variant forged, or
 * "wrong-aud" would silently be a genuine token. Spread, not mergeClaims, so a null in
 * ctx.claims still removes a claim when signing.
 */
function signed(ctx: AssistantVariantContext, forgery: Record<string, unknown>): Promise<string> {
  return signAssistantJwt({
    aud: ctx.aud,
    now: ctx.now,
    key: ctx.key,
    claims: { ...ctx.claims, ...forgery },
  });
}

/** The aud the token would carry without a forgery: --claims aud wins over --aud. */
function effectiveAud(ctx: AssistantVariantContext): string {
  const aud = ctx.claims?.aud;
  return typeof aud === 'string' ? aud : ctx.aud;
}

function b64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

let attackerKey: ReturnType<typeof generateKeyPairSync> | undefined;
function attackerPrivateKey() {
  attackerKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
  return attackerKey.privateKey;
}

const forged = (
  name: AssistantVariantName,
  description: string,
  build: AssistantVariant['build'],
): AssistantVariant => ({ name, description, verdict: 'reject', expectedStatus: 403, build });

export const ASSISTANT_VARIANTS: readonly AssistantVariant[] = [
  {
    name: 'valid',
    description:
      'Genuine token: RS256 by a served key, iss https://accounts.google.com, aud = project id, valid now.',
    verdict: 'accept',
    expectedStatus: 200,
    build: (ctx) => signed(ctx, {}),
  },
  forged('expired', 'exp one hour ago (beyond the 300 s clock skew).', (ctx) =>
    signed(ctx, { iat: ctx.now - 2 * HOUR, nbf: ctx.now - 2 * HOUR, exp: ctx.now - HOUR }),
  ),
  forged(
    'not-yet-valid',
    'Validity starts in one hour: nbf and iat both one hour ahead (google-auth-library ignores nbf, so iat moves too).',
    (ctx) => signed(ctx, { nbf: ctx.now + HOUR, iat: ctx.now + HOUR, exp: ctx.now + 2 * HOUR }),
  ),
  forged(
    'issued-in-future',
    'iat one hour ahead while nbf is now: a verifier must reject tokens issued in the future.',
    (ctx) => signed(ctx, { nbf: ctx.now, iat: ctx.now + HOUR, exp: ctx.now + 2 * HOUR }),
  ),
  forged('wrong-aud', 'aud is another project id.', (ctx) =>
    signed(ctx, { aud: `${effectiveAud(ctx)}-other` }),
  ),
  forged(
    'aud-array',
    'aud is ["<project id>"]: Assistant sends a plain string and verifyIdToken compares with ===.',
    (ctx) => signed(ctx, { aud: [effectiveAud(ctx)] }),
  ),
  forged(
    'wrong-iss',
    'iss https://accounts.google.com.attacker.example (prefix look-alike).',
    (ctx) => signed(ctx, { iss: 'https://accounts.google.com.attacker.example' }),
  ),
  forged(
    'unknown-kid',
    'Signed by a key Google never served, with a kid not in the certs.',
    (ctx) =>
      new SignJWT(mergeClaims(defaultAssistantClaims(ctx.aud, ctx.now), ctx.claims))
        .setProtectedHeader({
          alg: 'RS256',
          kid: 'ffffffffffffffffffffffffffffffffffffffff',
          typ: 'JWT',
        })
        .sign(attackerPrivateKey()),
  ),
  forged('bad-signature', 'Genuine token with its signature bytes altered.', async (ctx) => {
    const [header, payload, signature] = (await signed(ctx, {})).split('.') as [
      string,
      string,
      string,
    ];
    const bytes = Buffer.from(signature, 'base64url');
    bytes[bytes.length >> 1]! ^= 0xff;
    return `${header}.${payload}.${bytes.toString('base64url')}`;
  }),
  forged('alg-none', 'Header alg "none", genuine claims, empty signature.', async (ctx) => {
    const claims = mergeClaims(defaultAssistantClaims(ctx.aud, ctx.now), ctx.claims);
    return `${b64urlJson({ alg: 'none', kid: ctx.key.kid, typ: 'JWT' })}.${b64urlJson(claims)}.`;
  }),
  forged(
    'hs256-with-public-key',
    'alg HS256 keyed with the served certificate PEM (algorithm confusion), kid of a served key.',
    (ctx) =>
      new SignJWT(mergeClaims(defaultAssistantClaims(ctx.aud, ctx.now), ctx.claims))
        .setProtectedHeader({ alg: 'HS256', kid: ctx.key.kid, typ: 'JWT' })
        .sign(Buffer.from(ctx.key.certificatePem)),
  ),
  forged('missing-header', 'No google-assistant-signature header at all.', async () => undefined),
  forged(
    'truncated',
    'Genuine token cut before its signature segment (two segments).',
    async (ctx) => {
      const token = await signed(ctx, {});
      return token.slice(0, token.lastIndexOf('.'));
    },
  ),
];

export function findAssistantVariant(name: string): AssistantVariant {
  const variant = ASSISTANT_VARIANTS.find((v) => v.name === name);
  if (!variant) throw new UnknownAssistantVariantError(name);
  return variant;
}

export interface BuildAssistantSignatureOptions {
  aud?: string;
  now?: number;
  claims?: Record<string, unknown>;
  key?: AssistantSigningKey;
}

/** The header value for a variant (undefined: send no header). */
export async function buildAssistantSignature(
  name: string,
  options: BuildAssistantSignatureOptions = {},
): Promise<string | undefined> {
  return findAssistantVariant(name).build({
    aud: options.aud ?? TEST_ASSISTANT_PROJECT_ID,
    now: options.now ?? nowSeconds(),
    claims: options.claims,
    key: options.key ?? loadAssistantSigningKeys()[0]!,
  });
}

import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { TEST_ASSISTANT_PROJECT_ID } from '../../wire/defaults.ts';
import { type AssistantSigningKey, loadAssistantSigningKeys } from './keys.ts';

/** Google's Assistant request tokens live for one hour, like its ID tokens. */
export const ASSISTANT_TOKEN_LIFETIME_SECONDS = 3600;
export const ASSISTANT_ISSUER = 'https://accounts.google.com';

export interface AssistantSignOptions {
  /** Project id the token is for (`aud`). Defaults to the test project id. */
  aud?: string;
  /** Claims merged over the defaults; `null` removes a claim. */
  claims?: Record<string, unknown>;
  /** Signing key; defaults to the first fixture key. */
  key?: AssistantSigningKey;
  /** `kid` header; defaults to the key's kid. */
  kid?: string;
  /** Clock, in seconds since the epoch; defaults to now. */
  now?: number;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * The claim set Google put in `google-assistant-signature` (Actions on Google "Verify
 * requests"): iss accounts.google.com, aud the Actions project id as a plain string,
 * nbf/iat/exp, jti.
 */
export function defaultAssistantClaims(
  aud: string = TEST_ASSISTANT_PROJECT_ID,
  now: number = nowSeconds(),
): Record<string, unknown> {
  return {
    iss: ASSISTANT_ISSUER,
    aud,
    nbf: now,
    iat: now,
    exp: now + ASSISTANT_TOKEN_LIFETIME_SECONDS,
    jti: randomUUID().replace(/-/g, ''),
  };
}

export function mergeClaims(
  base: Record<string, unknown>,
  overrides: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(overrides ?? {})) {
    if (value === null) delete merged[name];
    else merged[name] = value;
  }
  return merged;
}

/** Signs an RS256 JWT with a `kid` header, as Google did for conversational webhooks. */
export async function signAssistantJwt(options: AssistantSignOptions = {}): Promise<string> {
  const key = options.key ?? loadAssistantSigningKeys()[0]!;
  const claims = mergeClaims(defaultAssistantClaims(options.aud, options.now), options.claims);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? key.kid, typ: 'JWT' })
    .sign(key.privateKey);
}

import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header Business Messages put on every webhook request. */
export const SIGNATURE_HEADER = 'X-Goog-Signature';

/**
 * `X-Goog-Signature` = base64(HMAC-SHA512(clientToken, raw body bytes)). Source: Business
 * Messages "Receive messages" guide, "Verify message origin". Sign the exact bytes you send:
 * re-serialising JSON changes them.
 */
export function signWebhookBody(clientToken: string, rawBody: string | Uint8Array): string {
  return createHmac('sha512', clientToken).update(rawBody).digest('base64');
}

/** Constant-time check of a received signature against the body. */
export function verifyWebhookSignature(
  clientToken: string,
  rawBody: string | Uint8Array,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signWebhookBody(clientToken, rawBody));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

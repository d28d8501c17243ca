import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Business Messages signs every webhook request: `X-Goog-Signature` is
 * base64(HMAC-SHA512(client token, raw request body)) ("Receive messages" guide, "Verify
 * message origin"). It must be computed over the bytes received — re-serialised JSON differs
 * — and compared in constant time.
 */
export function isValidGoogSignature(
  clientToken: string,
  rawBody: Buffer,
  header: string | undefined,
): boolean {
  if (!header) return false;
  const expected = createHmac('sha512', clientToken).update(rawBody).digest();
  const value = header.trim();
  const given = Buffer.from(value, 'base64');
  // Buffer's decoder skips characters outside the alphabet; accept only canonical base64.
  if (given.toString('base64') !== value) return false;
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Constant-time string comparison (for the handshake's clientToken). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens for the login and consent forms: an HMAC of the interaction uid under a
 * per-process secret. The uid is itself bound to the browser by oidc-provider's interaction
 * cookie, so a form posted from another origin (without that cookie or this token) fails.
 */
export class CsrfTokens {
  readonly #secret: Buffer;

  constructor(secret: Buffer) {
    this.#secret = secret;
  }

  issue(uid: string): string {
    return createHmac('sha256', this.#secret).update(`interaction:${uid}`).digest('base64url');
  }

  verify(uid: string, token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const expected = Buffer.from(this.issue(uid));
    const actual = Buffer.from(token);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}

import { describe, expect, it } from 'vitest';
import { isValidGoogSignature, safeEqual } from './signature.ts';

// SPEC §2 step 5 test vector.
const VECTOR =
  '4BJjkwIj9DbqlaTYP2pwZVx6LnYSP4635kuP0qyJELTW5xzW/rh0HIyHeqnFIVVUhXNN0evMf0da4VUJezaYpg==';

describe('isValidGoogSignature', () => {
  const body = Buffer.from('{"conversationId":"c1"}');

  it('accepts the SPEC test vector', () => {
    expect(isValidGoogSignature('test-client-token', body, VECTOR)).toBe(true);
  });

  it('rejects a missing header, another key, a changed body, or a truncated value', () => {
    expect(isValidGoogSignature('test-client-token', body, undefined)).toBe(false);
    expect(isValidGoogSignature('test-client-token', body, '')).toBe(false);
    expect(isValidGoogSignature('other-token', body, VECTOR)).toBe(false);
    expect(
      isValidGoogSignature('test-client-token', Buffer.from('{"conversationId": "c1"}'), VECTOR),
    ).toBe(false);
    expect(isValidGoogSignature('test-client-token', body, VECTOR.slice(0, 40))).toBe(false);
    expect(isValidGoogSignature('test-client-token', body, 'not base64 at all!')).toBe(false);
    expect(
      isValidGoogSignature('test-client-token', body, `${VECTOR.slice(0, 10)}!${VECTOR.slice(10)}`),
    ).toBe(false);
    expect(isValidGoogSignature('test-client-token', body, ` ${VECTOR} `)).toBe(true);
  });

  it('safeEqual compares exactly', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});

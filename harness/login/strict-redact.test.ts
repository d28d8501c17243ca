import { describe, expect, it } from 'vitest';
import { redactUrlStrict } from './strict-redact.ts';

describe('redactUrlStrict', () => {
  it.each([
    'https://business.google.com/callback??code=SECRETCODE1234&state=s',
    'https://business.google.com/message?az-intent-type=1?code=SECRETCODE1234&state=s',
    'https://business.google.com/message?az-intent-type=1&?code=SECRETCODE1234',
    'https://business.google.com/callback?code=SECRETCODE1234',
  ])('masks the code in %s', (url) => {
    const out = redactUrlStrict(url);
    expect(out).not.toContain('SECRETCODE1234');
    expect(out).toContain('code=[redacted:SECR…14]');
  });

  it('leaves non-secret parameters alone', () => {
    const url = 'https://business.google.com/message?az-intent-type=1&state=abc';
    expect(redactUrlStrict(url)).toBe(url);
  });
});

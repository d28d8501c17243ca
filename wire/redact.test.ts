import { describe, expect, it } from 'vitest';
import { mask, redact, redactUrl } from './redact.ts';

describe('redact', () => {
  it('masks secret fields at any depth and keeps the rest', () => {
    const out = redact({
      grant_type: 'authorization_code',
      code: 'abcdefghijklmnop',
      nested: { client_secret: 'bm-agent-secret', user: 'alice' },
      list: [{ access_token: 'tok-123456789' }],
    });
    expect(out.grant_type).toBe('authorization_code');
    expect(out.nested.user).toBe('alice');
    expect(JSON.stringify(out)).not.toMatch(/abcdefghijklmnop|bm-agent-secret|tok-123456789/);
  });

  it('masks bearer and basic credentials wherever they appear', () => {
    const out = redact({ headers: { 'x-other': 'Bearer eyJhbGciOi.abc.def' } });
    expect(out.headers['x-other']).toBe(`Bearer ${mask('eyJhbGciOi.abc.def')}`);
  });

  it('masks secret query parameters in URLs, keeping the URI byte-exact otherwise', () => {
    expect(redactUrl('https://business.google.com/callback?code=SECRETCODE123&state=s1')).toBe(
      `https://business.google.com/callback?code=${mask('SECRETCODE123')}&state=s1`,
    );
    expect(redactUrl('https://business.google.com/message?az-intent-type=1&')).toBe(
      'https://business.google.com/message?az-intent-type=1&',
    );
  });

  it('survives hostile nesting instead of overflowing the stack', () => {
    let deep: unknown = { code: 'SECRETCODE1234' };
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    const out = JSON.stringify(redact(deep));
    expect(out).toContain('[truncated: nested too deeply]');
    expect(out).not.toContain('SECRETCODE1234');
  });

  it('never reveals short secrets', () => {
    expect(mask('abc')).toBe('[redacted:3]');
  });

  describe('behind malformed separators', () => {
    it.each([
      'https://business.google.com/callback??code=SECRETCODE1234&state=s',
      'https://business.google.com/message?az-intent-type=1?code=SECRETCODE1234&state=s',
      'https://business.google.com/message?az-intent-type=1&?code=SECRETCODE1234',
      'https://business.google.com/callback?code=SECRETCODE1234',
    ])('masks the code in %s', (url) => {
      const out = redactUrl(url);
      expect(out).not.toContain('SECRETCODE1234');
      expect(out).toContain('code=[redacted:SECR…14]');
    });

    it('leaves non-secret parameters alone', () => {
      const url = 'https://business.google.com/message?az-intent-type=1&state=abc';
      expect(redactUrl(url)).toBe(url);
    });
  });
});

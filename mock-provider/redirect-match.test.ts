import { describe, expect, it } from 'vitest';
import { BUSINESS_MESSAGES_REDIRECT_URIS } from '../wire/redirect-uris.ts';
import {
  describeRedirectMismatch,
  explainRedirectMismatch,
  redirectUriMatchesExactly,
  redirectUriMatchesLeniently,
} from './redirect-match.ts';

const REGISTERED = [...BUSINESS_MESSAGES_REDIRECT_URIS];

describe('exact matching', () => {
  it('accepts each of the four byte-exact and nothing normalised', () => {
    for (const uri of REGISTERED) expect(redirectUriMatchesExactly(uri, REGISTERED)).toBe(true);
    expect(
      redirectUriMatchesExactly('https://business.google.com/callback?', [
        'https://business.google.com/callback',
      ]),
    ).toBe(false);
    expect(redirectUriMatchesExactly('https://BUSINESS.google.com/callback', REGISTERED)).toBe(
      false,
    );
    expect(redirectUriMatchesExactly('https://business.google.com:443/callback', REGISTERED)).toBe(
      false,
    );
    expect(redirectUriMatchesExactly('https://business.google.com/callback%3F', REGISTERED)).toBe(
      false,
    );
  });
});

describe('lenient matching (misbehave)', () => {
  it('accepts prefixes and query supersets, not other values or hosts', () => {
    expect(redirectUriMatchesLeniently('https://business.google.com/callback/x', REGISTERED)).toBe(
      true,
    );
    expect(
      redirectUriMatchesLeniently(
        'https://business.google.com/message?x=1&az-intent-type=1',
        REGISTERED,
      ),
    ).toBe(true);
    expect(
      redirectUriMatchesLeniently(
        'https://business.google.com/message?az-intent-type=2',
        REGISTERED,
      ),
    ).toBe(false);
    expect(
      redirectUriMatchesLeniently('https://business.google.com.evil.test/callback', REGISTERED),
    ).toBe(false);
  });
});

describe('explainRedirectMismatch', () => {
  it('points out a missing trailing ? or &', () => {
    const q = explainRedirectMismatch('https://business.google.com/callback', [
      'https://business.google.com/callback?',
    ]);
    expect(q.hints).toEqual([
      'did you mean "https://business.google.com/callback?" (note the trailing ?)',
    ]);
    const amp = explainRedirectMismatch('https://business.google.com/message?az-intent-type=1', [
      'https://business.google.com/message?az-intent-type=1&',
    ]);
    expect(amp.hints[0]).toBe(
      'did you mean "https://business.google.com/message?az-intent-type=1&" (note the trailing &)',
    );
    expect(describeRedirectMismatch(amp)).toContain('(note the trailing &)');
  });

  it('points out an unregistered trailing character, case, scheme, host and fragment', () => {
    expect(
      explainRedirectMismatch('https://business.google.com/callback?', [
        'https://business.google.com/callback',
      ]).hints,
    ).toEqual(['did you mean "https://business.google.com/callback" (no trailing ?)']);
    expect(
      explainRedirectMismatch('https://business.google.com/Callback', REGISTERED).hints[0],
    ).toMatch(/case-sensitive/);
    expect(
      explainRedirectMismatch('http://business.google.com/callback', REGISTERED).hints,
    ).toContain('the scheme must be https://');
    expect(
      explainRedirectMismatch('https://business.google.com.evil.test/callback', REGISTERED)
        .hints[0],
    ).toBe('host "business.google.com.evil.test" is not the registered host "business.google.com"');
    expect(
      explainRedirectMismatch('https://business.google.com/callback#x', REGISTERED).hints,
    ).toContain('a redirect_uri must not contain a fragment (#…)');
  });

  it('names the closest registered URI for other near misses', () => {
    const m = explainRedirectMismatch(
      'https://business.google.com/message?az-intent-type=2',
      REGISTERED,
    );
    expect(m.closest).toBe('https://business.google.com/message?az-intent-type=1');
    expect(m.registered).toEqual(REGISTERED);
    expect(m.hints[0]).toContain(
      'closest registered value is "https://business.google.com/message?az-intent-type=1"',
    );
    const extra = explainRedirectMismatch('https://business.google.com/callback/x', REGISTERED);
    expect(extra.hints[0]).toContain(
      'extra characters after the registered "https://business.google.com/callback"',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { BUSINESS_MESSAGES_REDIRECT_URIS } from '../../wire/redirect-uris.ts';
import { appendProblems, expectedPrefix, parseCallback } from './callback.ts';
import { redirectsTo } from './near-miss.ts';

const [U1, U2, U3, U4] = BUSINESS_MESSAGES_REDIRECT_URIS;

describe('redirect parsing on raw strings', () => {
  it('expects exactly one separator for each Business Messages URI', () => {
    expect(BUSINESS_MESSAGES_REDIRECT_URIS.map(expectedPrefix)).toEqual([
      'https://business.google.com/callback?',
      'https://business.google.com/callback?',
      'https://business.google.com/message?az-intent-type=1&',
      'https://business.google.com/message?az-intent-type=1&',
    ]);
  });

  it.each([
    [U1, `${U1}?code=c&state=s`],
    [U2, `${U2}code=c&state=s`],
    [U3, `${U3}&code=c&state=s`],
    [U4, `${U4}code=c&state=s`],
  ])('accepts a correct append to %s', (uri, location) => {
    expect(appendProblems(parseCallback(location), uri)).toEqual([]);
  });

  it.each([
    [U2, `${U2}?code=c&state=s`, '"??"'],
    [U4, `${U4}&code=c&state=s`, '"&&"'],
    [U3, `${U3}?code=c`, 'lost the registered az-intent-type=1'],
    [U3, 'https://business.google.com/message?code=c', 'lost the registered az-intent-type=1'],
    [U1, `${U1}#code=c`, 'fragment'],
  ])('names the defect for %s → %s', (uri, location, defect) => {
    expect(appendProblems(parseCallback(location), uri).join('; ')).toContain(defect);
  });

  it('keeps the trailing ? that URL parsing would drop', () => {
    const cb = parseCallback('https://business.google.com/callback?');
    expect(cb).toMatchObject({ base: 'https://business.google.com/callback', query: '' });
  });

  it('tells a redirect to a near miss from one to a look-alike prefix', () => {
    expect(
      redirectsTo(
        'https://business.google.com/callbackx?code=1',
        'https://business.google.com/callbackx',
      ),
    ).toBe(true);
    expect(redirectsTo('https://business.google.com/callbackx?code=1', U1)).toBe(false);
    expect(redirectsTo(`${U1}?code=1`, 'https://business.google.com/callback/')).toBe(false);
    expect(redirectsTo(`${U2}code=1`, U2)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { BUSINESS_MESSAGES_REDIRECT_URIS, isBusinessMessagesRedirectUri } from './redirect-uris.ts';

describe('Business Messages redirect URIs', () => {
  it('keeps the trailing ? and & byte-exact', () => {
    expect(BUSINESS_MESSAGES_REDIRECT_URIS[1].endsWith('/callback?')).toBe(true);
    expect(BUSINESS_MESSAGES_REDIRECT_URIS[3].endsWith('az-intent-type=1&')).toBe(true);
    // Why we never normalise: URL parsing reports the lone '?' as an empty search.
    expect(new URL(BUSINESS_MESSAGES_REDIRECT_URIS[1]).search).toBe('');
  });

  it.each([
    'https://business.google.com/callback/x',
    'https://business.google.com/Callback',
    'http://business.google.com/callback',
    'https://business.google.com/message?az-intent-type=2',
    'https://business.google.com/callback#',
  ])('rejects the near miss %s', (uri) => {
    expect(isBusinessMessagesRedirectUri(uri)).toBe(false);
  });
});

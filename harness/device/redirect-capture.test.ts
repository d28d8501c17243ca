import { describe, expect, it } from 'vitest';
import { BUSINESS_MESSAGES_REDIRECT_URIS } from '../../wire/redirect-uris.ts';
import { buildAuthorizeUrl } from './authorize-url.ts';
import { AUTH_ERROR_CODES, mapOAuthError } from './oauth-errors.ts';
import { captureRedirect } from './redirect-capture.ts';

describe('buildAuthorizeUrl', () => {
  it.each(BUSINESS_MESSAGES_REDIRECT_URIS.map((u) => [u]))(
    'carries every parameter; %s survives byte-exact',
    (redirectUri) => {
      const url = buildAuthorizeUrl('http://127.0.0.1:4010/authorize?prompt=login', {
        clientId: 'CID',
        redirectUri,
        scopes: ['openid', 'profile'],
        state: 'st',
        codeChallenge: 'ch',
        codeChallengeMethod: 'S256',
      });
      const q = new URL(url).searchParams;
      expect(q.get('redirect_uri')).toBe(redirectUri);
      expect(q.get('scope')).toBe('openid profile');
      expect(Object.fromEntries(q)).toMatchObject({
        prompt: 'login',
        response_type: 'code',
        client_id: 'CID',
        state: 'st',
        code_challenge: 'ch',
        code_challenge_method: 'S256',
      });
    },
  );
});

describe('captureRedirect', () => {
  it('reads code and state after each redirect URI form', () => {
    expect(
      captureRedirect(
        'https://business.google.com/callback?code=c&state=s',
        BUSINESS_MESSAGES_REDIRECT_URIS[1],
      ),
    ).toMatchObject({ code: 'c', state: 's', problems: [] });
    expect(
      captureRedirect(
        'https://business.google.com/message?az-intent-type=1&code=c&state=s',
        BUSINESS_MESSAGES_REDIRECT_URIS[3],
      ),
    ).toMatchObject({ code: 'c', state: 's', problems: [] });
  });

  it('flags blind appends, a dropped az-intent-type and another target', () => {
    expect(
      captureRedirect(
        'https://business.google.com/callback??code=c&state=s',
        BUSINESS_MESSAGES_REDIRECT_URIS[1],
      ).problems.join(),
    ).toMatch(/\?\?/);
    expect(
      captureRedirect(
        'https://business.google.com/message?az-intent-type=1&&code=c',
        BUSINESS_MESSAGES_REDIRECT_URIS[3],
      ).problems.join(),
    ).toMatch(/&&/);
    expect(
      captureRedirect(
        'https://business.google.com/message?code=c',
        BUSINESS_MESSAGES_REDIRECT_URIS[2],
      ).problems.join(),
    ).toMatch(/az-intent-type/);
    expect(
      captureRedirect(
        'https://business.google.com/other?code=c',
        BUSINESS_MESSAGES_REDIRECT_URIS[0],
      ).problems.join(),
    ).toMatch(/not to the requested/);
  });

  it('reads OAuth errors', () => {
    expect(
      captureRedirect(
        'https://business.google.com/callback?error=access_denied&error_description=no&state=s',
        BUSINESS_MESSAGES_REDIRECT_URIS[0],
      ),
    ).toMatchObject({
      error: 'access_denied',
      errorDescription: 'no',
    });
  });
});

describe('mapOAuthError', () => {
  it.each([
    ['access_denied', 'ACCESS_DENIED'],
    ['invalid_request', 'INVALID_REQUEST'],
    ['unauthorized_client', 'UNAUTHORIZED_CLIENT'],
    ['unsupported_response_type', 'UNSUPPORTED_RESPONSE_TYPE'],
    ['invalid_scope', 'INVALID_SCOPE'],
    ['server_error', 'SERVER_ERROR'],
    ['temporarily_unavailable', 'TEMPORARILY_UNAVAILABLE'],
    ['login_required', 'ERROR_UNSPECIFIED'],
  ])('%s → %s', (oauth, google) => {
    expect(mapOAuthError(oauth)).toBe(google);
  });
  it('lists all eight Business Messages codes', () => {
    expect(new Set(AUTH_ERROR_CODES).size).toBe(8);
  });
});

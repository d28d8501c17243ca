import * as jose from 'jose';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_MESSAGES_REDIRECT_URIS } from '../wire/redirect-uris.ts';
import { createMockProvider, type MockProvider } from './index.ts';
import {
  authorizeRequest,
  browse,
  CONFIDENTIAL,
  clientAuth,
  discover,
  exchange,
  insecure,
  PUBLIC,
  rawToken,
  signIn,
} from './test-support/flow.ts';

let provider: MockProvider;
beforeAll(async () => {
  provider = await createMockProvider({ port: 0, quiet: true });
});
afterAll(() => provider.close());

/** The Location Business Messages must see: code and state appended, nothing doubled. */
function expectedLocation(redirectUri: string, code: string, state: string, iss: string): string {
  const sep =
    redirectUri.endsWith('?') || redirectUri.endsWith('&')
      ? ''
      : redirectUri.includes('?')
        ? '&'
        : '?';
  return `${redirectUri}${sep}code=${code}&state=${state}&iss=${encodeURIComponent(iss)}`;
}

describe('authorization code + PKCE through the HTML login', () => {
  it('fixtures register exactly the four Business Messages redirect URIs on both clients', () => {
    for (const client of provider.clients) {
      expect(client.redirect_uris).toEqual([...BUSINESS_MESSAGES_REDIRECT_URIS]);
    }
  });

  for (const redirectUri of BUSINESS_MESSAGES_REDIRECT_URIS) {
    it(`redirects byte-exact to ${redirectUri} and exchanges the code`, async () => {
      const { req, location } = await signIn(provider, { redirectUri, state: 'st-123' });
      const code = new URL(location).searchParams.get('code')!;
      expect(location).toBe(expectedLocation(redirectUri, code, 'st-123', provider.issuer));
      expect(location).not.toContain('??');
      expect(location).not.toContain('&&');
      if (redirectUri.includes('az-intent-type')) {
        expect(
          location.startsWith('https://business.google.com/message?az-intent-type=1&code='),
        ).toBe(true);
      }

      const { response, as } = await exchange(provider, req, location);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const tokens = await oauth.processAuthorizationCodeResponse(
        as,
        { client_id: req.clientId },
        response,
      );
      expect(tokens.token_type).toBe('bearer');
      expect(tokens.refresh_token).toBeTypeOf('string');
      const claims = oauth.getValidatedIdTokenClaims(tokens)!;
      expect(claims.sub).toBe('user-alice-0001');
      expect(claims.name).toBe('Alice Example');
    });
  }

  it('signs the id_token with the key published at /jwks', async () => {
    const { req, location } = await signIn(provider);
    const { response } = await exchange(provider, req, location);
    const body = (await response.json()) as { id_token: string };
    const jwks = jose.createRemoteJWKSet(new URL(`${provider.url}/jwks`));
    const { payload, protectedHeader } = await jose.jwtVerify(body.id_token, jwks, {
      issuer: provider.issuer,
      audience: CONFIDENTIAL.clientId,
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.sub).toBe('user-alice-0001');
  });

  it('works for the public client (no secret) and releases claims per scope at userinfo', async () => {
    const { req, location } = await signIn(
      provider,
      { clientId: PUBLIC.clientId, scope: 'openid email' },
      'bob',
    );
    const { response, as } = await exchange(provider, req, location);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      { client_id: PUBLIC.clientId },
      response,
    );
    const info = await oauth.processUserInfoResponse(
      as,
      { client_id: PUBLIC.clientId },
      'user-bob-0002',
      await oauth.userInfoRequest(
        as,
        { client_id: PUBLIC.clientId },
        tokens.access_token,
        insecure,
      ),
    );
    expect(info).toEqual({
      sub: 'user-bob-0002',
      email: 'bob@example.test',
      email_verified: false,
    });
  });

  it('releases profile claims (including the extra claim) only with the profile scope', async () => {
    const { req, location } = await signIn(provider, { scope: 'openid profile' });
    const { response, as } = await exchange(provider, req, location);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      { client_id: req.clientId },
      response,
    );
    const res = await fetch(`${provider.url}/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await res.json()).toEqual({
      sub: 'user-alice-0001',
      name: 'Alice Example',
      given_name: 'Alice',
      family_name: 'Example',
      locale: 'en',
      loyalty_tier: 'gold',
    });
  });
});

describe('headless path', () => {
  it('is off by default: login_hint still shows the login form', async () => {
    const req = await authorizeRequest(provider, { loginHint: 'alice' });
    const { pages } = await browse(req.url);
    expect(pages[0]!.html).toContain('name="password"');
  });

  it('logs in and consents with login_hint when headlessLogin is on, for each redirect URI', async () => {
    const headless = await createMockProvider({ port: 0, quiet: true, headlessLogin: true });
    try {
      for (const redirectUri of BUSINESS_MESSAGES_REDIRECT_URIS) {
        const req = await authorizeRequest(headless, {
          loginHint: 'bob',
          redirectUri,
          clientId: PUBLIC.clientId,
        });
        const { location, pages } = await browse(req.url);
        expect(pages).toEqual([]);
        const code = new URL(location).searchParams.get('code')!;
        expect(location).toBe(expectedLocation(redirectUri, code, req.state, headless.issuer));
        const { response, as } = await exchange(headless, req, location);
        const tokens = await oauth.processAuthorizationCodeResponse(
          as,
          { client_id: req.clientId },
          response,
        );
        expect(oauth.getValidatedIdTokenClaims(tokens)!.sub).toBe('user-bob-0002');
      }
    } finally {
      await headless.close();
    }
  });
});

describe('refresh, introspection, revocation', () => {
  it('rotates refresh tokens and rejects the old one after use', async () => {
    const { req, location } = await signIn(provider);
    const { response, as } = await exchange(provider, req, location);
    const client = { client_id: req.clientId };
    const first = await oauth.processAuthorizationCodeResponse(as, client, response);
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(
        as,
        client,
        clientAuth(req.clientId),
        first.refresh_token!,
        insecure,
      ),
    );
    expect(refreshed.refresh_token).toBeTypeOf('string');
    expect(refreshed.refresh_token).not.toBe(first.refresh_token);
    const reuse = await rawToken(provider, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token!,
    });
    expect(reuse.status).toBe(400);
    expect(reuse.json.error).toBe('invalid_grant');
    expect(reuse.headers.get('cache-control')).toBe('no-store');
  });

  it('introspects an active access token and revokes it', async () => {
    const { req, location } = await signIn(provider);
    const { response, as } = await exchange(provider, req, location);
    const client = { client_id: req.clientId };
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
    const auth = clientAuth(CONFIDENTIAL.clientId);
    const before = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, tokens.access_token, insecure),
    );
    expect(before.active).toBe(true);
    expect(before.sub).toBe('user-alice-0001');
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, auth, tokens.access_token, insecure),
    );
    const after = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, tokens.access_token, insecure),
    );
    expect(after.active).toBe(false);
  });

  it('publishes the endpoints of the contract in discovery', async () => {
    const as = await discover(provider);
    expect(as.issuer).toBe(provider.issuer);
    expect(as.authorization_endpoint).toBe(`${provider.issuer}/authorize`);
    expect(as.token_endpoint).toBe(`${provider.issuer}/token`);
    expect(as.userinfo_endpoint).toBe(`${provider.issuer}/userinfo`);
    expect(as.jwks_uri).toBe(`${provider.issuer}/jwks`);
    expect(as.code_challenge_methods_supported).toEqual(['S256']);
    expect(as.introspection_endpoint).toBeTypeOf('string');
    expect(as.revocation_endpoint).toBeTypeOf('string');
  });
});

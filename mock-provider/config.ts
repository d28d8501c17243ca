import type { JWK } from 'jose';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import { type AccountDirectory, SCOPE_CLAIMS } from './accounts.ts';
import type { MockClient } from './clients.ts';
import type { MisbehaveState } from './misbehave.ts';

export interface ProviderTtls {
  codeTtlSeconds: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

export interface ConfigurationInput extends ProviderTtls {
  clients: readonly MockClient[];
  accounts: AccountDirectory;
  jwks: { keys: JWK[] };
  cookieKeys: string[];
  misbehave: MisbehaveState;
  renderError: (...args: never[]) => Promise<void>;
}

/** Endpoint paths (contract 1 in the coordination brief; published in discovery too). */
export const ROUTES = {
  authorization: '/authorize',
  token: '/token',
  userinfo: '/userinfo',
  jwks: '/jwks',
  introspection: '/token/introspection',
  revocation: '/token/revocation',
  end_session: '/session/end',
} as const;

async function ownTokensOnly(
  _ctx: unknown,
  client: { clientId: string },
  token: { clientId?: string },
) {
  return token.clientId === client.clientId;
}

/** Options → oidc-provider v9 configuration. */
export function buildConfiguration(input: ConfigurationInput): Record<string, unknown> {
  const { misbehave } = input;
  return {
    // In-memory storage private to this instance (two providers in one process stay apart).
    adapter: createMemoryAdapter(0),
    clients: input.clients.map((c) => ({ ...c, redirect_uris: [...c.redirect_uris] })),
    findAccount: input.accounts.findAccount,
    claims: SCOPE_CLAIMS,
    scopes: [
      'openid',
      'offline_access',
      ...Object.keys(SCOPE_CLAIMS).filter((s) => s !== 'openid'),
    ],
    // Release scope claims in the id_token as well as at userinfo, as Google-era agents
    // commonly read the name straight from the id_token.
    conformIdTokenClaims: false,
    cookies: { keys: input.cookieKeys },
    jwks: input.jwks,
    responseTypes: ['code'],
    // RFC 7636 for every client; only S256 (oidc-provider v9 knows no other method).
    pkce: { required: () => !misbehave.current.pkceNotEnforced },
    features: {
      devInteractions: { enabled: false },
      // A client may introspect and revoke only its own tokens.
      introspection: { enabled: true, allowedPolicy: ownTokensOnly },
      revocation: { enabled: true, allowedPolicy: ownTokensOnly },
      userinfo: { enabled: true },
      resourceIndicators: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    routes: ROUTES,
    ttl: {
      AuthorizationCode: input.codeTtlSeconds,
      AccessToken: input.accessTokenTtlSeconds,
      RefreshToken: input.refreshTokenTtlSeconds,
      IdToken: 3600,
      Interaction: 3600,
      Session: 86400,
      Grant: input.refreshTokenTtlSeconds,
    },
    // Google's authentication request asks for scopes like ["openid","profile"], never
    // offline_access, yet agents need to refresh: issue a refresh token to every client
    // allowed the refresh_token grant, and rotate it on each use (OAuth 2.0 Security BCP §4.14).
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    clientBasedCORS: () => true,
    renderError: input.renderError,
  };
}

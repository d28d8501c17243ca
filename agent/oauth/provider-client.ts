import * as oauth from 'oauth4webapi';
import { SignInError } from '../errors.ts';

export interface ProviderClientOptions {
  issuer: string;
  clientId: string;
  /** Confidential clients authenticate with client_secret_basic; omit for a public client. */
  clientSecret?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface SignedInIdentity {
  subject: string;
  name: string;
  claims: Record<string, unknown>;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * oauth4webapi refuses http:// endpoints; the mock provider runs on plain HTTP on loopback,
 * so insecure requests are allowed for loopback issuers only — never for a remote one.
 */
export function isLoopbackIssuer(issuer: URL): boolean {
  return issuer.protocol === 'http:' && LOOPBACK_HOSTS.has(issuer.hostname);
}

/** PKCE S256 pair (RFC 7636 §4.1–4.2) made with oauth4webapi, not by hand. */
export async function createPkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = oauth.generateRandomCodeVerifier();
  return { verifier, challenge: await oauth.calculatePKCECodeChallenge(verifier) };
}

/**
 * The agent's OAuth client: discovery, authorization-code exchange with PKCE, userinfo.
 * Metadata is discovered lazily and re-discovered after a failure.
 */
export class ProviderClient {
  readonly #issuer: URL;
  readonly #client: oauth.Client;
  readonly #auth: oauth.ClientAuth;
  readonly #options: ProviderClientOptions;
  #metadata: Promise<oauth.AuthorizationServer> | undefined;

  constructor(options: ProviderClientOptions) {
    this.#options = options;
    this.#issuer = new URL(options.issuer);
    this.#client = { client_id: options.clientId };
    this.#auth =
      options.clientSecret === undefined
        ? oauth.None()
        : oauth.ClientSecretBasic(options.clientSecret);
  }

  #requestOptions() {
    return {
      [oauth.allowInsecureRequests]: isLoopbackIssuer(this.#issuer),
      [oauth.customFetch]: this.#options.fetch,
      signal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000),
    };
  }

  metadata(): Promise<oauth.AuthorizationServer> {
    this.#metadata ??= (async () => {
      const response = await oauth.discoveryRequest(this.#issuer, {
        algorithm: 'oidc',
        ...this.#requestOptions(),
      });
      return oauth.processDiscoveryResponse(this.#issuer, response);
    })();
    this.#metadata.catch(() => {
      this.#metadata = undefined;
    });
    return this.#metadata;
  }

  /**
   * Exchanges a code relayed by Business Messages. `redirectUri` is the webhook's
   * authenticationResponse.redirectUri, passed through byte for byte (oauth4webapi sets it
   * as a form parameter without parsing it, so a trailing `?` or `&` survives).
   */
  async exchangeCode(
    code: string,
    codeVerifier: string,
    redirectUri: string,
  ): Promise<SignedInIdentity> {
    try {
      const as = await this.metadata();
      // Google captured the redirect itself and relays only the code: there is no `state` to
      // check here (Google checked it) and no RFC 9207 `iss` parameter to compare.
      const callback = oauth.validateAuthResponse(
        { ...as, authorization_response_iss_parameter_supported: false },
        this.#client,
        new URLSearchParams({ code }),
        oauth.skipStateCheck,
      );
      const tokenResponse = await oauth.authorizationCodeGrantRequest(
        as,
        this.#client,
        this.#auth,
        callback,
        redirectUri,
        codeVerifier,
        this.#requestOptions(),
      );
      const tokens = await oauth.processAuthorizationCodeResponse(as, this.#client, tokenResponse);
      const idClaims = oauth.getValidatedIdTokenClaims(tokens);
      const userinfoResponse = await oauth.userInfoRequest(
        as,
        this.#client,
        tokens.access_token,
        this.#requestOptions(),
      );
      const userinfo = await oauth.processUserInfoResponse(
        as,
        this.#client,
        idClaims?.sub ?? oauth.skipSubjectCheck,
        userinfoResponse,
      );
      const name =
        (typeof userinfo.name === 'string' && userinfo.name) ||
        (typeof userinfo.preferred_username === 'string' && userinfo.preferred_username) ||
        userinfo.sub;
      return { subject: userinfo.sub, name, claims: { ...userinfo } };
    } catch (err) {
      throw classifyOAuthFailure(err);
    }
  }
}

/** Maps an oauth4webapi failure to what the conversation tells the user. */
export function classifyOAuthFailure(err: unknown): SignInError {
  if (err instanceof SignInError) return err;
  if (err instanceof oauth.ResponseBodyError) {
    if (err.error === 'invalid_grant') {
      return new SignInError('invalid_grant', `provider refused the code: ${err.error}`, {
        cause: err,
      });
    }
    const transient =
      err.status >= 500 || ['temporarily_unavailable', 'server_error'].includes(err.error);
    return new SignInError(
      transient ? 'temporarily_unavailable' : 'provider_error',
      `provider answered HTTP ${err.status} ${err.error}`,
      { cause: err },
    );
  }
  // A non-OAuth error body (e.g. an HTML 502 page): oauth4webapi keeps the Response as cause.
  if (
    err instanceof oauth.OperationProcessingError &&
    err.cause instanceof Response &&
    err.cause.status >= 500
  ) {
    return new SignInError(
      'temporarily_unavailable',
      `provider answered HTTP ${err.cause.status}`,
      {
        cause: err,
      },
    );
  }
  if (err instanceof TypeError || (err as Error)?.name === 'TimeoutError') {
    return new SignInError(
      'temporarily_unavailable',
      `provider unreachable: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  return new SignInError('provider_error', `sign-in failed: ${(err as Error)?.message ?? err}`, {
    cause: err,
  });
}

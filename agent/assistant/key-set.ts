import {
  createRemoteJWKSet,
  customFetch,
  errors,
  importX509,
  type JWTVerifyGetKey,
  type KeyObject,
} from 'jose';

export type AssistantCertsFormat = 'jwks' | 'pem';

export interface AssistantKeySetOptions {
  /**
   * https://www.googleapis.com/oauth2/v3/certs (JWKS) or …/oauth2/v1/certs (PEM map), or the
   * emulator's equivalents.
   */
  certsUrl: string;
  /** Defaults from the path: `/v1/certs` → pem, anything else → jwks. */
  format?: AssistantCertsFormat;
  fetch?: typeof fetch;
  /** Cache lifetime when the response has no Cache-Control max-age. */
  defaultMaxAgeMs?: number;
  /** Minimum time between two refetches triggered by an unknown kid. */
  cooldownMs?: number;
}

export function certsFormatOf(certsUrl: string): AssistantCertsFormat {
  return /\/v1\/certs\/?$/.test(new URL(certsUrl).pathname) ? 'pem' : 'jwks';
}

/**
 * Key resolver for jose's jwtVerify. Keys are cached (Cache-Control max-age for the PEM map,
 * jose's own cache for JWKS) and refetched when an unknown kid shows up, at most once per
 * cooldown, so that Google's key rotation is picked up without a refetch per request.
 */
export function createAssistantKeySet(options: AssistantKeySetOptions): JWTVerifyGetKey {
  const format = options.format ?? certsFormatOf(options.certsUrl);
  const cooldownMs = options.cooldownMs ?? 30_000;
  if (format === 'jwks') {
    return createRemoteJWKSet(new URL(options.certsUrl), {
      cooldownDuration: cooldownMs,
      cacheMaxAge: options.defaultMaxAgeMs ?? 10 * 60_000,
      ...(options.fetch ? { [customFetch]: options.fetch } : {}),
    });
  }
  return createPemMapKeySet(options, cooldownMs);
}

function createPemMapKeySet(options: AssistantKeySetOptions, cooldownMs: number): JWTVerifyGetKey {
  let keys = new Map<string, KeyObject | CryptoKey>();
  let expiresAt = 0;
  let fetchedAt = 0;
  let inflight: Promise<void> | undefined;

  const refresh = () => {
    inflight ??= (async () => {
      const response = await (options.fetch ?? fetch)(options.certsUrl, {
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok)
        throw new errors.JOSEError(`certs endpoint answered HTTP ${response.status}`);
      const map = (await response.json()) as Record<string, unknown>;
      const next = new Map<string, KeyObject | CryptoKey>();
      for (const [kid, pem] of Object.entries(map)) {
        if (typeof pem === 'string') next.set(kid, await importX509(pem, 'RS256'));
      }
      const maxAge = /max-age=(\d+)/.exec(response.headers.get('cache-control') ?? '')?.[1];
      fetchedAt = Date.now();
      expiresAt =
        fetchedAt + (maxAge ? Number(maxAge) * 1000 : (options.defaultMaxAgeMs ?? 600_000));
      keys = next;
    })().finally(() => {
      inflight = undefined;
    });
    return inflight;
  };

  return async (header) => {
    if (header.alg !== 'RS256') throw new errors.JOSEAlgNotAllowed('only RS256 is accepted');
    if (Date.now() >= expiresAt) await refresh();
    let key = header.kid ? keys.get(header.kid) : undefined;
    if (!key && Date.now() - fetchedAt >= cooldownMs) {
      await refresh();
      key = header.kid ? keys.get(header.kid) : undefined;
    }
    if (!key) throw new errors.JWKSNoMatchingKey();
    return key;
  };
}

/**
 * Redaction of secrets for logs, event logs and timelines (SPEC §5). Every part of the
 * harness records through this one function so that a new secret-bearing field is
 * redacted everywhere by adding it here once.
 */

const SECRET_KEYS = new Set(
  [
    'code',
    'code_verifier',
    'codeVerifier',
    'access_token',
    'accessToken',
    'refresh_token',
    'refreshToken',
    'id_token',
    'idToken',
    'token',
    'client_secret',
    'clientSecret',
    'clientToken',
    'client_token',
    'secret',
    'password',
    'private_key',
    'privateKey',
    'assertion',
    'client_assertion',
    'authorization',
    'cookie',
    'set-cookie',
    'x-goog-signature',
    'google-assistant-signature',
  ].map((k) => k.toLowerCase()),
);

/** Shows enough to correlate two log lines (length and a 4-char prefix), never the value. */
export function mask(value: string): string {
  if (value.length <= 8) return `[redacted:${value.length}]`;
  return `[redacted:${value.slice(0, 4)}…${value.length}]`;
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase());
}

/**
 * Redacts secret query parameters (and a userinfo password) in a URL-looking string. A
 * second pass catches parameters behind malformed separators (`callback??code=…`,
 * `type=1?code=…`): exactly the broken redirects the validator reports must not leak the
 * code they carry.
 */
export function redactUrl(url: string): string {
  const maskParam = (whole: string, sep: string, key: string, value: string) =>
    isSecretKey(decodeURIComponentSafe(key)) && value && !value.startsWith('[redacted')
      ? `${sep}${key}=${mask(value)}`
      : whole;
  return url
    .replace(/([?&#])([^=&#\s]+)=([^&#\s]*)/g, maskParam)
    .replace(/([?&#])([^=&#?\s]+)=([^&#?\s]*)/g, maskParam)
    .replace(/(\/\/[^/:@\s]+):([^@/\s]+)@/, '$1:[redacted]@');
}

/** Deep copy of `value` with secret fields, bearer tokens and secret URL parameters masked. */
export function redact<T>(value: T): T {
  return redactValue(value, undefined, 0) as T;
}

/** Deeper than any real payload; stops hostile input from overflowing the stack. */
export const MAX_REDACT_DEPTH = 64;

function redactValue(value: unknown, key: string | undefined, depth: number): unknown {
  if (depth > MAX_REDACT_DEPTH && value !== null && typeof value === 'object') {
    return '[truncated: nested too deeply]';
  }
  if (typeof value === 'string') {
    if (key !== undefined && isSecretKey(key)) return maskHeaderValue(value);
    if (/^(Bearer|Basic)\s+\S+/i.test(value)) return maskHeaderValue(value);
    if (value.includes('=') && (value.includes('?') || value.includes('&')))
      return redactUrl(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, key, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, k, depth + 1);
    return out;
  }
  return value;
}

function maskHeaderValue(value: string): string {
  const scheme = /^(Bearer|Basic)\s+(\S+)$/i.exec(value);
  if (scheme) return `${scheme[1]} ${mask(scheme[2]!)}`;
  return mask(value);
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

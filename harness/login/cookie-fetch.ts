import makeFetchCookie from 'fetch-cookie';
import { CookieJar } from 'tough-cookie';

/**
 * A fetch with its own cookie jar (one per login walk, like a fresh browser profile).
 * Redirects are never followed here: the walker must see every Location header raw.
 */
export interface CookieFetch {
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  jar: CookieJar;
}

export function createCookieFetch(baseFetch: typeof fetch = globalThis.fetch): CookieFetch {
  const jar = new CookieJar();
  const withCookies = makeFetchCookie(baseFetch, jar);
  return {
    jar,
    fetch: (url, init) => withCookies(url, { ...init, redirect: 'manual' }),
  };
}

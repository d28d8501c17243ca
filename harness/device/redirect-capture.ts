/**
 * Reads the navigation the provider sent the user to (the raw Location value) the way
 * Google's side did: it must be the redirect URI the device asked for with `code`/`state`
 * (or `error`) appended — `az-intent-type=1` kept, no `??` or `&&` — SPEC §2 step 4.
 */
export interface CapturedRedirect {
  location: string;
  code?: string;
  state?: string;
  error?: string;
  errorDescription?: string;
  /** Deviations from what Google expected; non-empty means the provider misbehaved. */
  problems: string[];
}

export function captureRedirect(location: string, requestedRedirectUri: string): CapturedRedirect {
  const problems: string[] = [];
  const queryStart = location.indexOf('?');
  const base = queryStart >= 0 ? location.slice(0, queryStart) : location;
  const hashStart = location.indexOf('#');
  const query =
    queryStart >= 0
      ? location.slice(queryStart + 1, hashStart > queryStart ? hashStart : undefined)
      : '';
  const requestedQueryStart = requestedRedirectUri.indexOf('?');
  const requestedBase =
    requestedQueryStart >= 0
      ? requestedRedirectUri.slice(0, requestedQueryStart)
      : requestedRedirectUri;
  if (base !== requestedBase) {
    problems.push(`redirected to ${base}, not to the requested redirect URI ${requestedBase}`);
  }
  if (location.includes('??')) problems.push('redirect contains "??" (query appended blindly)');
  if (location.includes('&&')) problems.push('redirect contains "&&" (query appended blindly)');
  if (hashStart >= 0)
    problems.push('redirect carries a fragment; Business Messages reads the query');
  const params = new URLSearchParams(query);
  if (requestedRedirectUri.includes('az-intent-type=1') && params.get('az-intent-type') !== '1') {
    problems.push('the az-intent-type=1 parameter of the redirect URI was dropped');
  }
  return {
    location,
    code: params.get('code') ?? undefined,
    state: params.get('state') ?? undefined,
    error: params.get('error') ?? undefined,
    errorDescription: params.get('error_description') ?? undefined,
    problems,
  };
}

/**
 * Reads the redirect a provider sent back to a Business Messages redirect URI. Works on the
 * raw string: `new URL()` would hide exactly the defects this looks for (a doubled `?`/`&`,
 * a dropped trailing `?`).
 */
export interface ParsedCallback {
  raw: string;
  /** Everything before the first `?` (or `#`). */
  base: string;
  query: string;
  fragment: string | undefined;
  params: URLSearchParams;
}

export function parseCallback(raw: string): ParsedCallback {
  const hash = raw.indexOf('#');
  const beforeFragment = hash === -1 ? raw : raw.slice(0, hash);
  const fragment = hash === -1 ? undefined : raw.slice(hash + 1);
  const q = beforeFragment.indexOf('?');
  const base = q === -1 ? beforeFragment : beforeFragment.slice(0, q);
  const query = q === -1 ? '' : beforeFragment.slice(q + 1);
  return { raw, base, query, fragment, params: new URLSearchParams(query) };
}

/**
 * What a correct provider produces for `registered` (RFC 6749 §4.1.2 and §3.1.2: keep the
 * registered query, add parameters with the right separator): the prefix the redirect must
 * start with, before `code=`/`state=`/… begin.
 */
export function expectedPrefix(registered: string): string {
  if (!registered.includes('?')) return `${registered}?`;
  if (registered.endsWith('?') || registered.endsWith('&')) return registered;
  return `${registered}&`;
}

/** Problems with how the response parameters were appended to `registered`. */
export function appendProblems(cb: ParsedCallback, registered: string): string[] {
  const problems: string[] = [];
  const prefix = expectedPrefix(registered);
  if (!cb.raw.startsWith(prefix)) {
    problems.push(
      `does not start with ${JSON.stringify(prefix)} (the registered URI plus one separator)`,
    );
  } else if (/^[?&]/.test(cb.raw.slice(prefix.length))) {
    problems.push(`a doubled separator after ${JSON.stringify(prefix)}`);
  }
  if (cb.raw.includes('??')) problems.push('contains "??"');
  if (cb.raw.includes('&&')) problems.push('contains "&&"');
  if (cb.fragment !== undefined)
    problems.push('has a fragment (#…): the code flow answers in the query');
  const registeredQuery = new URLSearchParams(parseCallback(registered).query);
  for (const [key, value] of registeredQuery) {
    if (!cb.params.getAll(key).includes(value))
      problems.push(`lost the registered ${key}=${value}`);
  }
  return problems;
}

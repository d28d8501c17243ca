/**
 * redirect_uri matching. Strict mode is a plain string comparison (RFC 6749 §3.1.2.3 and
 * OAuth 2.0 Security BCP: exact matching). URL parsing is never used for the comparison:
 * `new URL()` drops a lone trailing `?`, and Business Messages registers both
 * `https://business.google.com/callback` and `https://business.google.com/callback?`.
 */

export function redirectUriMatchesExactly(sent: string, registered: readonly string[]): boolean {
  return registered.includes(sent);
}

/**
 * The matching a careless provider does (misbehave switch `lenientRedirect`): a registered
 * URI as a plain string prefix of the sent one, or the same scheme/host/path with the
 * registered query parameters a subset of the sent ones.
 */
export function redirectUriMatchesLeniently(sent: string, registered: readonly string[]): boolean {
  return registered.some((uri) => sent.startsWith(uri) || querySubset(sent, uri));
}

function querySubset(sent: string, registered: string): boolean {
  const [sentBase, sentQuery = ''] = splitQuery(sent);
  const [regBase, regQuery = ''] = splitQuery(registered);
  if (sentBase !== regBase) return false;
  const have = new URLSearchParams(sentQuery);
  for (const [k, v] of new URLSearchParams(regQuery)) {
    if (!have.getAll(k).includes(v)) return false;
  }
  return true;
}

function splitQuery(uri: string): [string, string?] {
  const withoutFragment = uri.split('#', 1)[0]!;
  const i = withoutFragment.indexOf('?');
  return i === -1 ? [withoutFragment] : [withoutFragment.slice(0, i), withoutFragment.slice(i + 1)];
}

export interface RedirectMismatch {
  sent: string;
  registered: string[];
  /** The registered URI closest to what was sent, if any is close. */
  closest?: string;
  /** Human hints, e.g. `did you mean "…?" (note the trailing ?)`. */
  hints: string[];
}

/** Explains why `sent` is not registered, for the error page and the JSON error. */
export function explainRedirectMismatch(
  sent: string,
  registered: readonly string[],
): RedirectMismatch {
  const hints: string[] = [];
  const closest = closestRegistered(sent, registered);

  for (const suffix of ['?', '&']) {
    if (registered.includes(sent + suffix)) {
      hints.push(`did you mean "${sent}${suffix}" (note the trailing ${suffix})`);
    }
    if (sent.endsWith(suffix) && registered.includes(sent.slice(0, -1))) {
      hints.push(`did you mean "${sent.slice(0, -1)}" (no trailing ${suffix})`);
    }
  }
  if (sent.includes('#')) hints.push('a redirect_uri must not contain a fragment (#…)');
  const lower = registered.find((uri) => uri.toLowerCase() === sent.toLowerCase() && uri !== sent);
  if (lower) hints.push(`matching is case-sensitive: registered is "${lower}"`);
  if (sent.startsWith('http://') && registered.some((u) => u === `https://${sent.slice(7)}`)) {
    hints.push('the scheme must be https://');
  }
  const sentHost = hostOf(sent);
  if (sentHost) {
    const near = registered.map(hostOf).find((h) => h && h !== sentHost && sentHost.includes(h));
    if (near) hints.push(`host "${sentHost}" is not the registered host "${near}"`);
  }
  if (closest && hints.length === 0 && sent !== closest) {
    if (sent.startsWith(closest)) {
      hints.push(`extra characters after the registered "${closest}": matching is byte-exact`);
    } else {
      hints.push(`closest registered value is "${closest}": matching is byte-exact`);
    }
  }
  return { sent, registered: [...registered], ...(closest ? { closest } : {}), hints };
}

function closestRegistered(sent: string, registered: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = 0;
  for (const uri of registered) {
    let i = 0;
    const a = sent.toLowerCase();
    const b = uri.toLowerCase();
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    // Prefer the shorter of equally long prefixes (the bare URI over the `?`/`&` variant).
    if (i > bestScore || (i === bestScore && best !== undefined && uri.length < best.length)) {
      best = uri;
      bestScore = i;
    }
  }
  return bestScore >= 'https://'.length ? best : undefined;
}

function hostOf(uri: string): string | undefined {
  return /^[a-z][a-z0-9+.-]*:\/\/([^/?#:]+)/i.exec(uri)?.[1]?.toLowerCase();
}

/** One-line summary used in error_description. */
export function describeRedirectMismatch(m: RedirectMismatch): string {
  const hint = m.hints.length ? ` (${m.hints.join('; ')})` : '';
  return `redirect_uri "${m.sent}" is not registered for this client${hint}; registered: ${m.registered
    .map((u) => `"${u}"`)
    .join(', ')}`;
}

import { calculatePKCECodeChallenge, generateRandomCodeVerifier } from 'oauth4webapi';
import { BUSINESS_MESSAGES_REDIRECT_URIS } from '../../wire/redirect-uris.ts';
import { redactUrl } from '../../wire/redact.ts';
import { authorize } from './authorize.ts';
import type { ProbeContext } from './context.ts';
import type { CheckResult } from './types.ts';

/** Redirect URIs an attacker could register or craft near the real ones. None may be used. */
export const NEAR_MISS_REDIRECT_URIS = [
  'https://business.google.com/callback/',
  'https://business.google.com/callbackx',
  'https://business.google.com/callback?x=1',
  'https://business.google.com/callback#frag',
  'https://business.google.com/message?az-intent-type=1&x=1',
  'https://business.google.com/message?az-intent-type=2',
  'http://business.google.com/callback',
  'https://business.google.com.evil.example/callback',
] as const;

/** True when `location` is `uri` with response parameters appended (any separator). */
export function redirectsTo(location: string, uri: string): boolean {
  if (!location.startsWith(uri)) return false;
  const rest = location.slice(uri.length);
  return rest === '' || /^[?&#]/.test(rest) || /[?&]$/.test(uri);
}

/**
 * Sends each near miss as redirect_uri. An error page (or an HTTP error) is right; a redirect
 * to the near miss — even one carrying error=… — is not (RFC 6749 §4.1.2.1).
 */
export async function probeNearMiss(ctx: ProbeContext): Promise<CheckResult> {
  const base = {
    id: 'redirect-uri-near-miss' as const,
    title: 'Near-miss redirect URIs are never redirected to',
    spec: ['RFC6749 3.1.2.3', 'RFC6749 4.1.2.1', 'RFC9700 2.1'],
  };
  const evidence: string[] = [];
  const redirected: string[] = [];
  const substituted: string[] = [];
  for (const uri of NEAR_MISS_REDIRECT_URIS) {
    // A request that is right in every other way, so the redirect URI is the only thing wrong.
    const verifier = generateRandomCodeVerifier();
    const auth = await authorize(ctx, {
      redirectUri: uri,
      state: 'near-miss-probe',
      nonce: 'near-miss-probe',
      challenge: { value: await calculatePKCECodeChallenge(verifier), method: 'S256' },
    });
    evidence.push(...auth.evidence);
    if (auth.outcome.kind !== 'redirect') continue;
    const location = auth.outcome.location;
    const registered = BUSINESS_MESSAGES_REDIRECT_URIS.find(
      (r: string) => redirectsTo(location, r) && r.startsWith(uri) && r !== uri,
    );
    if (registered) substituted.push(`${uri} → ${registered}`);
    else if (redirectsTo(location, uri)) redirected.push(`${uri} (went to ${redactUrl(location)})`);
    else substituted.push(`${uri} → ${redactUrl(location)}`);
  }
  if (redirected.length) {
    return {
      ...base,
      status: 'fail',
      detail: `the provider redirected to ${redirected.length} unregistered redirect URI(s): ${redirected.join('; ')}. Compare redirect_uri byte-exact against the registered list and show an error page instead of redirecting.`,
      evidence,
    };
  }
  if (substituted.length) {
    return {
      ...base,
      status: 'warn',
      detail: `for some unregistered redirect URIs the provider redirected elsewhere instead of showing an error: ${substituted.join('; ')}`,
      evidence,
    };
  }
  return {
    ...base,
    status: 'pass',
    detail: `all ${NEAR_MISS_REDIRECT_URIS.length} near misses were refused without a redirect`,
    evidence,
  };
}

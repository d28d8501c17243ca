import type { AuthorizationServer } from 'oauth4webapi';
import { processDiscoveryResponse } from 'oauth4webapi';
import { ValidatorError } from './errors.ts';
import type { CheckResult } from './types.ts';

export interface DiscoveryOutcome {
  server: AuthorizationServer;
  checks: CheckResult[];
}

interface Attempt {
  kind: 'OIDC Discovery' | 'RFC 8414';
  url: string;
  evidence: string;
  response?: Response;
  json?: Record<string, unknown>;
  networkError?: string;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** OIDC Discovery 1.0 §4: issuer + /.well-known/openid-configuration. */
export function oidcDiscoveryUrl(issuer: string): string {
  const url = new URL(issuer);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/.well-known/openid-configuration`;
  return url.href;
}

/** RFC 8414 §3.1: the well-known segment goes between host and the issuer's path. */
export function rfc8414DiscoveryUrl(issuer: string): string {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname;
  url.pathname = `/.well-known/oauth-authorization-server${path}`;
  return url.href;
}

/**
 * Finds the provider's metadata (OIDC, then RFC 8414), following redirects as an HTTP client
 * would, and checks that the document names the issuer it was fetched for.
 */
export async function discover(issuer: string, fetchImpl: typeof fetch): Promise<DiscoveryOutcome> {
  const attempts: Attempt[] = [];
  for (const [kind, url] of [
    ['OIDC Discovery', oidcDiscoveryUrl(issuer)],
    ['RFC 8414', rfc8414DiscoveryUrl(issuer)],
  ] as const) {
    const attempt = await fetchMetadata(kind, url, fetchImpl);
    attempts.push(attempt);
    if (attempt.json) break;
  }
  const found = attempts.find((a) => a.json);
  const evidence = attempts.map((a) => a.evidence);
  if (!found?.json || !found.response) {
    if (attempts.every((a) => a.networkError)) {
      throw new ValidatorError(
        'issuer_unreachable',
        `cannot reach the issuer ${issuer}: ${attempts[0]?.networkError}`,
        'check --issuer (scheme, host, port) and that the provider is running and reachable from this machine',
      );
    }
    throw new ValidatorError(
      'discovery_not_found',
      `no authorization server metadata for ${issuer}:\n  ${evidence.join('\n  ')}`,
      'pass the exact issuer identifier; the validator needs OIDC Discovery or RFC 8414 metadata to find the authorization and token endpoints',
    );
  }
  const json = found.json;
  for (const key of ['authorization_endpoint', 'token_endpoint'] as const) {
    if (typeof json[key] !== 'string') {
      throw new ValidatorError(
        'discovery_not_found',
        `the metadata at ${found.url} has no ${key}`,
        'publish authorization_endpoint and token_endpoint in the discovery document (RFC 8414 §2)',
      );
    }
  }
  let server: AuthorizationServer;
  const problems: string[] = [];
  try {
    server = await processDiscoveryResponse(new URL(issuer), found.response);
  } catch (error) {
    // Keep going with the document as published so the partner still gets the other verdicts.
    server = json as unknown as AuthorizationServer;
    problems.push(error instanceof Error ? error.message : String(error));
  }
  if (json.issuer !== issuer) {
    problems.unshift(
      `"issuer" is ${JSON.stringify(json.issuer)} but the metadata was fetched for ${JSON.stringify(issuer)}; they must be identical`,
    );
  }
  // RFC 8414 §2 / OIDC Discovery §3: the issuer is an https URL. Plain http is tolerated on
  // loopback only, where local test providers (like this harness's mock) run.
  const { protocol, hostname } = new URL(issuer);
  if (protocol !== 'https:' && !LOOPBACK.test(hostname)) {
    problems.push(`the issuer must use https (got ${protocol}//${hostname})`);
  }
  const discoveryCheck: CheckResult = {
    id: 'discovery',
    title: 'Authorization server metadata (discovery)',
    status: problems.length ? 'fail' : 'pass',
    spec:
      found.kind === 'RFC 8414'
        ? ['RFC8414 3', 'RFC8414 3.3']
        : ['OIDC-Discovery 4', 'OIDC-Discovery 4.3'],
    detail: problems.length
      ? [...new Set(problems)].join('; ')
      : `${found.kind} metadata found at ${found.url}; issuer matches; authorization_endpoint ${json.authorization_endpoint}, token_endpoint ${json.token_endpoint}`,
    evidence,
  };
  return { server, checks: [discoveryCheck, pkceAdvertised(json)] };
}

function pkceAdvertised(json: Record<string, unknown>): CheckResult {
  const methods = json.code_challenge_methods_supported;
  const base = {
    id: 'discovery-pkce-s256' as const,
    title: 'Metadata advertises PKCE S256',
    spec: ['RFC8414 2', 'RFC7636 4.2'],
    evidence: [`code_challenge_methods_supported: ${JSON.stringify(methods ?? null)}`],
  };
  if (Array.isArray(methods) && methods.includes('S256')) {
    return { ...base, status: 'pass', detail: 'S256 is advertised' };
  }
  if (methods === undefined) {
    return {
      ...base,
      status: 'warn',
      detail:
        'code_challenge_methods_supported is missing, which by RFC 8414 §2 means "PKCE not supported"; Business Messages always sends an S256 challenge — advertise ["S256"]',
    };
  }
  return {
    ...base,
    status: 'fail',
    detail: `S256 is not among the advertised methods ${JSON.stringify(methods)}; Business Messages sends code_challenge_method=S256`,
  };
}

async function fetchMetadata(
  kind: Attempt['kind'],
  url: string,
  fetchImpl: typeof fetch,
): Promise<Attempt> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      headers: { accept: 'application/json' },
      redirect: 'follow',
    });
  } catch (error) {
    const reason =
      error instanceof Error
        ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}`
        : String(error);
    return { kind, url, networkError: reason, evidence: `GET ${url} → network error: ${reason}` };
  }
  const via = response.redirected ? ` (redirected to ${response.url})` : '';
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      json = parsed as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  const ok = response.status === 200 && json !== undefined;
  const evidence = `GET ${url}${via} → ${response.status}${ok ? ` issuer=${JSON.stringify(json?.issuer)}` : ''}`;
  // processDiscoveryResponse reads the body again, so hand it a fresh copy.
  const replay = new Response(text, { status: response.status, headers: response.headers });
  return ok ? { kind, url, evidence, json, response: replay } : { kind, url, evidence };
}

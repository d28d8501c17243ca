import { redactUrl } from '../../wire/redact.ts';
import { targetsBusinessGoogle } from '../../wire/redirect-uris.ts';
import { type ParsedCallback, parseCallback } from './callback.ts';
import type { ProbeContext } from './context.ts';
import type { LoginOutcome } from './drivers/driver.ts';

export interface AuthorizeParams {
  redirectUri: string;
  state: string;
  nonce?: string;
  /** Omit to send no PKCE challenge at all. */
  challenge?: { value: string; method?: 'S256' | 'plain' };
  consent?: 'allow' | 'deny';
}

export interface Authorization {
  params: AuthorizeParams;
  url: string;
  outcome: LoginOutcome;
  /** Parsed stopping redirect (when there was one). */
  callback?: ParsedCallback;
  evidence: string[];
}

/**
 * Google's side, including the look-alike hosts the near-miss probe uses
 * (business.google.com.<something>): the walk stops there and never leaves the machine.
 */
export function isGoogleSide(url: string): boolean {
  return targetsBusinessGoogle(url) || /^https?:\/\/business\.google\.com[.:]/i.test(url);
}

/** The request Google's surface makes when the user taps the sign-in suggestion (SPEC §2.4). */
export function buildAuthorizeUrl(ctx: ProbeContext, p: AuthorizeParams): string {
  const url = new URL(ctx.server.authorization_endpoint ?? '');
  const q = url.searchParams;
  q.set('response_type', 'code');
  q.set('client_id', ctx.clientId);
  q.set('redirect_uri', p.redirectUri);
  q.set('scope', ctx.scope);
  q.set('state', p.state);
  if (p.nonce) q.set('nonce', p.nonce);
  if (p.challenge) {
    q.set('code_challenge', p.challenge.value);
    if (p.challenge.method) q.set('code_challenge_method', p.challenge.method);
  }
  return url.href;
}

export async function authorize(ctx: ProbeContext, p: AuthorizeParams): Promise<Authorization> {
  const url = buildAuthorizeUrl(ctx, p);
  const outcome = await ctx.driver.authorize({
    url,
    consent: p.consent ?? 'allow',
    stopAt: isGoogleSide,
  });
  const evidence = [`→ authorize ${redactUrl(url)} (consent: ${p.consent ?? 'allow'})`];
  if (outcome.kind === 'redirect') {
    evidence.push(`← redirect to ${redactUrl(outcome.location)} [${outcome.capture}]`);
    return { params: p, url, outcome, callback: parseCallback(outcome.location), evidence };
  }
  evidence.push(
    `← no redirect: ${outcome.code}${outcome.status ? ` (HTTP ${outcome.status})` : ''}: ${outcome.message.slice(0, 300)}`,
  );
  return { params: p, url, outcome, evidence };
}

/** The redirect carried a code (and no error). */
export function codeOf(auth: Authorization): string | undefined {
  if (!auth.callback || auth.callback.params.has('error')) return undefined;
  return auth.callback.params.get('code') ?? undefined;
}

/** "error=…: description" of an error redirect, or the reason there was no redirect. */
export function describeAuthorization(auth: Authorization): string {
  if (auth.outcome.kind === 'stopped') {
    return `no redirect (${auth.outcome.code}${auth.outcome.status ? `, HTTP ${auth.outcome.status}` : ''}${auth.outcome.pageText ? `: "${auth.outcome.pageText.slice(0, 160)}"` : ''})`;
  }
  const params = auth.callback?.params;
  if (params?.has('error')) {
    return `redirected with error=${params.get('error')}${params.has('error_description') ? ` (${params.get('error_description')})` : ''}`;
  }
  return params?.has('code')
    ? 'redirected with a code'
    : `redirected to ${redactUrl(auth.outcome.location)}`;
}

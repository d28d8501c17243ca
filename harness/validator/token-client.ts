import { redact } from '../../wire/redact.ts';
import { clientAuthMethod, type ProbeContext } from './context.ts';

/** A token endpoint answer as it came over the wire, for verdicts and evidence. */
export interface TokenReply {
  status: number;
  contentType: string;
  cacheControl: string | null;
  pragma: string | null;
  text: string;
  json: Record<string, unknown> | undefined;
  /** Redacted "→ request" and "← response" lines. */
  evidence: string[];
}

/**
 * Posts a token request exactly as given — including deliberately wrong ones (missing
 * verifier, another redirect_uri) that a conforming client library would refuse to send.
 * Undefined fields are left out.
 */
export async function postToken(
  ctx: ProbeContext,
  fields: Record<string, string | undefined>,
): Promise<TokenReply> {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) body.set(key, value);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  const method = clientAuthMethod(ctx);
  if (method === 'client_secret_basic') {
    // RFC 6749 §2.3.1: form-urlencode id and secret before base64.
    const pair = `${formEncode(ctx.clientId)}:${formEncode(ctx.clientSecret ?? '')}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else {
    body.set('client_id', ctx.clientId);
    if (method === 'client_secret_post') body.set('client_secret', ctx.clientSecret ?? '');
  }
  const url = ctx.server.token_endpoint ?? '';
  const sent = `→ POST ${url} (${method}) ${JSON.stringify(redact(Object.fromEntries(body)))}`;
  const response = await ctx.fetch(url, { method: 'POST', headers, body, redirect: 'manual' });
  return readTokenReply(response, [sent]);
}

export async function readTokenReply(response: Response, evidence: string[]): Promise<TokenReply> {
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      json = parsed as Record<string, unknown>;
    }
  } catch {
    json = undefined;
  }
  const contentType = response.headers.get('content-type') ?? '';
  const shown = json ? JSON.stringify(redact(json)) : JSON.stringify(text.slice(0, 200));
  return {
    status: response.status,
    contentType,
    cacheControl: response.headers.get('cache-control'),
    pragma: response.headers.get('pragma'),
    text,
    json,
    evidence: [
      ...evidence,
      `← ${response.status} content-type: ${contentType || '(none)'}; cache-control: ${response.headers.get('cache-control') ?? '(none)'} ${shown.slice(0, 400)}`,
    ],
  };
}

/** True when the provider handed out an access token (the request was not refused). */
export function issuedToken(reply: TokenReply): boolean {
  return reply.status === 200 && typeof reply.json?.access_token === 'string';
}

/** The `error` member of an error reply, when it has one. */
export function errorCode(reply: TokenReply): string | undefined {
  const value = reply.json?.error;
  return typeof value === 'string' ? value : undefined;
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

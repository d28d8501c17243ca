import type { Request, Response } from 'express';
import type { KoaContextLike } from 'oidc-provider';
import { escapeHtml, renderPage } from './interactions/layout.ts';
import { describeRedirectMismatch, explainRedirectMismatch } from './redirect-match.ts';

/** An OAuth error body (RFC 6749 §5.2), optionally with extra explanation members. */
export interface OAuthErrorBody {
  error: string;
  error_description?: string;
  [extra: string]: unknown;
}

/** Sends an OAuth-style JSON error from the express layer. */
export function sendOAuthError(
  res: Response,
  status: number,
  error: string,
  description: string,
  extra: Record<string, unknown> = {},
): void {
  res.status(status);
  res.set('Cache-Control', 'no-store');
  res.set('Pragma', 'no-cache');
  res.json({ error, error_description: description, ...extra } satisfies OAuthErrorBody);
}

/**
 * An OAuth error for the pages people use (login, consent): the HTML error page when the
 * client prefers HTML (a browser), the OAuth JSON otherwise.
 */
export function sendPageError(
  req: Request,
  res: Response,
  status: number,
  error: string,
  description: string,
): void {
  if (req.accepts(['json', 'html']) !== 'html') {
    sendOAuthError(res, status, error, description);
    return;
  }
  res.status(status).set('Cache-Control', 'no-store').type('html');
  res.send(renderErrorPage({ error, error_description: description }));
}

export function renderErrorPage(body: OAuthErrorBody): string {
  const registered = Array.isArray(body.registered_redirect_uris)
    ? `<p>Registered redirect URIs (matching is byte-exact):</p><ul>${(
        body.registered_redirect_uris as string[]
      )
        .map((u) => `<li><code>${escapeHtml(u)}</code></li>`)
        .join('')}</ul>`
    : '';
  const sent =
    typeof body.redirect_uri_sent === 'string'
      ? `<p>Sent: <code>${escapeHtml(body.redirect_uri_sent)}</code></p>`
      : '';
  const hints = Array.isArray(body.hints)
    ? `<ul>${(body.hints as string[]).map((h) => `<li>${escapeHtml(h)}</li>`).join('')}</ul>`
    : '';
  return renderPage(
    'Sign-in error',
    `<h1>Sign-in error</h1>
<p class="error" role="alert"><strong>${escapeHtml(body.error)}</strong>${
      body.error_description ? `: ${escapeHtml(body.error_description)}` : ''
    }</p>
${sent}${hints}${registered}`,
  );
}

/**
 * oidc-provider's `renderError` hook: used where the provider cannot (or must not) redirect
 * back to the client, e.g. an unregistered redirect_uri. JSON for API clients, HTML for
 * browsers; a redirect_uri mismatch names what was sent and what is registered.
 */
export function makeRenderError(onError?: (body: OAuthErrorBody) => void) {
  return async (ctx: KoaContextLike, out: OAuthErrorBody, _err: unknown): Promise<void> => {
    let body: OAuthErrorBody = { ...out };
    const sent = ctx.oidc?.params?.redirect_uri;
    const client = ctx.oidc?.client;
    if (out.error === 'invalid_redirect_uri' && typeof sent === 'string' && client) {
      const mismatch = explainRedirectMismatch(sent, client.redirectUris);
      body = {
        ...body,
        error_description: describeRedirectMismatch(mismatch),
        redirect_uri_sent: mismatch.sent,
        registered_redirect_uris: mismatch.registered,
        hints: mismatch.hints,
      };
    }
    onError?.(body);
    ctx.set('Cache-Control', 'no-store');
    if (ctx.accepts('json', 'html') === 'html' && !wantsJson(ctx)) {
      ctx.type = 'html';
      ctx.body = renderErrorPage(body);
    } else {
      ctx.type = 'json';
      ctx.body = body;
    }
  };
}

function wantsJson(ctx: KoaContextLike): boolean {
  const accept = String(ctx.headers.accept ?? '');
  return accept.includes('application/json') && !accept.includes('text/html');
}

import { isJson, jsonOf, type RawRequest, type RawResponse } from './raw-request.ts';

export type Service = 'provider' | 'emulator' | 'agent';

/** Provider pages a browser lands on: errors there may be an HTML page instead of JSON. */
const BROWSER_PATHS = /^\/(authorize|auth|interaction|session)(\/|$|\?)/;
/** Emulated Google OAuth token endpoints answer in OAuth's error format, as Google's do. */
const EMULATOR_OAUTH_PATHS = /^\/(token|oauth2\/v4\/token)(\?|$)/;

function oauthJsonError(res: RawResponse): string | undefined {
  const body = jsonOf(res) as { error?: unknown; error_description?: unknown } | undefined;
  if (!isJson(res) || typeof body?.error !== 'string') {
    return 'expected an OAuth error JSON body {"error": "...", ...}';
  }
  if (body.error_description !== undefined && typeof body.error_description !== 'string') {
    return 'error_description must be a string';
  }
  return undefined;
}

function googleJsonError(res: RawResponse): string | undefined {
  const body = jsonOf(res) as
    | { error?: { code?: unknown; message?: unknown; status?: unknown } }
    | undefined;
  const e = body?.error;
  if (!isJson(res) || !e || typeof e !== 'object') {
    return 'expected Google error JSON {"error": {"code", "message", "status"}}';
  }
  if (e.code !== res.status) return `error.code ${String(e.code)} differs from HTTP ${res.status}`;
  if (
    typeof e.message !== 'string' ||
    typeof e.status !== 'string' ||
    !/^[A-Z_]+$/.test(e.status)
  ) {
    return 'error.message and error.status (an UPPER_CASE code) are required';
  }
  return undefined;
}

/**
 * What is wrong with `res` as an answer of `service` to a hostile request, or undefined:
 * never 5xx, and every error in the service's own format (SPEC §5).
 */
export function problemWith(
  service: Service,
  req: RawRequest,
  res: RawResponse,
): string | undefined {
  if (res.status >= 500) return `HTTP ${res.status}`;
  if (res.status < 400 || req.method === 'HEAD') return undefined;
  const pathOnly = req.path.split('?')[0] ?? '';
  switch (service) {
    case 'emulator':
      // Only POST reaches the token handler; other methods there are a Google-style 404.
      return req.method === 'POST' && EMULATOR_OAUTH_PATHS.test(pathOnly)
        ? oauthJsonError(res)
        : googleJsonError(res);
    case 'provider': {
      const html = /^text\/html\b/i.test(String(res.headers['content-type'] ?? ''));
      if (html) {
        const wantsHtml = /html/.test(req.headers.accept ?? '');
        return wantsHtml || BROWSER_PATHS.test(pathOnly)
          ? undefined
          : 'HTML error page for a client that did not ask for HTML';
      }
      return oauthJsonError(res);
    }
    case 'agent': {
      const body = jsonOf(res) as { error?: unknown } | undefined;
      return isJson(res) && typeof body?.error === 'string'
        ? undefined
        : 'expected a JSON error body {"error": "..."}';
    }
  }
}

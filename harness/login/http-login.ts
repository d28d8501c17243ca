import { redactUrl } from '../../wire/redact.ts';
import { createCookieFetch } from './cookie-fetch.ts';
import { HttpLoginError, type HttpLoginErrorCode } from './errors.ts';
import { type AnalysedPage, analysePage, type PageRequest } from './form-finder.ts';
import type { HttpLoginStep } from './steps.ts';

export { HttpLoginError, type HttpLoginErrorCode } from './errors.ts';
export type { HttpLoginStep } from './steps.ts';

export interface HttpLoginOptions {
  authorizeUrl: string;
  username: string;
  password: string;
  consent: 'allow' | 'deny';
  /** True for a navigation the walker must stop at without following (e.g. targetsBusinessGoogle). */
  stopAt: (url: string) => boolean;
  /** Most requests in one walk (default 25). */
  maxSteps?: number;
  /** Whole walk deadline in milliseconds (default 30000). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface HttpLoginResult {
  /** The stopping navigation exactly as the provider wrote it (raw Location header value). */
  location: string;
  steps: HttpLoginStep[];
  /** How the provider sent the user to the stop target: a 30x redirect (the norm), a meta
   * refresh or a plain link. For the last two `location` is the attribute value as written. */
  via: 'redirect' | 'meta-refresh' | 'link';
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = 'bm-oauth-harness/0.1 (virtual device; HTTP login walker)';

/**
 * Walks a provider's sign-in as a person with a browser would, over plain HTTP: follows
 * redirects by hand, fills the login form (keeping hidden inputs such as CSRF tokens),
 * answers consent, and stops at the first navigation `stopAt` accepts — returning its
 * Location header byte-exact, because the Business Messages redirect URIs differ only in a
 * trailing `?` or `&` that URL parsing would normalise away (SPEC §2).
 */
export async function httpLogin(options: HttpLoginOptions): Promise<HttpLoginResult> {
  const maxSteps = options.maxSteps ?? 25;
  const signal = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  const { fetch: send } = createCookieFetch(options.fetch);
  const steps: HttpLoginStep[] = [];
  const fail = (
    code: HttpLoginErrorCode,
    message: string,
    extra: Partial<AnalysedPage> & { status?: number; url?: string } = {},
    cause?: unknown,
  ): never => {
    throw new HttpLoginError(
      code,
      message,
      steps,
      { status: extra.status, url: extra.url, pageText: extra.text },
      { cause },
    );
  };
  let request: PageRequest = {
    method: 'GET',
    url: options.authorizeUrl,
    rawUrl: options.authorizeUrl,
    fieldNames: [],
    dom: { fill: [] },
  };
  let note = 'authorize request';
  const submitted = { login: 0, identifier: 0 };

  for (;;) {
    if (steps.length >= maxSteps) {
      fail(
        'too_many_steps',
        `gave up after ${maxSteps} requests without reaching the redirect URI (redirect loop or endless interstitials?)`,
      );
    }
    if (!/^https?:/i.test(request.url)) {
      // e.g. <form action="javascript:…">: the page only works with scripts running.
      fail(
        'login_form_not_found',
        `the ${note} leads to ${JSON.stringify(redactUrl(request.url).slice(0, 80))}, not an http(s) URL: this sign-in needs JavaScript, which the HTTP login walker does not run`,
      );
    }
    const started = performance.now();
    let response: Response;
    try {
      response = await send(request.url, {
        method: request.method,
        body: request.body,
        signal,
        headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'user-agent': USER_AGENT },
      });
    } catch (error) {
      if (signal.aborted)
        fail(
          'timeout',
          `login did not finish within ${options.timeoutMs ?? 30_000} ms`,
          { url: redactUrl(request.url) },
          error,
        );
      fail(
        'network_error',
        `${request.method} ${redactUrl(request.url)} failed: ${describe(error)}`,
        { url: redactUrl(request.url) },
        error,
      );
      throw error; // unreachable: fail() never returns
    }
    const step: HttpLoginStep = {
      method: request.method,
      url: redactUrl(request.url),
      status: response.status,
      ms: Math.round(performance.now() - started),
      note,
    };
    steps.push(step);
    const where = { status: response.status, url: step.url };

    if (REDIRECT_STATUSES.has(response.status)) {
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (location === null)
        fail(
          'http_error',
          `${response.status} redirect without a Location header from ${step.url}`,
          where,
        );
      const raw = location as string;
      const absolute = resolve(raw, request.url);
      if (options.stopAt(raw) || (absolute !== undefined && options.stopAt(absolute))) {
        step.note = `${note}; stopped at redirect to ${redactUrl(raw)}`;
        return { location: raw, steps, via: 'redirect' };
      }
      if (absolute === undefined)
        fail('http_error', `unparseable Location header ${JSON.stringify(redactUrl(raw))}`, where);
      // 307/308 repeat the request as it was; the others turn into a GET (Fetch standard).
      const keep = response.status === 307 || response.status === 308;
      request = keep
        ? { ...request, url: absolute as string }
        : {
            method: 'GET',
            url: absolute as string,
            rawUrl: raw,
            fieldNames: [],
            dom: { fill: [] },
          };
      note = `redirect ${response.status}`;
      continue;
    }

    let html: string;
    try {
      html = await response.text();
    } catch (error) {
      fail(
        signal.aborted ? 'timeout' : 'network_error',
        `reading ${step.url} failed: ${describe(error)}`,
        where,
        error,
      );
      throw error;
    }
    const isHtml =
      /html|xml/i.test(response.headers.get('content-type') ?? '') ||
      /<(form|html|meta)\b/i.test(html);
    const page = isHtml
      ? analysePage(html, request.url, options)
      : { action: { kind: 'none' as const }, text: html.slice(0, 300).replace(/\s+/g, ' ') };
    const action = page.action;
    const evidence = { ...where, text: page.text };

    if (action.kind === 'login' || action.kind === 'identifier') {
      if (submitted[action.kind] > 0) {
        fail(
          'login_rejected',
          `the ${action.kind === 'login' ? 'login' : 'username'} form came back after the credentials were submitted: wrong username/password, or the provider refused the sign-in (${page.text.slice(0, 120)})`,
          evidence,
        );
      }
      submitted[action.kind]++;
      request = action.request;
      note = `${action.kind === 'login' ? 'login' : 'username'} form (fields: ${action.request.fieldNames.join(', ')})`;
      continue;
    }
    if (response.status >= 400) {
      fail(
        'http_error',
        `${step.method} ${step.url} answered ${response.status}: ${page.text.slice(0, 200)}`,
        evidence,
      );
    }
    switch (action.kind) {
      case 'consent': {
        if (isStop(options, action.request)) {
          if (action.request.method === 'GET' && action.request.fieldNames.length === 0) {
            return { location: action.request.rawUrl, steps, via: 'link' };
          }
          fail(
            'form_post_response',
            `the consent form submits straight to ${redactUrl(action.request.url)} instead of redirecting there`,
            evidence,
          );
        }
        request = action.request;
        note = `consent: ${action.choice} ("${action.control}")`;
        continue;
      }
      case 'consent-choice-missing':
        fail(
          'consent_choice_not_found',
          `consent page has no ${action.wanted} control (found: ${action.available.join(' | ')})`,
          evidence,
        );
        break;
      case 'auto-post':
        if (isStop(options, action.request)) {
          fail(
            'form_post_response',
            `the provider answered with an auto-post form to ${redactUrl(action.request.url)} (response_mode=form_post?) instead of a redirect`,
            evidence,
          );
        }
        request = action.request;
        note = 'auto-post form';
        continue;
      case 'meta-refresh':
        if (isStop(options, action.request)) {
          return { location: action.request.rawUrl, steps, via: 'meta-refresh' };
        }
        request = action.request;
        note = 'meta refresh';
        continue;
      case 'none':
        fail(
          'login_form_not_found',
          `no login, consent or auto-post form on ${step.url} (status ${response.status}): ${page.text.slice(0, 200)}`,
          evidence,
        );
    }
  }
}

function isStop(options: HttpLoginOptions, request: PageRequest): boolean {
  return options.stopAt(request.rawUrl) || options.stopAt(request.url);
}

function resolve(url: string, base: string): string | undefined {
  try {
    return new URL(url, base).href;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

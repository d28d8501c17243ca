import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page, Request, Route } from 'playwright-core';
import { redactUrl } from '../../../wire/redact.ts';
import { analysePage } from '../../login/form-finder.ts';
import { ValidatorError } from '../errors.ts';
import type { LoginDriver, LoginOutcome, LoginRequest } from './driver.ts';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Quiet, offline-friendly headless Chromium (no sandbox: CI containers run as root). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Playwright does not route redirect hops, so a 302 to Google would bypass the route
  // handler: make those hosts unresolvable so nothing can leave the machine.
  '--host-resolver-rules=MAP business.google.com ~NOTFOUND, MAP business.google.com.* ~NOTFOUND',
];

export interface BrowserDriverOptions {
  username: string;
  password: string;
  executablePath?: string;
  maxSteps?: number;
  /** Per page wait, milliseconds (default 10000). */
  timeoutMs?: number;
}

export const INSTALL_HINT =
  'run scripts/install-chromium.sh as root (it runs apt-get install -y chromium), or pass another Chromium with --chromium PATH';

/**
 * `--login browser`: a real headless Chromium for providers whose login needs JavaScript. It
 * reads each rendered page with the HTTP walker's heuristics, types and clicks like a person,
 * and aborts every request to business.google.com (route interception) so nothing leaves the
 * machine — recording the raw Location of the redirect when the browser still has it.
 */
export async function createBrowserDriver(options: BrowserDriverOptions): Promise<LoginDriver> {
  const executablePath = options.executablePath ?? DEFAULT_CHROMIUM;
  if (!existsSync(executablePath)) {
    throw new ValidatorError(
      'browser_unavailable',
      `no Chromium at ${executablePath}`,
      INSTALL_HINT,
    );
  }
  let browser: Browser;
  try {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ValidatorError(
      'browser_unavailable',
      `cannot start Chromium (${executablePath}): ${reason}`,
      `${INSTALL_HINT}; playwright-core must be installed`,
      { cause: error },
    );
  }
  return {
    name: 'browser',
    async authorize(request) {
      const context = await browser.newContext();
      try {
        return await walk(context, request, options);
      } finally {
        await context.close();
      }
    },
    close: () => browser.close(),
  };
}

interface Capture {
  url: string;
  /** The Location header that led there, when the hop was a redirect. */
  raw: Promise<string | null>;
}

async function rawLocation(request: Request): Promise<string | null> {
  const previous = request.redirectedFrom();
  if (!previous) return null;
  const response = await previous.response().catch(() => null);
  return response ? ((await response.allHeaders())['location'] ?? null) : null;
}

async function walk(
  context: BrowserContext,
  request: LoginRequest,
  options: BrowserDriverOptions,
): Promise<LoginOutcome> {
  const timeout = options.timeoutMs ?? 10_000;
  let captured: Capture | undefined;
  // Redirect hops fire 'request' but never reach route(): capture here, block in route/DNS.
  context.on('request', (req) => {
    if (request.stopAt(req.url())) captured ??= { url: req.url(), raw: rawLocation(req) };
  });
  await context.route('**/*', async (route: Route) => {
    const req = route.request();
    if (!request.stopAt(req.url())) return route.continue();
    captured ??= { url: req.url(), raw: rawLocation(req) };
    await route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  let navigations = 0;
  let lastStatus: number | undefined;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations++;
  });
  page.on('response', (response) => {
    if (response.request().isNavigationRequest() && response.frame() === page.mainFrame())
      lastStatus = response.status();
  });
  const steps: string[] = [];
  const submitted = { login: 0, identifier: 0 };
  let consentShown = false;
  await page.goto(request.url, { timeout }).catch(() => undefined);
  const stopped = (code: string, message: string, pageText?: string): LoginOutcome => ({
    kind: 'stopped',
    code,
    message,
    status: lastStatus,
    pageText,
    consentShown,
    steps,
  });
  for (let step = 0; step < (options.maxSteps ?? 25); step++) {
    if (captured) return done(captured, consentShown, steps);
    await page.waitForLoadState('load', { timeout }).catch(() => undefined);
    if (captured) return done(captured, consentShown, steps);
    const input = { ...options, consent: request.consent };
    let { action, text } = analysePage(await page.content(), page.url(), input);
    if (action.kind === 'none' && (lastStatus ?? 200) < 400) {
      // Pages that fetch their form after load: give them until the network is quiet.
      await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => undefined);
      if (captured) return done(captured, consentShown, steps);
      ({ action, text } = analysePage(await page.content(), page.url(), input));
    }
    steps.push(`${redactUrl(page.url())} (HTTP ${lastStatus ?? '?'}) → ${action.kind}`);
    const before = navigations;
    switch (action.kind) {
      case 'login':
      case 'identifier': {
        if (submitted[action.kind]++ > 0)
          return stopped(
            'login_rejected',
            `the ${action.kind === 'login' ? 'login' : 'username'} form came back after submitting the credentials`,
            text,
          );
        await act(page, action.request.dom, timeout);
        break;
      }
      case 'consent':
        consentShown = true;
        await act(page, action.request.dom, timeout);
        break;
      case 'consent-choice-missing':
        return stopped(
          'consent_choice_not_found',
          `consent page has no ${action.wanted} control (found: ${action.available.join(' | ')})`,
          text,
        );
      case 'auto-post':
      case 'meta-refresh':
        // The page navigates by itself (script or refresh); nudge a script-less form after a while.
        if (
          !(await progressed(page, () => navigations > before || captured !== undefined, 3000)) &&
          action.kind === 'auto-post'
        ) {
          await act(page, action.request.dom, timeout);
        }
        break;
      case 'none':
        if ((lastStatus ?? 200) >= 400)
          return stopped(
            'http_error',
            `${redactUrl(page.url())} answered ${lastStatus}: ${text.slice(0, 200)}`,
            text,
          );
        return stopped(
          'login_form_not_found',
          `no login, consent or auto-post form on ${redactUrl(page.url())}: ${text.slice(0, 200)}`,
          text,
        );
    }
    await progressed(page, () => navigations > before || captured !== undefined, timeout);
  }
  return captured
    ? done(captured, consentShown, steps)
    : stopped('too_many_steps', `gave up after ${options.maxSteps ?? 25} pages`);
}

async function done(
  captured: Capture,
  consentShown: boolean,
  steps: string[],
): Promise<LoginOutcome> {
  const raw = await captured.raw;
  return {
    kind: 'redirect',
    location: raw ?? captured.url,
    capture:
      raw !== null
        ? 'raw Location header (browser)'
        : 'URL as requested by the browser (normalised by Chromium; not byte-exact)',
    consentShown,
    steps,
  };
}

async function act(
  page: Page,
  dom: { fill: Array<{ selector: string; value: string }>; click?: string; form?: string },
  timeout: number,
): Promise<void> {
  for (const field of dom.fill) await page.fill(field.selector, field.value, { timeout });
  if (dom.click) {
    await page.click(dom.click, { timeout, noWaitAfter: true }).catch(() => undefined);
  } else if (dom.form) {
    await page
      .$eval(dom.form, (form) => (form as HTMLFormElement).requestSubmit())
      .catch(() => undefined);
  }
}

async function progressed(page: Page, check: () => boolean, timeout: number): Promise<boolean> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (check()) {
      await page.waitForLoadState('load', { timeout }).catch(() => undefined);
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

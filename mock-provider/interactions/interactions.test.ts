import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockProvider, type MockProvider } from '../index.ts';
import { authorizeRequest, browse, newBrowser } from '../test-support/flow.ts';

let provider: MockProvider;
beforeAll(async () => {
  provider = await createMockProvider({ port: 0, quiet: true });
});
afterAll(() => provider.close());

/** Opens the authorize URL in a fresh browser and returns the login page. */
async function openLogin() {
  const browser = newBrowser();
  const req = await authorizeRequest(provider);
  const first = await browser.fetch(req.url, { redirect: 'manual' });
  const pageUrl = new URL(first.headers.get('location')!, provider.url).href;
  const page = await browser.fetch(pageUrl, { headers: { accept: 'text/html' } });
  return { browser, req, pageUrl, status: page.status, html: await page.text() };
}

function post(browser: ReturnType<typeof newBrowser>, url: string, fields: Record<string, string>) {
  return browser.fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams(fields).toString(),
  });
}

function expectAccessiblePage(html: string) {
  const $ = cheerio.load(html);
  expect($('html').attr('lang')).toBe('en');
  expect($('h1')).toHaveLength(1);
  expect($('title').text()).not.toBe('');
  for (const input of $('input:not([type=hidden])').toArray()) {
    const id = $(input).attr('id');
    expect(id, 'visible inputs have ids').toBeTruthy();
    expect($(`label[for="${id}"]`)).toHaveLength(1);
  }
  expect($('script, link, img, iframe')).toHaveLength(0);
  expect(html).not.toMatch(/(src|href)="https?:/);
  expect($('style').text()).toContain(':focus-visible');
}

describe('login page', () => {
  it('is an accessible form with username, password and a hidden csrf token', async () => {
    const { html, status } = await openLogin();
    expect(status).toBe(200);
    expectAccessiblePage(html);
    const $ = cheerio.load(html);
    const form = $('form[method=post]');
    expect(form.attr('action')).toMatch(/^\/interaction\/[\w-]+\/login$/);
    expect(form.find('input[name=username]')).toHaveLength(1);
    expect(form.find('input[name=password][type=password]')).toHaveLength(1);
    expect(form.find('input[type=hidden][name=csrf]').attr('value')).toMatch(/^[\w-]{20,}$/);
  });

  it('re-renders with 401 and an error on a wrong password, then accepts the right one', async () => {
    const { browser, html } = await openLogin();
    const $ = cheerio.load(html);
    const action = new URL($('form').attr('action')!, provider.url).href;
    const csrf = $('input[name=csrf]').attr('value')!;
    const wrong = await post(browser, action, { csrf, username: 'alice', password: 'nope' });
    expect(wrong.status).toBe(401);
    const again = cheerio.load(await wrong.text());
    expect(again('[role=alert]').text()).toBe('Wrong username or password.');
    expect(again('input[name=username]').attr('value')).toBe('alice');
    const unknown = await post(browser, action, { csrf, username: 'mallory', password: 'x' });
    expect(unknown.status).toBe(401);
    const right = await post(browser, action, {
      csrf,
      username: 'alice',
      password: 'alice-password',
    });
    expect(right.status).toBe(303);
    const types = provider.events.list().map((e) => e.type);
    expect(types).toContain('login.failed');
    expect(types).toContain('login.success');
  });

  it('refuses a missing or wrong CSRF token with 403', async () => {
    const { browser, html } = await openLogin();
    const action = new URL(cheerio.load(html)('form').attr('action')!, provider.url).href;
    const missing = await post(browser, action, { username: 'alice', password: 'alice-password' });
    expect(missing.status).toBe(403);
    const forged = await post(browser, action, {
      csrf: 'x'.repeat(43),
      username: 'alice',
      password: 'alice-password',
    });
    expect(forged.status).toBe(403);
    // A person in a browser gets a page saying what to do, not raw JSON.
    expect(forged.headers.get('content-type')).toMatch(/^text\/html/);
    const $ = cheerio.load(await forged.text());
    expect($('h1').text()).toBe('Sign-in error');
    expect($('[role=alert]').text()).toContain('CSRF');
    // An API client still gets the OAuth error JSON.
    const api = await browser.fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: 'username=alice',
    });
    expect(api.status).toBe(403);
    expect(await api.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('answers an unknown or cookie-less interaction with a 4xx error, not a crash', async () => {
    const res = await fetch(`${provider.url}/interaction/does-not-exist`, {
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(((await res.json()) as { error: string }).error).toBeTypeOf('string');
    const html = await fetch(`${provider.url}/interaction/does-not-exist/login`, {
      method: 'POST',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=alice',
    });
    expect(html.status).toBeLessThan(500);
    expect(await html.text()).toContain('<h1>');
  });
});

describe('consent page', () => {
  it('shows the client and scopes with Allow and Deny, and is accessible', async () => {
    const req = await authorizeRequest(provider, { scope: 'openid profile email' });
    const { pages } = await browse(req.url, { consent: 'allow' });
    const consent = pages.find((p) => p.html.includes('name="decision"'))!;
    expectAccessiblePage(consent.html);
    const $ = cheerio.load(consent.html);
    expect($('main').text()).toContain('Business Messages test agent (confidential)');
    expect(
      $('li strong')
        .toArray()
        .map((el) => $(el).text()),
    ).toEqual(['openid', 'profile', 'email']);
    expect(
      $('button[name=decision]')
        .toArray()
        .map((el) => [$(el).attr('value'), $(el).text()]),
    ).toEqual([
      ['allow', 'Allow'],
      ['deny', 'Deny'],
    ]);
  });

  it('Deny returns error=access_denied with the state to the redirect URI', async () => {
    const redirectUri = 'https://business.google.com/message?az-intent-type=1&';
    const req = await authorizeRequest(provider, { redirectUri, state: 'keep-me' });
    const { location } = await browse(req.url, { consent: 'deny' });
    expect(location.startsWith(`${redirectUri}error=access_denied&`)).toBe(true);
    const url = new URL(location);
    expect(url.searchParams.get('state')).toBe('keep-me');
    expect(url.searchParams.get('az-intent-type')).toBe('1');
    expect(url.searchParams.get('code')).toBeNull();
    expect(provider.events.list({ type: 'consent.denied' }).at(-1)?.detail).toEqual({ by: 'user' });
  });

  it('a second answer (double submit, Back then Deny) does not change the first one', async () => {
    const browser = newBrowser();
    const req = await authorizeRequest(provider, { state: 'first-answer' });
    // Walk to the consent page by hand so the same form can be submitted twice.
    let url = req.url;
    let res = await browser.fetch(url, { redirect: 'manual' });
    url = new URL(res.headers.get('location')!, url).href;
    let $ = cheerio.load(await (await browser.fetch(url)).text());
    res = await post(browser, new URL($('form').attr('action')!, url).href, {
      csrf: String($('input[name=csrf]').val()),
      username: 'alice',
      password: 'alice-password',
    });
    for (let i = 0; i < 2; i++) {
      url = new URL(res.headers.get('location')!, url).href;
      res = await browser.fetch(url, { redirect: 'manual' });
    }
    expect(res.status).toBe(200);
    $ = cheerio.load(await res.text());
    const action = new URL($('form').attr('action')!, url).href;
    const csrf = String($('input[name=csrf]').val());
    const allowed = await post(browser, action, { csrf, decision: 'allow' });
    expect(allowed.status).toBe(303);
    const resume = allowed.headers.get('location')!;

    const again = await post(browser, action, { csrf, decision: 'allow' });
    expect([again.status, again.headers.get('location')]).toEqual([303, resume]);
    const flipped = await post(browser, action, { csrf, decision: 'deny' });
    expect([flipped.status, flipped.headers.get('location')]).toEqual([303, resume]);

    const final = await browser.fetch(new URL(resume, action).href, { redirect: 'manual' });
    const location = final.headers.get('location')!;
    expect(new URL(location).searchParams.get('error')).toBeNull();
    expect(new URL(location).searchParams.get('code')).toMatch(/\S{20,}/);
    expect(new URL(location).searchParams.get('state')).toBe('first-answer');
  });
});

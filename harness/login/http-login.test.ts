import { afterEach, describe, expect, it } from 'vitest';
import { targetsBusinessGoogle } from '../../wire/redirect-uris.ts';
import { type HtmlTestServer, redirect, startHtmlServer } from './test-support/html-test-server.ts';
import { HttpLoginError, httpLogin } from './http-login.ts';

const servers: HtmlTestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const CB = 'https://business.google.com/message?az-intent-type=1&';
const page = (body: string, head = '') =>
  `<!doctype html><html><head><title>Provider</title>${head}</head><body>${body}</body></html>`;

async function expectLoginError(promise: Promise<unknown>, code: string): Promise<HttpLoginError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpLoginError);
  expect((error as HttpLoginError).code).toBe(code);
  return error as HttpLoginError;
}

/** Classic provider: session cookie, CSRF hidden input, login then a consent form. */
async function classicProvider() {
  const server = await startHtmlServer((req) => {
    const path = req.url.pathname;
    if (path === '/oauth/authorize') {
      return {
        ...redirect('/signin?return=consent'),
        headers: { location: '/signin?return=consent', 'set-cookie': 'sid=s1; Path=/; HttpOnly' },
      };
    }
    if (path === '/signin' && req.method === 'GET') {
      return {
        html: page(`<form method="post" action="/signin/submit?x=1">
          <input type="hidden" name="csrf" value="tok-123">
          <label>E-mail <input type="email" name="login_email" autocomplete="username"></label>
          <input type="password" name="pw">
          <input type="checkbox" name="remember" value="1">
          <button type="submit" name="op" value="signin">Sign in</button>
          <button type="submit" name="op" value="forgot">Forgot password?</button>
        </form>`),
      };
    }
    if (path === '/signin/submit') {
      const ok =
        req.cookies.sid === 's1' &&
        req.form.get('csrf') === 'tok-123' &&
        req.form.get('login_email') === 'alice' &&
        req.form.get('pw') === 'alice-password' &&
        req.form.get('op') === 'signin' &&
        !req.form.has('remember');
      if (!ok)
        return {
          status: 401,
          html: page(
            '<p>Wrong password</p><form method="post"><input name="login_email"><input type="password" name="pw"></form>',
          ),
        };
      return {
        ...redirect('/consent', 303),
        headers: { location: '/consent', 'set-cookie': 'auth=yes; Path=/' },
      };
    }
    if (path === '/consent' && req.method === 'GET') {
      return {
        html: page(`<h1>Allow Chatbot to see your profile?</h1><form method="POST" action="consent">
          <input type="hidden" name="xsrf" value="c-9">
          <button name="decision" value="deny">Don't allow</button>
          <button name="decision" value="approve">Allow</button></form>`),
      };
    }
    if (path === '/consent' && req.method === 'POST') {
      if (req.cookies.auth !== 'yes' || req.form.get('xsrf') !== 'c-9')
        return { status: 403, html: 'csrf' };
      const q =
        req.form.get('decision') === 'approve'
          ? 'code=SECRETCODE123&state=st'
          : 'error=access_denied&state=st';
      return redirect(`${CB}${q}`);
    }
    return { status: 404, html: page('not found') };
  });
  servers.push(server);
  return server;
}

describe('httpLogin', () => {
  it('signs in through a cookie + CSRF login and a consent form, returning the raw Location', async () => {
    const server = await classicProvider();
    const result = await httpLogin({
      authorizeUrl: `${server.url}/oauth/authorize?client_id=c&code_challenge=abc`,
      username: 'alice',
      password: 'alice-password',
      consent: 'allow',
      stopAt: targetsBusinessGoogle,
    });
    // Byte-exact: the `&&` a URL parser would keep but a naive join could fix is preserved.
    expect(result.location).toBe(`${CB}code=SECRETCODE123&state=st`);
    expect(result.via).toBe('redirect');
    expect(result.steps.map((s) => `${s.method} ${s.status}`)).toEqual([
      'GET 302',
      'GET 200',
      'POST 303',
      'GET 200',
      'POST 302',
    ]);
    const recorded = JSON.stringify(result.steps);
    expect(recorded).not.toContain('SECRETCODE123');
    expect(recorded).not.toContain('alice-password');
  });

  it('answers Deny when asked and still stops at the redirect', async () => {
    const server = await classicProvider();
    const result = await httpLogin({
      authorizeUrl: `${server.url}/oauth/authorize`,
      username: 'alice',
      password: 'alice-password',
      consent: 'deny',
      stopAt: targetsBusinessGoogle,
    });
    expect(result.location).toBe(`${CB}error=access_denied&state=st`);
  });

  it('reports login_rejected when the login form comes back', async () => {
    const server = await classicProvider();
    const error = await expectLoginError(
      httpLogin({
        authorizeUrl: `${server.url}/oauth/authorize`,
        username: 'alice',
        password: 'nope',
        consent: 'allow',
        stopAt: targetsBusinessGoogle,
      }),
      'login_rejected',
    );
    expect(error.details.status).toBe(401);
    expect(error.steps).toHaveLength(3);
  });

  it('stops at once when the provider redirects without any page (already signed in)', async () => {
    const server = await startHtmlServer(() =>
      redirect('https://business.google.com/callback?code=x&state=y'),
    );
    servers.push(server);
    const result = await httpLogin({
      authorizeUrl: `${server.url}/authorize`,
      username: 'a',
      password: 'b',
      consent: 'allow',
      stopAt: targetsBusinessGoogle,
    });
    expect(result.location).toBe('https://business.google.com/callback?code=x&state=y');
    expect(result.steps).toHaveLength(1);
  });

  it('handles unhinted fields, forms without action, <base href>, a consent link and identifier-first login', async () => {
    let step = 0;
    const flow = await startHtmlServer((req) => {
      const p = req.url.pathname;
      if (p === '/a/start' && req.method === 'GET') {
        return {
          html: page(
            `<form method="post"><input type="text" name="identifier"><input type="submit" value="Next"></form>`,
          ),
        };
      }
      if (p === '/a/start' && req.method === 'POST') {
        step = req.form.get('identifier') === 'bob' ? 1 : -1;
        return {
          html: page(
            `<form method="post" action="pw"><input type="hidden" name="who" value="bob"><input name="q" type="text"><input type="password" name="secret"><input type="submit" name="go" value="Continue"></form>`,
            '<base href="/b/">',
          ),
        };
      }
      if (p === '/b/pw' && req.method === 'POST') {
        if (
          step !== 1 ||
          req.form.get('secret') !== 'bob-password' ||
          req.form.get('who') !== 'bob' ||
          req.form.get('q') !== 'bob' ||
          req.form.get('go') !== 'Continue'
        )
          return { status: 400, html: 'bad' };
        return {
          html: page(
            `<p>Share your name?</p><form method="post" action="/b/ok"><input type="hidden" name="t" value="1"><input type="submit" value="Yes, share"></form><a href="https://business.google.com/callback?error=access_denied">Cancel</a>`,
          ),
        };
      }
      if (p === '/b/ok') return redirect('https://business.google.com/callback?code=c2');
      return { status: 404, html: 'nope' };
    });
    servers.push(flow);
    const base = {
      authorizeUrl: `${flow.url}/a/start`,
      username: 'bob',
      password: 'bob-password',
      stopAt: targetsBusinessGoogle,
    };
    const allowed = await httpLogin({ ...base, consent: 'allow' });
    expect(allowed.location).toBe('https://business.google.com/callback?code=c2');
    const denied = await httpLogin({ ...base, consent: 'deny' });
    expect(denied).toMatchObject({
      location: 'https://business.google.com/callback?error=access_denied',
      via: 'link',
    });
  });

  it('submits JS-free auto-post forms and follows a meta refresh to the stop target', async () => {
    const server = await startHtmlServer((req, base) => {
      const p = req.url.pathname;
      if (p === '/authorize')
        return {
          html: page(
            `<form method="post" action="${base}/bridge"><input type="hidden" name="SAMLResponse" value="abc"><noscript><input type="submit" value="Go"></noscript></form>`,
          ),
        };
      if (p === '/bridge' && req.form.get('SAMLResponse') === 'abc') {
        return {
          html: page(
            '<p>Redirecting…</p>',
            '<meta http-equiv="Refresh" content="0; URL=\'https://business.google.com/callback?code=m&amp;state=s\'">',
          ),
        };
      }
      return { status: 400, html: page('bad bridge') };
    });
    servers.push(server);
    const result = await httpLogin({
      authorizeUrl: `${server.url}/authorize`,
      username: 'a',
      password: 'b',
      consent: 'allow',
      stopAt: targetsBusinessGoogle,
    });
    expect(result).toMatchObject({
      location: 'https://business.google.com/callback?code=m&state=s',
      via: 'meta-refresh',
    });
  });

  it('refuses an auto-post (form_post) answer to the redirect URI', async () => {
    const server = await startHtmlServer(() => ({
      html: page(
        `<form method="post" action="https://business.google.com/callback"><input type="hidden" name="code" value="c"></form>`,
      ),
    }));
    servers.push(server);
    await expectLoginError(
      httpLogin({
        authorizeUrl: server.url,
        username: 'a',
        password: 'b',
        consent: 'allow',
        stopAt: targetsBusinessGoogle,
      }),
      'form_post_response',
    );
  });

  it('classifies dead ends: error page, HTTP error, redirect loop, unreachable host, missing consent choice', async () => {
    const server = await startHtmlServer((req) => {
      const p = req.url.pathname;
      if (p === '/error')
        return { html: page('<h1>invalid_request: redirect_uri not registered</h1>') };
      if (p === '/boom') return { status: 500, html: page('<h1>Internal error</h1>') };
      if (p === '/loop') return redirect('/loop');
      if (p === '/allow-only')
        return { html: page('<form method="post" action="/x"><button>Authorize</button></form>') };
      return { status: 404, html: 'nope' };
    });
    servers.push(server);
    const opts = {
      username: 'a',
      password: 'b',
      consent: 'allow' as const,
      stopAt: targetsBusinessGoogle,
    };
    const notFound = await expectLoginError(
      httpLogin({ ...opts, authorizeUrl: `${server.url}/error` }),
      'login_form_not_found',
    );
    expect(notFound.details.pageText).toContain('redirect_uri not registered');
    const http = await expectLoginError(
      httpLogin({ ...opts, authorizeUrl: `${server.url}/boom` }),
      'http_error',
    );
    expect(http.details.status).toBe(500);
    const loop = await expectLoginError(
      httpLogin({ ...opts, maxSteps: 5, authorizeUrl: `${server.url}/loop` }),
      'too_many_steps',
    );
    expect(loop.steps).toHaveLength(5);
    await expectLoginError(
      httpLogin({ ...opts, consent: 'deny', authorizeUrl: `${server.url}/allow-only` }),
      'consent_choice_not_found',
    );
    const closed = await startHtmlServer(() => ({}));
    const deadUrl = closed.url;
    await closed.close();
    await expectLoginError(
      httpLogin({ ...opts, authorizeUrl: `${deadUrl}/authorize` }),
      'network_error',
    );
  });
});

describe('pages that need JavaScript', () => {
  it('a form posting to javascript: is reported as needing a browser, not as a network error', async () => {
    const server = await startHtmlServer(() => ({
      html: page(`<form method="post" action="javascript:void(0)">
        <input name="username"><input type="password" name="password"><button>Sign in</button>
      </form>`),
    }));
    servers.push(server);
    const error = await expectLoginError(
      httpLogin({
        authorizeUrl: `${server.url}/authorize`,
        username: 'alice',
        password: 'alice-password',
        consent: 'allow',
        stopAt: targetsBusinessGoogle,
      }),
      'login_form_not_found',
    );
    expect(error.message).toMatch(/JavaScript/);
    expect(error.message).not.toContain('alice-password');
  });
});

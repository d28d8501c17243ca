/**
 * TEST ONLY. Markup of the hand-written "foreign" provider: deliberately unlike the mock
 * provider's (other field names, autocomplete hints, a distracting search form, a
 * language <select>, input-type submit buttons) so the validator's form heuristics are
 * exercised on pages they were not written against.
 */
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

const shell = (title: string, body: string) => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)} | Acme Identity</title></head>
<body><header><form action="/search" method="get" role="search"><input type="search" name="q" placeholder="Search help"><button>Search</button></form></header>
<main>${body}</main></body></html>`;

export function loginPage(action: string, csrf: string, error?: string): string {
  return shell(
    'Sign in',
    `<h1>Sign in to Acme</h1>${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<form class="login" action="${esc(action)}" method="post">
  <input type="hidden" name="_csrf" value="${esc(csrf)}">
  <label for="email-field">Work e-mail</label>
  <input type="email" id="email-field" name="emailAddress" autocomplete="email">
  <label for="pw">Passcode</label><input type="password" id="pw" name="passcode" autocomplete="current-password">
  <select name="locale"><option value="de">Deutsch</option><option value="en" selected>English</option></select>
  <button type="submit" class="btn-primary">Continue</button>
</form>`,
  );
}

/** The same form, but only a script draws it: plain-HTTP login cannot see it. */
export function scriptedLoginPage(action: string, csrf: string): string {
  const form = loginPage(action, csrf).split('<main>')[1]!.split('</main>')[0]!;
  return shell(
    'Sign in',
    `<div id="app">Loading…</div><noscript>This sign-in page needs JavaScript.</noscript>
<script>document.getElementById('app').innerHTML = ${JSON.stringify(form).replace(/</g, '\\u003c')};</script>`,
  );
}

export function consentPage(
  action: string,
  csrf: string,
  clientName: string,
  scope: string,
): string {
  return shell(
    'Authorize app',
    `<h1>${esc(clientName)} would like to access your Acme account</h1>
<ul>${scope
      .split(' ')
      .map((s) => `<li>${esc(s)}</li>`)
      .join('')}</ul>
<form action="${esc(action)}" method="post">
  <input type="hidden" name="_csrf" value="${esc(csrf)}">
  <input type="submit" name="consent_decision" value="No thanks">
  <input type="submit" name="consent_decision" value="Yes, allow">
</form>`,
  );
}

export function errorPage(message: string): string {
  return shell('Error', `<h1>Something went wrong</h1><p>${esc(message)}</p>`);
}

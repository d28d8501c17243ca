import { describe, expect, it } from 'vitest';
import { classifyChoice } from './controls.ts';
import { analysePage } from './form-finder.ts';

const input = { username: 'dana', password: 'pw-1', consent: 'allow' as const };
const at = 'http://127.0.0.1:1/flow/page?x=1';

describe('choice words', () => {
  it.each([
    ['Allow', 'allow'],
    ["Don't allow", 'deny'],
    ['No, cancel', 'deny'],
    ['Yes, share my profile', 'allow'],
    ['Authorize app', 'allow'],
    ['decision deny_button', 'deny'],
    ['Help', undefined],
  ])('%s → %s', (label, choice) => {
    expect(classifyChoice(label)).toBe(choice);
  });
});

describe('analysePage', () => {
  it('fills the hinted username field and keeps hidden, selected and checked values', () => {
    const { action } = analysePage(
      `<form action="/search"><input name="q"></form>
       <form method="post" action="../login"><input type="hidden" name="csrf" value="t1">
        <input name="nickname"><input name="user_id" autocomplete="username"><input type="password" name="pw">
        <input type="checkbox" name="keep" value="y" checked><input type="checkbox" name="spam" value="y">
        <select name="lang"><option value="fr">fr</option><option value="en" selected>en</option></select>
        <button type="submit" name="cancel">Cancel</button><button type="submit" name="go" value="1">Log in</button></form>`,
      at,
      input,
    );
    expect(action.kind).toBe('login');
    if (action.kind !== 'login') return;
    expect(action.request.method).toBe('POST');
    expect(action.request.url).toBe('http://127.0.0.1:1/login');
    expect(Object.fromEntries(action.request.body as URLSearchParams)).toEqual({
      csrf: 't1',
      nickname: '',
      user_id: 'dana',
      pw: 'pw-1',
      keep: 'y',
      lang: 'en',
      go: '1',
    });
    expect(action.request.dom.fill.map((f) => f.value)).toEqual(['dana', 'pw-1']);
  });

  it('submits GET forms by replacing the action query', () => {
    const { action } = analysePage(
      '<form action="/consent?old=1"><input type="hidden" name="tx" value="9"><button name="answer" value="yes">Approve</button></form>',
      at,
      { ...input },
    );
    expect(action.kind === 'consent' && action.request.url).toBe(
      'http://127.0.0.1:1/consent?tx=9&answer=yes',
    );
  });

  it('reports a consent page without the wanted choice, and an error page as none', () => {
    const consent = analysePage('<form method="post"><button>Allow</button></form>', at, {
      ...input,
      consent: 'deny',
    });
    expect(consent.action).toMatchObject({ kind: 'consent-choice-missing', wanted: 'deny' });
    const error = analysePage('<title>Oops</title><h1>invalid_client</h1>', at, input);
    expect(error.action.kind).toBe('none');
    expect(error.text).toContain('invalid_client');
  });

  it('ignores slow meta refreshes (session-timeout redirects)', () => {
    const page = '<meta http-equiv="refresh" content="600;url=/logout"><p>Hello</p>';
    expect(analysePage(page, at, input).action.kind).toBe('none');
  });
});

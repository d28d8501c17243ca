import { describe, expect, it } from 'vitest';
import { type CheckResult, summarise, type ValidationReport } from '../types.ts';
import { renderJson } from './render-json.ts';
import { renderJunit } from './render-junit.ts';
import { renderText } from './render-text.ts';

const checks: CheckResult[] = [
  {
    id: 'discovery',
    title: 'Discovery',
    status: 'pass',
    spec: ['RFC8414 3'],
    detail: 'ok',
    evidence: ['GET …'],
  },
  {
    id: 'code-reuse',
    title: 'Reuse',
    status: 'fail',
    spec: ['RFC6749 4.1.2'],
    detail: 'code <reused> & "twice"',
    evidence: ['→ POST /token'],
  },
  {
    id: 'pkce-plain-rejected',
    title: 'Plain',
    status: 'warn',
    spec: ['RFC7636 4.2'],
    detail: 'plain accepted',
    evidence: [],
  },
  {
    id: 'user-denies',
    title: 'Deny',
    status: 'review',
    spec: ['RFC6749 4.1.2.1'],
    detail: 'no consent page',
    evidence: [],
  },
  {
    id: 'id-token',
    title: 'ID token',
    status: 'skip',
    spec: ['OIDC-Core 3.1.3.7'],
    detail: 'no openid',
    evidence: [],
  },
];
const report: ValidationReport = {
  issuer: 'https://login.example',
  checks,
  summary: summarise(checks),
};

describe('report renderers', () => {
  it('JSON has the SPEC §4 shape', () => {
    const parsed = JSON.parse(renderJson(report));
    expect(Object.keys(parsed)).toEqual(['issuer', 'checks', 'summary']);
    expect(parsed.summary).toEqual({ pass: 1, fail: 1, warn: 1, review: 1, skip: 1 });
    expect(parsed.checks[1]).toMatchObject({
      id: 'code-reuse',
      title: 'Reuse',
      status: 'fail',
      spec: ['RFC6749 4.1.2'],
      detail: 'code <reused> & "twice"',
    });
  });

  it('JUnit: fail → failure, review/skip → skipped, warn visible, XML escaped', () => {
    const xml = renderJunit(report);
    expect(xml).toContain('tests="5" failures="1" skipped="2"');
    expect(xml).toMatch(
      /name="code-reuse"><failure message="code &lt;reused&gt; &amp; &quot;twice&quot;"/,
    );
    expect(xml).toMatch(/name="user-denies"><skipped message="review: /);
    expect(xml).toMatch(/name="id-token"><skipped message="skip: /);
    expect(xml).toContain('name="pkce-plain-rejected [WARN]"');
    expect(xml).not.toContain('<reused>');
  });

  it('JUnit: drops characters XML 1.0 forbids but keeps astral ones (emoji, CJK ext.)', () => {
    const odd: CheckResult = {
      ...checks[1]!,
      detail: 'bell\u0007 nul\u0000 lone\uD800 ok 😀 𠀀',
      evidence: ['esc\u001b[31m'],
    };
    const xml = renderJunit({ ...report, checks: [odd], summary: summarise([odd]) });
    expect(xml).toContain('ok 😀 𠀀');
    for (const forbidden of ['\u0000', '\u0007', '\u001b']) expect(xml).not.toContain(forbidden);
    // No lone surrogate survives (a UTF-8 round trip would turn one into U+FFFD).
    expect(Buffer.from(xml, 'utf8').toString('utf8')).toBe(xml);
  });

  it('text: a table row per check, details for the rest, a verdict line', () => {
    const text = renderText(report);
    expect(text).toMatch(/^code-reuse\s+FAIL\s+RFC6749 4\.1\.2$/m);
    expect(text).toContain('[FAIL] code-reuse — Reuse');
    expect(text).not.toContain('[PASS] discovery');
    expect(text).toContain('1 pass, 1 fail, 1 warn, 1 review, 1 skip');
    expect(renderText(report, { verbose: true })).toContain('[PASS] discovery');
  });
});

import type { ValidationReport } from '../types.ts';

/**
 * JUnit XML for CI dashboards: one testcase per check; fail → <failure>, review/skip →
 * <skipped>, warn → a passing case whose name and system-out say WARN so it stays visible.
 */
export function renderJunit(report: ValidationReport): string {
  const s = report.summary;
  const cases = report.checks.map((c) => {
    const name = c.status === 'warn' ? `${c.id} [WARN]` : c.id;
    const body = [`${c.title}`, c.detail, `spec: ${c.spec.join(', ')}`, ...c.evidence].join('\n');
    const inner =
      c.status === 'fail'
        ? `<failure message="${attr(c.detail)}" type="${attr(c.spec.join(', '))}">${text(body)}</failure>`
        : c.status === 'review' || c.status === 'skip'
          ? `<skipped message="${attr(`${c.status}: ${c.detail}`)}"/><system-out>${text(body)}</system-out>`
          : `<system-out>${text(`${c.status.toUpperCase()}: ${body}`)}</system-out>`;
    return `    <testcase classname="bm-harness.validate" name="${attr(name)}">${inner}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="bm-harness validate" tests="${report.checks.length}" failures="${s.fail}" skipped="${s.review + s.skip}">`,
    `  <testsuite name="${attr(report.issuer)}" tests="${report.checks.length}" failures="${s.fail}" errors="0" skipped="${s.review + s.skip}">`,
    `    <properties><property name="warnings" value="${s.warn}"/></properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

// XML 1.0 Char production (§2.2), astral planes included; with the u flag a lone surrogate
// is its own code point outside every range, so it is dropped too.
const XML_FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function text(value: string): string {
  // Characters XML 1.0 forbids are dropped; the rest escaped.
  return value
    .replace(XML_FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}

import fc from 'fast-check';
import type { RawRequest } from './raw-request.ts';

/** A generated request; `body` as text, see bodyBytes. */
export type FuzzRequest = Omit<RawRequest, 'body'> & { body?: string };

export function toRaw(req: FuzzRequest): RawRequest {
  return { ...req, body: bodyBytes(req.body) };
}

/** Methods a client may send; the last ones are unusual but valid HTTP tokens. */
export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE'];

/** Path segments meant to trip routers and decoders. */
const NASTY_SEGMENTS = [
  '..',
  '%',
  '%zz',
  '%00',
  '%2F',
  '%2e%2e',
  '%C0%AF',
  '%E2%80%AE',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '',
  ';',
  '~',
  'a'.repeat(2048),
];

export const segment = fc.oneof(
  fc.constantFrom(...NASTY_SEGMENTS),
  fc.string({ maxLength: 40, unit: 'grapheme' }).map(encodeURIComponent),
  fc.uuid(),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,30}$/),
);

const queryPart = fc.oneof(
  fc.string({ maxLength: 30, unit: 'grapheme' }).map(encodeURIComponent),
  fc.constantFrom('%', '%zz', '[]', 'a[b]', '__proto__', 'constructor[prototype]', '', '%00'),
);

export const query = fc
  .array(fc.tuple(queryPart, fc.oneof(queryPart, fc.constant(undefined))), { maxLength: 6 })
  .map((pairs) =>
    pairs.length === 0
      ? ''
      : `?${pairs.map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join('&')}`,
  );

/** Header values Node will send (visible ASCII and spaces). */
const headerValue = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,60}[\x21-\x7e])?$/);

const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded',
  'text/plain',
  'text/html',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'garbage',
  '*/*',
);

const authorization = fc.oneof(
  fc.constant(undefined),
  headerValue.map((v) => `Bearer ${v}`),
  headerValue.map((v) => `Basic ${Buffer.from(v).toString('base64')}`),
  fc.constantFrom(
    'Bearer',
    'Basic',
    'Basic Og==',
    'Bearer ya29.',
    'Bearer ya29.a.b.c',
    'Basic ====',
  ),
  headerValue,
);

export const headers = fc
  .record(
    {
      'content-type': contentType,
      accept: fc.constantFrom(undefined, 'application/json', 'text/html', '*/*', 'image/png'),
      authorization,
      'x-goog-signature': fc.oneof(fc.constant(undefined), headerValue),
      'google-assistant-signature': fc.oneof(fc.constant(undefined), headerValue),
      'content-encoding': fc.constantFrom(undefined, undefined, undefined, 'gzip', 'br', 'x-nope'),
      'x-fuzz': fc.oneof(fc.constant(undefined), headerValue),
    },
    { requiredKeys: [] },
  )
  .map(
    (h) =>
      Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<
        string,
        string
      >,
  );

const jsonText = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.constantFrom(
    '{',
    '[',
    'null',
    '"str"',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    `${'['.repeat(3000)}${']'.repeat(3000)}`,
    '{"a":1,"a":2}',
  ),
);

/** Stands for a body over every service's limit (64 KiB provider, 256 KiB agent). */
export const HUGE_BODY = '<300 KiB of "a">';

/** Bodies as text (raw bytes as `latin1:`…), so counterexamples print readably. */
export const body = fc.oneof(
  fc.constant(undefined),
  jsonText,
  fc.string({ maxLength: 200, unit: 'grapheme' }),
  fc.dictionary(queryPart, queryPart, { maxKeys: 6 }).map((d) =>
    Object.entries(d)
      .map(([k, v]) => `${k}=${v}`)
      .join('&'),
  ),
  fc.uint8Array({ maxLength: 200 }).map((a) => `latin1:${Buffer.from(a).toString('latin1')}`),
  fc.constant(HUGE_BODY),
);

export function bodyBytes(text: string | undefined): Buffer | undefined {
  if (text === undefined) return undefined;
  if (text === HUGE_BODY) return Buffer.alloc(300 * 1024, 0x61);
  if (text.startsWith('latin1:')) return Buffer.from(text.slice(7), 'latin1');
  return Buffer.from(text, 'utf8');
}

/** A request to `paths` (templates; `:x` segments are filled with fuzz or `known` values). */
export function request(paths: readonly string[], known: readonly string[] = []) {
  const seg = known.length > 0 ? fc.oneof(segment, fc.constantFrom(...known)) : segment;
  const path = fc
    .tuple(fc.constantFrom(...paths), fc.array(seg, { minLength: 4, maxLength: 4 }), query)
    .map(([template, segs, q]) => {
      let i = 0;
      return `${template.replace(/:[a-z]+/gi, () => segs[i++ % segs.length]!)}${q}`;
    });
  return fc.record({ method: fc.constantFrom(...METHODS), path, headers, body }).map(
    (r): FuzzRequest => ({
      ...r,
      // Small bodies on GET/HEAD too (unusual, legal); no huge ones.
      body:
        (r.method === 'GET' || r.method === 'HEAD') && r.body === HUGE_BODY ? undefined : r.body,
    }),
  );
}

import { describe, expect, it } from 'vitest';
import { problemWith } from './support/error-formats.ts';
import type { RawRequest, RawResponse } from './support/raw-request.ts';

/** The fuzz oracle must reject what it is meant to reject. */
const get = (path: string, accept?: string): RawRequest => ({
  method: 'GET',
  path,
  headers: accept ? { accept } : {},
});
const json = (status: number, body: unknown): RawResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  text: JSON.stringify(body),
});
const html = (status: number): RawResponse => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  text: '<html></html>',
});

describe('problemWith', () => {
  it('flags every 5xx', () => {
    expect(problemWith('agent', get('/'), json(500, { error: 'x' }))).toMatch(/HTTP 500/);
    expect(problemWith('emulator', get('/'), json(503, { error: { code: 503 } }))).toBeDefined();
  });

  it('emulator: Google error shape with a matching code; OAuth shape on POST /token', () => {
    const google = { error: { code: 404, message: 'm', status: 'NOT_FOUND' } };
    expect(problemWith('emulator', get('/v1/x'), json(404, google))).toBeUndefined();
    expect(problemWith('emulator', get('/v1/x'), json(400, google))).toMatch(/differs/);
    expect(problemWith('emulator', get('/v1/x'), json(404, { error: 'not_found' }))).toBeDefined();
    const post: RawRequest = { method: 'POST', path: '/token', headers: {} };
    expect(problemWith('emulator', post, json(400, { error: 'invalid_grant' }))).toBeUndefined();
    expect(problemWith('emulator', post, json(400, google))).toBeDefined();
  });

  it('provider: OAuth JSON, or HTML only for browsers and browser pages', () => {
    expect(
      problemWith('provider', get('/token'), json(400, { error: 'invalid_request' })),
    ).toBeUndefined();
    expect(problemWith('provider', get('/token'), json(400, { message: 'no' }))).toBeDefined();
    expect(problemWith('provider', get('/token'), html(400))).toMatch(/HTML/);
    expect(problemWith('provider', get('/token', 'text/html'), html(400))).toBeUndefined();
    expect(problemWith('provider', get('/authorize?x=1'), html(400))).toBeUndefined();
  });

  it('agent: JSON with an error string', () => {
    expect(problemWith('agent', get('/x'), json(404, { error: 'not_found' }))).toBeUndefined();
    expect(problemWith('agent', get('/x'), html(404))).toBeDefined();
  });
});

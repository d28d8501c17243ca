import { describe, expect, it } from 'vitest';
import type { TokenReply } from './token-client.ts';
import { errorFormatProblems } from './token-errors.ts';

function reply(status: number, contentType: string, body: string): TokenReply {
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(body) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status, contentType, cacheControl: null, pragma: null, text: body, json, evidence: [] };
}

describe('RFC 6749 §5.2 error format', () => {
  it('accepts a registered error as JSON with 400 (and 401 for invalid_client)', () => {
    expect(
      errorFormatProblems(
        reply(
          400,
          'application/json; charset=utf-8',
          '{"error":"invalid_grant","error_description":"bad code"}',
        ),
      ),
    ).toEqual([]);
    expect(
      errorFormatProblems(reply(401, 'application/json', '{"error":"invalid_client"}')),
    ).toEqual([]);
  });

  it.each([
    [reply(400, 'application/json', '{"message":"bad"}'), 'no "error" member'],
    [reply(200, 'text/html', '<h1>Error</h1>'), 'HTTP 200'],
    [reply(200, 'text/html', '<h1>Error</h1>'), 'not a JSON object'],
    [reply(400, 'application/json', '{"error":"bad_code"}'), 'not a registered error code'],
    [reply(401, 'application/json', '{"error":"invalid_grant"}'), 'HTTP 401'],
    [reply(400, 'text/plain', '{"error":"invalid_grant"}'), 'content-type'],
    [
      reply(
        400,
        'application/json',
        '{"error":"invalid_grant","error_description":"quote \\" inside"}',
      ),
      'error_description',
    ],
  ])('reports %#', (r, problem) => {
    expect(errorFormatProblems(r).join('; ')).toContain(problem);
  });
});

import express, { type NextFunction, type Request, type Response } from 'express';
import { GoogleApiError } from './google-errors.ts';

export const DEFAULT_BODY_LIMIT = '256kb';

/**
 * Deepest JSON nesting accepted. Google's JSON front end refuses deeply nested payloads too;
 * here it also keeps recursive code (shape checks, redaction of what the timeline records)
 * far from the stack limit: a 256 kB body can nest ~130,000 levels.
 */
export const MAX_JSON_DEPTH = 100;

/** True when `value` nests arrays/objects deeper than `max`. Iterative: deep input cannot overflow it. */
export function exceedsJsonDepth(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Also drops the parsed body, so the error handler does not record (walk) it. */
function tooDeep(req: Request): GoogleApiError {
  req.body = undefined;
  return new GoogleApiError(
    'INVALID_ARGUMENT',
    `Invalid JSON payload received. JSON nesting is deeper than ${MAX_JSON_DEPTH} levels.`,
  );
}

/** For routes parsed by express.json (the control API): same depth bound, same error. */
export function limitJsonDepth(req: Request, _res: Response, next: NextFunction): void {
  next(exceedsJsonDepth(req.body) ? tooDeep(req) : undefined);
}

/**
 * JSON body parsing that fails the way Google's JSON front end does — a Google-shaped
 * error, never an HTML page or a crash: wrong content type and malformed JSON are 400
 * INVALID_ARGUMENT; an oversized body is 413.
 */
export function googleJsonBody(limit: string = DEFAULT_BODY_LIMIT) {
  const parse = express.json({ limit, type: () => true });
  return (req: Request, res: Response, next: NextFunction) => {
    const hasBody =
      Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
    if (!hasBody) {
      req.body = {};
      return next();
    }
    if (!req.is(['application/json', 'application/*+json'])) {
      return next(
        new GoogleApiError(
          'INVALID_ARGUMENT',
          `Invalid JSON payload received. Content-Type ${JSON.stringify(req.get('content-type') ?? '')} is not application/json.`,
        ),
      );
    }
    parse(req, res, (err?: unknown) => {
      if (err) return next(translateParserError(err));
      if (exceedsJsonDepth(req.body)) return next(tooDeep(req));
      if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
        return next(
          new GoogleApiError(
            'INVALID_ARGUMENT',
            'Invalid JSON payload received. Expected a JSON object.',
          ),
        );
      }
      next();
    });
  };
}

function translateParserError(err: unknown): GoogleApiError {
  const e = err as { type?: string; limit?: number; message?: string };
  if (e.type === 'entity.too.large') {
    return new GoogleApiError(
      'INVALID_ARGUMENT',
      `Request payload size exceeds the limit: ${e.limit ?? DEFAULT_BODY_LIMIT} bytes.`,
      { httpStatus: 413 },
    );
  }
  if (e.type === 'entity.parse.failed') {
    return new GoogleApiError(
      'INVALID_ARGUMENT',
      `Invalid JSON payload received. ${e.message ?? 'Unexpected token.'}`,
    );
  }
  return new GoogleApiError(
    'INVALID_ARGUMENT',
    `Invalid request body: ${e.message ?? String(err)}`,
  );
}

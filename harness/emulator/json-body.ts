import express, { type NextFunction, type Request, type Response } from 'express';
import { GoogleApiError } from './google-errors.ts';

export const DEFAULT_BODY_LIMIT = '256kb';

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

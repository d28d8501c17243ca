import type { NextFunction, Request, Response } from 'express';
import { redactUrl } from '../wire/redact.ts';
import type { EventLog } from './event-log.ts';
import { type OAuthErrorBody, renderErrorPage, sendOAuthError } from './oauth-response.ts';

export type LogFn = (line: string) => void;

/** One line per request on the log (URLs redacted: codes and tokens travel in queries). */
export function requestLogger(log: LogFn) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
      log(`${req.method} ${redactUrl(req.originalUrl)} ${res.statusCode} ${ms}ms`);
    });
    next();
  };
}

/** 413 before reading a body whose declared length is over the limit (any content type). */
export function declaredLengthGuard(limitBytes: number) {
  return (req: Request, res: Response, next: NextFunction) => {
    const length = Number(req.get('content-length') ?? 0);
    if (length > limitBytes) {
      res.set('Connection', 'close');
      sendOAuthError(
        res,
        413,
        'invalid_request',
        `request body too large (limit ${limitBytes} bytes)`,
      );
      return;
    }
    next();
  };
}

interface ErrorLike {
  type?: string;
  status?: number;
  statusCode?: number;
  error?: string;
  error_description?: string;
  message?: string;
  expose?: boolean;
}

/** Last-resort error handler: OAuth-style errors (HTML for browsers), never a crash. */
export function errorHandler(events: EventLog, log: LogFn, limitBytes: number) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = (err ?? {}) as ErrorLike;
    let status = 500;
    let body: OAuthErrorBody = {
      error: 'server_error',
      error_description: 'internal error in the mock provider',
    };
    if (e.type === 'entity.too.large') {
      status = 413;
      body = {
        error: 'invalid_request',
        error_description: `request body too large (limit ${limitBytes} bytes)`,
      };
    } else if (typeof e.type === 'string' && (e.status ?? 500) < 500) {
      status = e.status ?? 400;
      body = {
        error: 'invalid_request',
        error_description: `malformed request body: ${e.message ?? e.type}`,
      };
    } else if (typeof e.error === 'string' && (e.statusCode ?? 500) < 500) {
      status = e.statusCode ?? 400;
      body = { error: e.error, error_description: e.error_description ?? e.error };
    } else if (typeof e.statusCode === 'number' && e.statusCode < 500) {
      status = e.statusCode;
      body = { error: 'invalid_request', error_description: e.message ?? 'bad request' };
    } else {
      events.record('server.error', { path: req.path, message: e.message ?? String(err) });
      log(`error ${req.method} ${redactUrl(req.originalUrl)}: ${e.message ?? String(err)}`);
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (req.accepts(['json', 'html']) === 'html') {
      res.status(status).set('Cache-Control', 'no-store').type('html').send(renderErrorPage(body));
      return;
    }
    sendOAuthError(res, status, body.error, body.error_description ?? body.error);
  };
}

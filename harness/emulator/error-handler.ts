import type { NextFunction, Request, Response } from 'express';
import { DeviceError } from '../device/virtual-device.ts';
import type { ConversationStore } from './conversation-store.ts';
import { GoogleApiError } from './google-errors.ts';

const CONVERSATION_IN_PATH = /^\/v1\/conversations\/([^/?]+)/;

/**
 * Turns every failure into Google's error JSON and records the rejected request — on the
 * conversation's timeline when the path names a known conversation, otherwise on the
 * general log — so bad input never disappears silently (SPEC §5).
 */
export function googleErrorHandler(store: ConversationStore, log: Pick<Console, 'error'>) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const error = toGoogleError(err);
    // Client mistakes (parser 4xx) are recorded below; only real faults are logged as errors.
    if (
      !(err instanceof GoogleApiError) &&
      !(err instanceof DeviceError) &&
      error.httpStatus >= 500
    ) {
      log.error(`[emulator] internal error on ${req.method} ${req.path}:`, err);
    }
    const body = error.toBody();
    const conversationId = CONVERSATION_IN_PATH.exec(req.path)?.[1];
    const entry = {
      kind: 'api.rejected',
      level: 'warn' as const,
      summary: `${req.method} ${req.path} → ${error.httpStatus} ${error.code}: ${error.message}`,
      data: {
        method: req.method,
        path: req.originalUrl,
        status: error.httpStatus,
        response: body,
        request: typeof req.body === 'object' ? req.body : undefined,
      },
    };
    const target = conversationId && store.get(conversationId) ? conversationId : undefined;
    try {
      store.record(target, entry);
    } catch (recordError) {
      // The answer must still go out in Google's shape; keep the entry without the body.
      log.error(`[emulator] could not record the rejected request body:`, recordError);
      store.record(target, { ...entry, data: { ...entry.data, request: '[not recorded]' } });
    }
    if (res.headersSent) return;
    res.status(error.httpStatus).json(body);
  };
}

function toGoogleError(err: unknown): GoogleApiError {
  if (err instanceof GoogleApiError) return err;
  if (err instanceof DeviceError) return new GoogleApiError('FAILED_PRECONDITION', err.message);
  const status = (err as { status?: number; statusCode?: number }).status;
  if (status === 413)
    return new GoogleApiError('INVALID_ARGUMENT', 'Request payload too large.', {
      httpStatus: 413,
    });
  if (status && status >= 400 && status < 500) {
    return new GoogleApiError(
      'INVALID_ARGUMENT',
      err instanceof Error ? err.message : 'Bad request.',
      { httpStatus: status },
    );
  }
  return new GoogleApiError('INTERNAL', 'Internal error encountered.');
}

export function notFoundHandler(req: Request, _res: Response, next: NextFunction): void {
  next(
    new GoogleApiError('NOT_FOUND', `The requested URL ${req.path} was not found on this server.`),
  );
}

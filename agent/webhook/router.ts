import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { AgentError } from '../errors.ts';
import { type FlowDeps, handleWebhookEvent } from '../conversation/flow.ts';
import { isValidGoogSignature, safeEqual } from './signature.ts';

export interface WebhookRouterOptions {
  clientToken: string;
  flow: FlowDeps;
  /** Request body limit (express syntax); bigger bodies get 413. */
  bodyLimit?: string;
}

/** Google redelivered failed webhooks for days; keep request ids for a week. */
const DEDUP_WINDOW_MS = 7 * 24 * 3600 * 1000;

function sendError(res: Response, status: number, error: string, message: string): void {
  res.status(status).json({ error, message });
}

/**
 * POST handler for the Business Messages webhook. The body is read raw: the signature is over
 * the exact bytes Google sent, which JSON.parse + stringify would not reproduce.
 */
export function webhookRouter(options: WebhookRouterOptions): Router {
  const { flow } = options;
  const router = Router();
  router.post(
    '/',
    express.raw({ type: () => true, limit: options.bodyLimit ?? '256kb' }),
    async (req: Request, res: Response) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const signed = isValidGoogSignature(options.clientToken, raw, req.get('x-goog-signature'));
      let event: Record<string, unknown>;
      try {
        const parsed: unknown = JSON.parse(raw.toString('utf8'));
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
          throw new Error('not an object');
        event = parsed as Record<string, unknown>;
      } catch {
        if (!signed) return rejectUnsigned(res, flow, req);
        return sendError(res, 400, 'invalid_json', 'webhook body must be a JSON object');
      }

      // Webhook setup handshake: Google POSTs {clientToken, secret} and expects the secret
      // back as plain text with 200 (Business Messages "Configure your webhook").
      if (typeof event.clientToken === 'string' && typeof event.secret === 'string') {
        if (!safeEqual(event.clientToken, options.clientToken)) {
          flow.log.warn('handshake_refused', { reason: 'client token mismatch' });
          return sendError(res, 401, 'invalid_client_token', 'clientToken does not match');
        }
        flow.log.info('handshake_answered', {});
        return res.status(200).type('text/plain').send(event.secret);
      }

      if (!signed) return rejectUnsigned(res, flow, req);

      if (typeof event.conversationId !== 'string' || event.conversationId === '') {
        return sendError(res, 400, 'invalid_event', 'conversationId is required');
      }
      const requestId = typeof event.requestId === 'string' ? event.requestId : undefined;
      const now = flow.now();
      if (requestId !== undefined) {
        flow.store.pruneRequests(now - DEDUP_WINDOW_MS);
        if (!flow.store.claimRequest(requestId, now)) {
          flow.log.info('duplicate_ignored', { conversationId: event.conversationId, requestId });
          return res.status(200).json({ status: 'duplicate', requestId });
        }
      }
      try {
        const result = await handleWebhookEvent(
          flow,
          event as Record<string, unknown> & { conversationId: string },
        );
        // A refusal changed nothing: forget the id so a redelivery gets the same answer
        // again rather than "duplicate".
        if (result.status >= 400 && requestId !== undefined) flow.store.releaseRequest(requestId);
        res.status(result.status).json(result.body);
      } catch (err) {
        // Not processed: forget the id so that Google's redelivery is handled again.
        if (requestId !== undefined) flow.store.releaseRequest(requestId);
        const status = err instanceof AgentError ? err.status : 500;
        const code = err instanceof AgentError ? err.code : 'INTERNAL';
        flow.log.error('webhook_failed', {
          conversationId: event.conversationId,
          requestId,
          errorCode: code,
          detail: (err as Error).message,
        });
        sendError(res, status, code.toLowerCase(), (err as Error).message);
      }
    },
  );
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const status = (err as { status?: number }).status;
    if (status === 413)
      return sendError(res, 413, 'payload_too_large', 'webhook body is too large');
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendError(res, status, 'bad_request', (err as Error).message);
    }
    next(err);
  });
  return router;
}

function rejectUnsigned(res: Response, flow: FlowDeps, req: Request): void {
  flow.log.warn('signature_rejected', {
    reason: req.get('x-goog-signature')
      ? 'X-Goog-Signature does not match'
      : 'X-Goog-Signature missing',
  });
  sendError(
    res,
    401,
    'invalid_signature',
    'X-Goog-Signature is missing or does not match the body',
  );
}

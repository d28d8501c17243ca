import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { ASSISTANT_SIGNATURE_HEADER } from '../../wire/assistant.ts';
import type { AgentLogger } from '../log.ts';
import { ASSISTANT_HANDLERS, type ConversationRequest } from './handlers.ts';
import { AssistantSignatureError } from './verify.ts';

export interface AssistantRouterOptions {
  verify: (token: string | undefined) => Promise<unknown>;
  log: AgentLogger;
  bodyLimit?: string;
}

/**
 * POST handler for the conversational webhook. The signature is checked before the body is
 * looked at; failures answer 403 `{"error": …}` like @assistant/conversation does.
 */
export function assistantRouter(options: AssistantRouterOptions): Router {
  const router = Router();
  router.post('/', async (req: Request, res: Response, next: NextFunction) => {
    try {
      await options.verify(req.get(ASSISTANT_SIGNATURE_HEADER));
      next();
    } catch (err) {
      if (!(err instanceof AssistantSignatureError)) return next(err);
      options.log.warn('assistant_signature_rejected', { reason: err.message });
      res
        .status(403)
        .json({ error: `google-assistant-signature verification failed: ${err.message}` });
    }
  });
  router.post(
    '/',
    express.json({ limit: options.bodyLimit ?? '256kb', type: () => true }),
    (req: Request, res: Response) => {
      const body = (req.body ?? {}) as ConversationRequest;
      const name = body.handler?.name;
      const handler =
        typeof name === 'string' && Object.hasOwn(ASSISTANT_HANDLERS, name)
          ? ASSISTANT_HANDLERS[name]
          : undefined;
      if (!handler) {
        res.status(400).json({ error: `no handler named ${JSON.stringify(name ?? null)}` });
        return;
      }
      options.log.info('assistant_request', { handler: name, session: body.session?.id });
      res.status(200).json(handler(body));
    },
  );
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const status = (err as { status?: number }).status;
    if (status === 413) return res.status(413).json({ error: 'request body is too large' });
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return res.status(status).json({ error: (err as Error).message });
    }
    next(err);
  });
  return router;
}

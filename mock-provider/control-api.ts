import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { ControlRequestError } from './errors.ts';
import type { EventLog } from './event-log.ts';
import type { FaultRegistry } from './faults.ts';
import type { MisbehaveState } from './misbehave.ts';
import { sendOAuthError } from './oauth-response.ts';

export interface ControlApiDeps {
  faults: FaultRegistry;
  misbehave: MisbehaveState;
  events: EventLog;
  bodyLimit: string;
}

/** Remote addresses allowed to use the control API. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}

/**
 * The test-control API under `/__test`: faults, misbehave switches and the event log.
 * Loopback only, whatever address the server is bound to.
 */
export function controlApi(deps: ControlApiDeps): Router {
  const { faults, misbehave, events } = deps;
  const router = express.Router();

  router.use((req, res, next) => {
    res.set('Cache-Control', 'no-store');
    if (!isLoopbackAddress(req.socket.remoteAddress)) {
      sendOAuthError(
        res,
        403,
        'access_denied',
        'the /__test control API only answers loopback clients',
      );
      return;
    }
    next();
  });
  router.use(express.json({ limit: deps.bodyLimit }));

  router.get('/faults', (_req, res) => {
    res.json({ faults: faults.list() });
  });
  router.post('/faults', (req, res) => {
    res.status(201).json({ fault: faults.add(req.body) });
  });
  router.delete('/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  router.delete('/faults/:id', (req, res) => {
    if (!faults.remove(String(req.params.id))) {
      sendOAuthError(res, 404, 'not_found', `no fault with id "${req.params.id}"`);
      return;
    }
    res.status(204).end();
  });

  router.get('/misbehave', (_req, res) => {
    res.json({ misbehave: misbehave.get() });
  });
  router.put('/misbehave', (req, res) => {
    const next = misbehave.set(req.body);
    events.record('misbehave.changed', { ...next });
    res.json({ misbehave: next });
  });
  router.delete('/misbehave', (_req, res) => {
    const next = misbehave.reset();
    events.record('misbehave.changed', { ...next });
    res.json({ misbehave: next });
  });

  router.get('/events', (req, res) => {
    const since = req.query.since === undefined ? 0 : Number(req.query.since);
    if (!Number.isInteger(since) || since < 0) {
      sendOAuthError(res, 400, 'invalid_request', 'since must be a non-negative integer');
      return;
    }
    const type = typeof req.query.type === 'string' ? req.query.type : undefined;
    res.json({
      events: events.list({ since, ...(type ? { type } : {}) }),
      lastSeq: events.lastSeq,
    });
  });
  router.delete('/events', (_req, res) => {
    events.clear();
    res.status(204).end();
  });

  router.use((req, res) => {
    sendOAuthError(res, 404, 'not_found', `no control route ${req.method} /__test${req.path}`);
  });
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof ControlRequestError) {
      sendOAuthError(res, 400, 'invalid_request', err.message);
      return;
    }
    next(err);
  });
  return router;
}

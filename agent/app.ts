import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createAssistantKeySet } from './assistant/key-set.ts';
import { assistantRouter } from './assistant/router.ts';
import { createAssistantVerifier } from './assistant/verify.ts';
import type { FlowDeps } from './conversation/flow.ts';
import { createBusinessMessagesMessenger, readServiceAccountKey } from './google/messenger.ts';
import { type AgentLogger, createAgentLogger } from './log.ts';
import { ProviderClient } from './oauth/provider-client.ts';
import { type AgentOptions, resolveAgentOptions } from './options.ts';
import { SqliteAgentStore } from './store/sqlite-store.ts';
import type { AgentStore } from './store/store.ts';
import { webhookRouter } from './webhook/router.ts';

export interface Agent {
  /** Base URL, e.g. http://127.0.0.1:4030 */
  url: string;
  /** Business Messages webhook: `${url}/webhook`. */
  webhookUrl: string;
  /** Conversational Action webhook: `${url}/assistant`. */
  assistantUrl: string;
  store: AgentStore;
  log: AgentLogger;
  close(): Promise<void>;
}

/** Starts the reference agent (Business Messages webhook + Assistant webhook). */
export async function createAgent(options: AgentOptions = {}): Promise<Agent> {
  const config = resolveAgentOptions(options);
  const log = createAgentLogger(options.log);
  const ownsStore = !options.store;
  const store = options.store ?? new SqliteAgentStore(config.sqlitePath);
  const messenger =
    options.messenger ??
    createBusinessMessagesMessenger({
      serviceAccount: options.serviceAccount ?? readServiceAccountKey(config.serviceAccountKeyFile),
      rootUrl: config.googleRootUrl,
    });
  const flow: FlowDeps = {
    store,
    messenger,
    provider: new ProviderClient({
      issuer: config.issuer,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      fetch: options.fetch,
    }),
    log,
    clientId: config.clientId,
    scopes: config.scopes,
    fallback: config.fallback,
    now: () => Date.now(),
  };
  const verify = createAssistantVerifier({
    projectId: config.projectId,
    clockToleranceSeconds: options.clockToleranceSeconds,
    keys: createAssistantKeySet({
      certsUrl: config.certsUrl,
      format: options.certsFormat,
      fetch: options.fetch,
    }),
  });

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(
    '/webhook',
    webhookRouter({ clientToken: config.clientToken, flow, bodyLimit: options.bodyLimit }),
  );
  app.use('/assistant', assistantRouter({ verify, log, bodyLimit: options.bodyLimit }));
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  app.use(
    (err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      log.error('unhandled_error', { detail: (err as Error)?.message });
      res.status(500).json({ error: 'internal_error' });
    },
  );

  const server: Server = app.listen(config.port, config.host);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  } catch (err) {
    if (ownsStore) store.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  let closing: Promise<void> | undefined;
  log.info('agent_listening', { url, issuer: config.issuer, googleRootUrl: config.googleRootUrl });
  return {
    url,
    webhookUrl: `${url}/webhook`,
    assistantUrl: `${url}/assistant`,
    store,
    log,
    close: () => {
      // Idempotent: a test may stop the agent mid-flow and clean up again afterwards.
      closing ??= new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => {
          if (ownsStore) store.close();
          if (err) reject(err);
          else resolve();
        });
      });
      return closing;
    },
  };
}

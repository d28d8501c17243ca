import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Provider from 'oidc-provider';
import { DEFAULT_HOST, DEFAULT_PORTS } from '../wire/defaults.ts';
import { withReplayedBody } from './body-replay.ts';
import { AccountDirectory, loadUsers, type MockUser } from './accounts.ts';
import { loadClients, type MockClient } from './clients.ts';
import { buildConfiguration } from './config.ts';
import { controlApi } from './control-api.ts';
import { endpointHooks } from './endpoint-hooks.ts';
import { EventLog } from './event-log.ts';
import { type FaultSpec, FaultRegistry } from './faults.ts';
import { declaredLengthGuard, errorHandler, type LogFn, requestLogger } from './http-plumbing.ts';
import { CsrfTokens } from './interactions/csrf.ts';
import { interactionRouter } from './interactions/router.ts';
import { cookieKeys, testSigningJwks } from './keys.ts';
import { type MisbehaveInput, MisbehaveState } from './misbehave.ts';
import { makeRenderError } from './oauth-response.ts';
import { recordProviderEvents } from './provider-events.ts';
import { patchProvider } from './provider-patches.ts';

export type { MockUser } from './accounts.ts';
export type { MockClient } from './clients.ts';
export { ROUTES as MOCK_PROVIDER_ROUTES } from './config.ts';
export { ControlRequestError, MockProviderConfigError, MockProviderError } from './errors.ts';
export {
  EventLog as ProviderEventLog,
  type ProviderEvent,
  type ProviderEventType,
} from './event-log.ts';
export {
  FAULT_KINDS as PROVIDER_FAULT_KINDS,
  type Fault as ProviderFault,
  type FaultKind as ProviderFaultKind,
  FaultRegistry as ProviderFaultRegistry,
  type FaultSpec as ProviderFaultSpec,
} from './faults.ts';
export {
  MISBEHAVE_OFF,
  type MisbehaveInput,
  MisbehaveState,
  type MisbehaveSwitches,
} from './misbehave.ts';
export { explainRedirectMismatch, type RedirectMismatch } from './redirect-match.ts';

export interface MockProviderOptions {
  /** TCP port; 0 = ephemeral. Default 4010. */
  port?: number;
  /** Bind address. Default 127.0.0.1. */
  host?: string;
  /** Default `http://localhost:<port>`, or `http://127.0.0.1:<port>` when the port is ephemeral. */
  issuer?: string;
  /** Authorization code lifetime. Default 60 s. */
  codeTtlSeconds?: number;
  /** Default 3600 s. */
  accessTokenTtlSeconds?: number;
  /** Default 14 days. */
  refreshTokenTtlSeconds?: number;
  /** `login_hint=<username|sub>` logs in and consents with no page. Default false. */
  headlessLogin?: boolean;
  misbehave?: MisbehaveInput;
  faults?: FaultSpec[];
  /** Default: fixtures/users.json. */
  users?: MockUser[];
  /** Default: fixtures/clients.json. */
  clients?: MockClient[];
  /** No log lines at all (tests). Default false. */
  quiet?: boolean;
  /** Where log lines go. Default: stderr, prefixed `[provider]`. */
  log?: LogFn;
  /** Events kept in the ring buffer. Default 1000. */
  eventLogSize?: number;
  /** Request body limit in bytes (413 above it). Default 64 KiB. */
  bodyLimitBytes?: number;
}

export interface MockProvider {
  /** Base URL to connect to (the issuer, when it is the default). */
  readonly url: string;
  readonly issuer: string;
  readonly port: number;
  readonly host: string;
  readonly users: readonly MockUser[];
  readonly clients: readonly MockClient[];
  readonly faults: FaultRegistry;
  readonly misbehave: MisbehaveState;
  readonly events: EventLog;
  /** Switch the headless login path on or off at runtime. */
  setHeadlessLogin(enabled: boolean): void;
  close(): Promise<void>;
}

export async function createMockProvider(options: MockProviderOptions = {}): Promise<MockProvider> {
  const requestedPort = options.port ?? DEFAULT_PORTS.provider;
  const host = options.host ?? DEFAULT_HOST;
  const limitBytes = options.bodyLimitBytes ?? 64 * 1024;
  const log: LogFn = options.quiet
    ? () => {}
    : (options.log ?? ((line) => process.stderr.write(`[provider] ${line}\n`)));
  const users = options.users ?? loadUsers();
  const clients = options.clients ?? loadClients();
  const accounts = new AccountDirectory(users);
  const events = new EventLog(options.eventLogSize ?? 1000);
  const faults = new FaultRegistry();
  for (const spec of options.faults ?? []) faults.add(spec);
  const misbehave = new MisbehaveState(options.misbehave);
  let headless = options.headlessLogin ?? false;
  events.subscribe((e) => {
    log(
      `event ${e.type}${e.clientId ? ` client=${e.clientId}` : ''}${e.user ? ` user=${e.user}` : ''} ${JSON.stringify(e.detail)}`,
    );
  });

  // Listen first: the default issuer of an ephemeral provider needs the actual port.
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end(
      JSON.stringify({
        error: 'temporarily_unavailable',
        error_description: 'the mock provider is starting',
      }),
    );
  };
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(requestedPort, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const issuer =
    options.issuer ??
    (requestedPort === 0 ? `http://127.0.0.1:${port}` : `http://localhost:${port}`);
  const url =
    options.issuer === undefined && requestedPort !== 0 ? issuer : `http://${urlHost}:${port}`;

  try {
    const provider = new Provider(
      issuer,
      buildConfiguration({
        clients,
        accounts,
        jwks: await testSigningJwks(),
        cookieKeys: cookieKeys(),
        misbehave,
        codeTtlSeconds: options.codeTtlSeconds ?? 60,
        accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
        refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 14 * 24 * 3600,
        renderError: makeRenderError(),
      }),
    );
    patchProvider(provider, misbehave);
    recordProviderEvents(provider, events, accounts);
    // Koa's default error listener prints stacks; route them through our log instead.
    provider.on('error', (err: Error) => log(`provider error: ${err.message}`));

    const app = express();
    app.disable('x-powered-by');
    app.set('trust proxy', false);
    const bodyLimit = `${limitBytes}b`;
    app.use(requestLogger(log));
    app.use(declaredLengthGuard(limitBytes));
    app.use('/__test', controlApi({ faults, misbehave, events, bodyLimit }));
    app.use(
      interactionRouter({
        provider,
        accounts,
        faults,
        events,
        csrf: new CsrfTokens(randomBytes(32)),
        headlessLogin: () => headless,
        bodyLimit,
      }),
    );
    app.use(endpointHooks({ provider, accounts, faults, events, misbehave, bodyLimit }));
    app.use(withReplayedBody(provider.callback()));
    app.use(errorHandler(events, log, limitBytes));
    handler = app;
  } catch (err) {
    await new Promise((resolve) => server.close(resolve));
    throw err;
  }

  log(`listening on ${url} (issuer ${issuer})`);
  let closed: Promise<void> | undefined;
  return {
    url,
    issuer,
    port,
    host,
    users,
    clients,
    faults,
    misbehave,
    events,
    setHeadlessLogin(enabled) {
      headless = enabled;
    },
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

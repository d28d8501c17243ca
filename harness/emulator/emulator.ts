import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  DEFAULT_HOST,
  DEFAULT_ISSUER,
  DEFAULT_PORTS,
  TEST_WEBHOOK_CLIENT_TOKEN,
} from '../../wire/defaults.ts';
import { assistantCertsRouter } from '../assistant/certs-router.ts';
import { VirtualDevice } from '../device/virtual-device.ts';
import type { httpLogin } from '../login/http-login.ts';
import type { RetryPolicy } from '../webhook/delivery.ts';
import { AgentDirectory } from './agent-directory.ts';
import { bcRouter } from './bc-routes.ts';
import { bearerAuth } from './bearer-auth.ts';
import { bmRouter } from './bm-routes.ts';
import {
  type Conversation,
  ConversationStore,
  conversationView,
  type TimelineEntry,
  type TimelineLimits,
} from './conversation-store.ts';
import { googleErrorHandler, notFoundHandler } from './error-handler.ts';
import { googleHostScope } from './host-scope.ts';
import { harnessRouter, type StartConversationInput, startConversation } from './harness-routes.ts';
import { DEFAULT_BODY_LIMIT, googleJsonBody } from './json-body.ts';
import {
  type KnownServiceAccount,
  loadServiceAccountKey,
  publicServiceAccount,
} from './service-account.ts';
import { tokenRouter } from './token-routes.ts';
import { WebhookSender } from './webhook-sender.ts';

export interface EmulatorOptions {
  /** 0 = ephemeral. Default 4020. */
  port?: number;
  host?: string;
  /** Initial `authorizationConfig.endpointUrl` of the agent. Default `http://localhost:4010/authorize`. */
  providerAuthorizeUrl?: string;
  /** Where user events go; overrides the partner webhook configured through the API. */
  agentWebhookUrl?: string;
  /** HMAC key of X-Goog-Signature. Default `test-client-token`. */
  clientToken?: string;
  agentName?: string;
  customAgentId?: string;
  /** Service-account key files whose public halves the token endpoint trusts. Default: the fixture. */
  serviceAccountKeyFiles?: string[];
  retry?: Partial<RetryPolicy>;
  bodyLimit?: string;
  /** Caps on timelines and conversations kept in memory (see TimelineLimits for defaults). */
  timelineLimits?: Partial<TimelineLimits>;
  /** Replaces the HTTP login walker (tests of the device itself). */
  login?: typeof httpLogin;
  loginTimeoutMs?: number;
  log?: Pick<Console, 'info' | 'warn' | 'error'>;
}

export interface Emulator {
  url: string;
  port: number;
  store: ConversationStore;
  directory: AgentDirectory;
  device: VirtualDevice;
  startConversation(input?: StartConversationInput): Conversation;
  /** The redacted timeline view, as GET /__harness/conversations/:id answers. */
  conversation(id: string): ReturnType<typeof conversationView> | undefined;
  /** Resolves with the first timeline entry whose kind starts with `kind`. */
  waitFor(conversationId: string, kind: string, timeoutMs?: number): Promise<TimelineEntry>;
  /**
   * Points user events at another webhook (or back at the partner webhook with undefined),
   * e.g. once an agent that needs this emulator's URL has started.
   */
  setAgentWebhookUrl(url: string | undefined): void;
  close(): Promise<void>;
}

export const BUSINESS_MESSAGES_SCOPE = 'https://www.googleapis.com/auth/businessmessages';
export const BUSINESS_COMMUNICATIONS_SCOPE =
  'https://www.googleapis.com/auth/businesscommunications';

/** Starts the Google-side emulator (SPEC §2; COMMON.md contract 3). */
export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const log = options.log ?? console;
  const clientToken = options.clientToken ?? TEST_WEBHOOK_CLIENT_TOKEN;
  const accounts: KnownServiceAccount[] = (options.serviceAccountKeyFiles ?? [undefined]).map(
    (file) => publicServiceAccount(loadServiceAccountKey(file)),
  );
  const store = new ConversationStore(options.timelineLimits);
  // One log line per timeline entry: what `npm run dev:all` shows. Summaries carry no secrets.
  store.on('entry', (conversationId: string | undefined, entry: TimelineEntry) => {
    const line = `[emulator]${conversationId ? ` ${conversationId}` : ''} ${entry.kind}: ${entry.summary}`;
    // A failing log sink must not fail the request or the sign-in that is being recorded.
    try {
      if (entry.level === 'error') log.error(`${line}`);
      else if (entry.level === 'warn') log.warn(`WARNING ${line}`);
      else log.info(line);
    } catch {
      // The entry is on the timeline already; only its log line is lost.
    }
  });
  const directory = new AgentDirectory({
    agentName: options.agentName,
    customAgentId: options.customAgentId,
    endpointUrl: options.providerAuthorizeUrl ?? `${DEFAULT_ISSUER}/authorize`,
  });
  let agentWebhookUrl = options.agentWebhookUrl;
  const sender = new WebhookSender({
    directory,
    store,
    clientToken: () => clientToken,
    webhookUrl: () => agentWebhookUrl,
    retry: options.retry,
  });
  const device = new VirtualDevice({
    store,
    directory,
    sender,
    login: options.login,
    loginTimeoutMs: options.loginTimeoutMs,
  });
  let baseUrl = '';

  const app = express();
  app.disable('x-powered-by');
  app.use(googleHostScope);
  app.use(assistantCertsRouter());
  app.use(
    tokenRouter({
      accounts: () => accounts,
      baseUrl: () => baseUrl,
      onToken: (event) =>
        store.record(undefined, {
          kind: event.ok ? 'token.issued' : 'token.rejected',
          level: event.ok ? 'info' : 'warn',
          summary: event.ok
            ? `access token for ${event.clientEmail} (${event.scopes?.join(' ')})`
            : `token request rejected: ${event.error}: ${event.description}`,
        }),
    }),
  );
  app.use(harnessRouter({ store, directory, sender, device }));
  app.use(
    '/v1/conversations',
    bearerAuth({
      scope: BUSINESS_MESSAGES_SCOPE,
      selfSignedAudience: () => ['https://businessmessages.googleapis.com/', `${baseUrl}/`],
      accounts: () => accounts,
    }),
  );
  app.use(
    ['/v1/brands', '/v1/partners'],
    bearerAuth({
      scope: BUSINESS_COMMUNICATIONS_SCOPE,
      selfSignedAudience: () => ['https://businesscommunications.googleapis.com/', `${baseUrl}/`],
      accounts: () => accounts,
    }),
  );
  app.use('/v1', googleJsonBody(options.bodyLimit ?? DEFAULT_BODY_LIMIT));
  app.use(
    bmRouter({
      store,
      onMessage: (conversation, message) => {
        const auth = message.suggestions?.find(
          (s) => s.authenticationRequest,
        )?.authenticationRequest;
        if (auth?.oauth) device.onAuthenticationRequest(conversation, auth.oauth);
      },
    }),
  );
  app.use(bcRouter({ directory, store, clientToken: () => clientToken }));
  app.use(notFoundHandler);
  app.use(googleErrorHandler(store, log));

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(
      options.port ?? DEFAULT_PORTS.emulator,
      options.host ?? DEFAULT_HOST,
      (err?: Error) => (err ? reject(err) : resolve(s)),
    );
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;

  return {
    url: baseUrl,
    port: address.port,
    store,
    directory,
    device,
    startConversation: (input = {}) =>
      startConversation({ store, directory, sender, device }, input),
    conversation: (id) => {
      const c = store.get(id);
      return c ? conversationView(c) : undefined;
    },
    waitFor: (conversationId, kind, timeoutMs) =>
      store.waitFor(conversationId, (e) => e.kind.startsWith(kind), timeoutMs),
    setAgentWebhookUrl: (url) => {
      agentWebhookUrl = url;
    },
    close: async () => {
      sender.close();
      // Pending long-polls (/wait) answer now instead of holding timers for up to a minute.
      store.close();
      await device.idle();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((err) => (err ? reject(err) : resolve())),
      );
    },
  };
}

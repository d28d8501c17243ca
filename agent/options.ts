import { join } from 'node:path';
import {
  DEFAULT_HOST,
  DEFAULT_ISSUER,
  DEFAULT_PORTS,
  DEFAULT_SCOPES,
  TEST_ASSISTANT_PROJECT_ID,
  TEST_CONFIDENTIAL_CLIENT,
  TEST_WEBHOOK_CLIENT_TOKEN,
} from '../wire/defaults.ts';
import { fixturePath } from '../wire/package-root.ts';
import type { AssistantCertsFormat } from './assistant/key-set.ts';
import type { Messenger, ServiceAccountKey } from './google/messenger.ts';
import type { AgentLogSink } from './log.ts';
import type { AgentStore } from './store/store.ts';

export interface AgentOptions {
  /** Default 4030; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * Business Messages API root passed to the `businessmessages` client as `rootUrl` (the
   * emulator URL). Undefined keeps https://businessmessages.googleapis.com/ — for running
   * under the harness's interception exactly like an unmodified agent.
   */
  googleRootUrl?: string;
  /** OAuth issuer (discovery at /.well-known/openid-configuration). */
  issuer?: string;
  clientId?: string;
  /** client_secret_basic secret; `null` makes the agent a public client (PKCE only). */
  clientSecret?: string | null;
  scopes?: readonly string[];
  /** Business Messages webhook client token (X-Goog-Signature key, handshake). */
  clientToken?: string;
  /** State store; when given, the caller owns (and closes) it. */
  store?: AgentStore;
  /** Directory of the default SQLite store (`<dataDir>/agent.sqlite`); default `.data`. */
  dataDir?: string;
  /** Assistant project id (the only accepted `aud`). */
  projectId?: string;
  /** Assistant certs: a JWKS (…/oauth2/v3/certs) or PEM map (…/oauth2/v1/certs) URL. */
  certsUrl?: string;
  certsFormat?: AssistantCertsFormat;
  /** Clock skew accepted on Assistant tokens, seconds (default 300, as google-auth-library). */
  clockToleranceSeconds?: number;
  /** Service-account key file used by google.auth.JWT. */
  serviceAccountKeyFile?: string;
  serviceAccount?: ServiceAccountKey;
  /** Replaces the Business Messages client (e.g. a recorder in unit tests). */
  messenger?: Messenger;
  /** fetch used towards the OAuth provider and certs URL. */
  fetch?: typeof fetch;
  /** Log sink; `false` keeps entries in memory only. Default: console. */
  log?: AgentLogSink | false;
  bodyLimit?: string;
  /** Fallback text of the sign-in message. */
  fallback?: string;
}

export const GOOGLE_CERTS_URL = 'https://www.googleapis.com/oauth2/v3/certs';

export function resolveAgentOptions(options: AgentOptions) {
  const googleRootUrl = options.googleRootUrl?.replace(/\/+$/, '');
  return {
    port: options.port ?? DEFAULT_PORTS.agent,
    host: options.host ?? DEFAULT_HOST,
    googleRootUrl,
    issuer: options.issuer ?? DEFAULT_ISSUER,
    clientId: options.clientId ?? TEST_CONFIDENTIAL_CLIENT.clientId,
    clientSecret:
      options.clientSecret === null
        ? undefined
        : (options.clientSecret ?? TEST_CONFIDENTIAL_CLIENT.clientSecret),
    scopes: options.scopes ?? DEFAULT_SCOPES,
    clientToken: options.clientToken ?? TEST_WEBHOOK_CLIENT_TOKEN,
    sqlitePath: join(options.dataDir ?? '.data', 'agent.sqlite'),
    projectId: options.projectId ?? TEST_ASSISTANT_PROJECT_ID,
    certsUrl:
      options.certsUrl ?? (googleRootUrl ? `${googleRootUrl}/oauth2/v3/certs` : GOOGLE_CERTS_URL),
    serviceAccountKeyFile: options.serviceAccountKeyFile ?? fixturePath('service-account.json'),
    fallback: options.fallback ?? 'Visit example.com to continue.',
  };
}

#!/usr/bin/env node
/**
 * Standalone reference agent: `npm run agent -- --help`.
 * Its service-account token request goes to https://oauth2.googleapis.com/token like any
 * agent's; run it under the harness interception (node --import, BM_HARNESS_EMULATOR) to
 * keep that request — and every other Google call — on the emulator.
 */
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_PORTS, EMULATOR_URL_ENV } from '../wire/defaults.ts';
import { createAgent } from './app.ts';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('not a port');
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('not a number of seconds');
  return n;
}

const env = process.env;
const program = new Command('bm-agent')
  .description('Reference Business Messages + Assistant agent for bm-oauth-harness')
  .option(
    '--port <port>',
    'port to listen on',
    port,
    Number(env.BM_AGENT_PORT ?? DEFAULT_PORTS.agent),
  )
  .option('--host <host>', 'interface to bind', env.BM_AGENT_HOST ?? '127.0.0.1')
  .option(
    '--google-root-url <url>',
    `Business Messages API root (emulator URL; env BM_AGENT_GOOGLE_ROOT_URL or ${EMULATOR_URL_ENV})`,
    env.BM_AGENT_GOOGLE_ROOT_URL ?? env[EMULATOR_URL_ENV],
  )
  .option('--issuer <url>', 'OAuth issuer (env BM_AGENT_ISSUER)', env.BM_AGENT_ISSUER)
  .option('--client-id <id>', 'OAuth client id (env BM_AGENT_CLIENT_ID)', env.BM_AGENT_CLIENT_ID)
  .option(
    '--client-secret <secret>',
    'OAuth client secret (env BM_AGENT_CLIENT_SECRET)',
    env.BM_AGENT_CLIENT_SECRET,
  )
  .option('--public-client', 'no client secret: a public client using PKCE only')
  .option(
    '--client-token <token>',
    'webhook client token (env BM_AGENT_CLIENT_TOKEN)',
    env.BM_AGENT_CLIENT_TOKEN,
  )
  .option(
    '--project-id <id>',
    'Assistant project id (env BM_AGENT_PROJECT_ID)',
    env.BM_AGENT_PROJECT_ID,
  )
  .option(
    '--certs-url <url>',
    'Assistant certs URL, JWKS or PEM map (env BM_AGENT_CERTS_URL)',
    env.BM_AGENT_CERTS_URL,
  )
  .option('--clock-tolerance <seconds>', 'Assistant token clock skew', seconds)
  .option(
    '--data-dir <dir>',
    'directory of agent.sqlite (env BM_AGENT_DATA_DIR)',
    env.BM_AGENT_DATA_DIR ?? '.data',
  )
  .option(
    '--service-account-key <file>',
    'service-account key file (env BM_AGENT_SERVICE_ACCOUNT_KEY)',
    env.BM_AGENT_SERVICE_ACCOUNT_KEY,
  )
  .showHelpAfterError();

program.parse();
const opts = program.opts<{
  port: number;
  host: string;
  googleRootUrl?: string;
  issuer?: string;
  clientId?: string;
  clientSecret?: string;
  publicClient?: boolean;
  clientToken?: string;
  projectId?: string;
  certsUrl?: string;
  clockTolerance?: number;
  dataDir: string;
  serviceAccountKey?: string;
}>();

try {
  const agent = await createAgent({
    port: opts.port,
    host: opts.host,
    googleRootUrl: opts.googleRootUrl,
    issuer: opts.issuer,
    clientId: opts.clientId,
    clientSecret: opts.publicClient ? null : opts.clientSecret,
    clientToken: opts.clientToken,
    projectId: opts.projectId,
    certsUrl: opts.certsUrl,
    clockToleranceSeconds: opts.clockTolerance,
    dataDir: opts.dataDir,
    serviceAccountKeyFile: opts.serviceAccountKey,
  });
  console.log(`agent ready: webhook ${agent.webhookUrl}, assistant ${agent.assistantUrl}`);
  const stop = () => {
    agent.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  console.error(`bm-agent: ${(err as Error).message}`);
  process.exitCode = 2;
}

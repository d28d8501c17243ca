#!/usr/bin/env node
/**
 * Standalone reference agent: `npm run agent -- --help`.
 * Its service-account token request goes to https://oauth2.googleapis.com/token like any
 * agent's; run it under the harness interception (node --import, BM_HARNESS_EMULATOR) to
 * keep that request — and every other Google call — on the emulator.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
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

const opt = (flags: string, description: string, envName?: string) => {
  const option = new Option(flags, description);
  return envName ? option.env(envName) : option;
};

// commander reads each BM_AGENT_* variable when its flag is absent (and parses it the same way).
const program = new Command('bm-agent')
  .description('Reference Business Messages + Assistant agent for bm-oauth-harness')
  .addOption(
    opt('--port <port>', 'port to listen on', 'BM_AGENT_PORT')
      .argParser(port)
      .default(DEFAULT_PORTS.agent),
  )
  .addOption(opt('--host <host>', 'interface to bind', 'BM_AGENT_HOST').default('127.0.0.1'))
  .addOption(
    opt(
      '--google-root-url <url>',
      `Business Messages API root, the emulator URL (default: $${EMULATOR_URL_ENV})`,
      'BM_AGENT_GOOGLE_ROOT_URL',
    ),
  )
  .addOption(opt('--issuer <url>', 'OAuth issuer', 'BM_AGENT_ISSUER'))
  .addOption(opt('--client-id <id>', 'OAuth client id', 'BM_AGENT_CLIENT_ID'))
  .addOption(opt('--client-secret <secret>', 'OAuth client secret', 'BM_AGENT_CLIENT_SECRET'))
  .addOption(opt('--public-client', 'no client secret: a public client using PKCE only'))
  .addOption(opt('--client-token <token>', 'webhook client token', 'BM_AGENT_CLIENT_TOKEN'))
  .addOption(opt('--project-id <id>', 'Assistant project id', 'BM_AGENT_PROJECT_ID'))
  .addOption(opt('--certs-url <url>', 'Assistant certs URL, JWKS or PEM map', 'BM_AGENT_CERTS_URL'))
  .addOption(
    opt(
      '--clock-tolerance <seconds>',
      'Assistant token clock skew',
      'BM_AGENT_CLOCK_TOLERANCE',
    ).argParser(seconds),
  )
  .addOption(
    opt('--data-dir <dir>', 'directory of agent.sqlite', 'BM_AGENT_DATA_DIR').default('.data'),
  )
  .addOption(
    opt('--service-account-key <file>', 'service-account key file', 'BM_AGENT_SERVICE_ACCOUNT_KEY'),
  )
  .showHelpAfterError()
  .exitOverride((err) => {
    // Usage and configuration errors exit 2, as the bm-harness CLI does.
    process.exit(err.exitCode === 0 ? 0 : 2);
  });

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
    googleRootUrl: opts.googleRootUrl ?? process.env[EMULATOR_URL_ENV],
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

import { Command } from 'commander';
import {
  DEFAULT_HOST,
  DEFAULT_ISSUER,
  DEFAULT_PORTS,
  TEST_WEBHOOK_CLIENT_TOKEN,
} from '../../wire/defaults.ts';
import { createEmulator, type Emulator, type EmulatorOptions } from './emulator.ts';

export const EMULATOR_ENV = {
  port: 'BM_EMULATOR_PORT',
  host: 'BM_EMULATOR_HOST',
  providerAuthorizeUrl: 'BM_PROVIDER_AUTHORIZE_URL',
  webhookUrl: 'BM_AGENT_WEBHOOK_URL',
  clientToken: 'BM_CLIENT_TOKEN',
} as const;

export const DEFAULT_AGENT_WEBHOOK_URL = `http://${DEFAULT_HOST}:${DEFAULT_PORTS.agent}/webhook`;

interface CliFlags {
  port?: string;
  host?: string;
  providerAuthorizeUrl?: string;
  webhookUrl?: string;
  clientToken?: string;
  maxAttempts?: string;
}

export class EmulatorCliError extends Error {
  readonly code = 'EMULATOR_CONFIG';
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new EmulatorCliError(`invalid port ${JSON.stringify(value)}`);
  return port;
}

/** Options from defaults < environment < flags. */
export function resolveEmulatorOptions(flags: CliFlags, env: NodeJS.ProcessEnv): EmulatorOptions {
  const port = flags.port ?? env[EMULATOR_ENV.port];
  const maxAttempts = flags.maxAttempts === undefined ? undefined : Number(flags.maxAttempts);
  if (maxAttempts !== undefined && !(Number.isInteger(maxAttempts) && maxAttempts >= 1)) {
    throw new EmulatorCliError('--max-attempts must be a positive integer');
  }
  return {
    port: port === undefined ? DEFAULT_PORTS.emulator : parsePort(port),
    host: flags.host ?? env[EMULATOR_ENV.host] ?? DEFAULT_HOST,
    providerAuthorizeUrl:
      flags.providerAuthorizeUrl ??
      env[EMULATOR_ENV.providerAuthorizeUrl] ??
      `${DEFAULT_ISSUER}/authorize`,
    agentWebhookUrl: flags.webhookUrl ?? env[EMULATOR_ENV.webhookUrl] ?? DEFAULT_AGENT_WEBHOOK_URL,
    clientToken: flags.clientToken ?? env[EMULATOR_ENV.clientToken] ?? TEST_WEBHOOK_CLIENT_TOKEN,
    ...(maxAttempts ? { retry: { maxAttempts } } : {}),
  };
}

/** The standalone `npm run emulator` command. */
export function emulatorCommand(onStarted?: (emulator: Emulator) => void): Command {
  return new Command('bm-emulator')
    .description(
      'Google-side emulator: Business Messages + Business Communications APIs, token/certs endpoints, virtual device.',
    )
    .option(
      '-p, --port <port>',
      `port, 0 = ephemeral (env ${EMULATOR_ENV.port}; default ${DEFAULT_PORTS.emulator})`,
    )
    .option('--host <host>', `bind address (env ${EMULATOR_ENV.host}; default ${DEFAULT_HOST})`)
    .option(
      '--provider-authorize-url <url>',
      `initial agent authorizationConfig.endpointUrl (env ${EMULATOR_ENV.providerAuthorizeUrl}; default ${DEFAULT_ISSUER}/authorize)`,
    )
    .option(
      '--webhook-url <url>',
      `agent webhook for user events (env ${EMULATOR_ENV.webhookUrl}; default ${DEFAULT_AGENT_WEBHOOK_URL})`,
    )
    .option(
      '--client-token <token>',
      `X-Goog-Signature key (env ${EMULATOR_ENV.clientToken}; default ${TEST_WEBHOOK_CLIENT_TOKEN})`,
    )
    .option('--max-attempts <n>', 'webhook delivery attempts before giving up (default 5)')
    .action(async (flags: CliFlags) => {
      let emulator: Emulator;
      try {
        emulator = await createEmulator(resolveEmulatorOptions(flags, process.env));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const known = err instanceof EmulatorCliError || code === 'EADDRINUSE' || code === 'EACCES';
        process.stderr.write(`bm-emulator: ${(err as Error).message}\n`);
        process.exitCode = known ? 2 : 1;
        return;
      }
      process.stdout.write(
        `emulator ready: ${emulator.url} (harness API ${emulator.url}/__harness/conversations)\n`,
      );
      onStarted?.(emulator);
      const stop = () => {
        emulator.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

import { Command } from 'commander';
import { DEFAULT_HOST, DEFAULT_ISSUER, DEFAULT_PORTS } from '../wire/defaults.ts';
import { loadProviderConfigFile, parseIntOption } from './config-file.ts';
import { MockProviderError } from './errors.ts';
import { createMockProvider, type MockProvider, type MockProviderOptions } from './index.ts';

export const PROVIDER_ENV = {
  port: 'BM_PROVIDER_PORT',
  host: 'BM_PROVIDER_HOST',
  issuer: 'BM_PROVIDER_ISSUER',
  config: 'BM_PROVIDER_CONFIG',
} as const;

interface CliFlags {
  port?: string;
  host?: string;
  issuer?: string;
  config?: string;
  codeTtl?: string;
  headlessLogin?: boolean;
  quiet?: boolean;
}

/** Options from defaults < config file < environment < flags. */
export function resolveProviderOptions(
  flags: CliFlags,
  env: NodeJS.ProcessEnv,
): MockProviderOptions {
  const configFile = flags.config ?? env[PROVIDER_ENV.config];
  const options: MockProviderOptions = configFile ? loadProviderConfigFile(configFile) : {};
  const port = flags.port ?? env[PROVIDER_ENV.port];
  if (port !== undefined) {
    const filePort = options.port ?? DEFAULT_PORTS.provider;
    options.port = parseIntOption(port, 'port', 0, 65535);
    // A file issuer that merely spells out the default for the file's port follows the port
    // override; otherwise `--port 0` would announce http://localhost:4010 as the issuer (and
    // every endpoint in discovery) while listening somewhere else.
    if (options.port !== filePort && options.issuer === `http://localhost:${filePort}`) {
      delete options.issuer;
    }
  }
  const host = flags.host ?? env[PROVIDER_ENV.host];
  if (host) options.host = host;
  const issuer = flags.issuer ?? env[PROVIDER_ENV.issuer];
  if (issuer) options.issuer = issuer;
  if (flags.codeTtl !== undefined)
    options.codeTtlSeconds = parseIntOption(flags.codeTtl, '--code-ttl', 1);
  if (flags.headlessLogin) options.headlessLogin = true;
  if (flags.quiet) options.quiet = true;
  return options;
}

/** The standalone `npm run provider` command. */
export function providerCommand(onStarted?: (provider: MockProvider) => void): Command {
  return new Command('bm-mock-provider')
    .description(
      'Mock OAuth 2.0 / OpenID Connect provider for Business Messages sign-in tests (TEST ONLY keys and users).',
    )
    .option(
      '-p, --port <port>',
      `port, 0 = ephemeral (env ${PROVIDER_ENV.port}; default ${DEFAULT_PORTS.provider})`,
    )
    .option('--host <host>', `bind address (env ${PROVIDER_ENV.host}; default ${DEFAULT_HOST})`)
    .option('--issuer <url>', `issuer URL (env ${PROVIDER_ENV.issuer}; default ${DEFAULT_ISSUER})`)
    .option(
      '-c, --config <file>',
      `JSON config file, see provider.config.example.json (env ${PROVIDER_ENV.config})`,
    )
    .option('--code-ttl <seconds>', 'authorization code lifetime (default 60)')
    .option(
      '--headless-login',
      'let login_hint=<user> sign in and consent without pages (default off)',
    )
    .option('-q, --quiet', 'no request/event log lines on stderr')
    .action(async (flags: CliFlags) => {
      let provider: MockProvider;
      try {
        provider = await createMockProvider(resolveProviderOptions(flags, process.env));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const known =
          err instanceof MockProviderError || code === 'EADDRINUSE' || code === 'EACCES';
        process.stderr.write(`bm-mock-provider: ${(err as Error).message}\n`);
        process.exitCode = known ? 2 : 1;
        return;
      }
      process.stdout.write(
        `mock provider ready: ${provider.url} (issuer ${provider.issuer}; discovery ${provider.issuer}/.well-known/openid-configuration)\n`,
      );
      onStarted?.(provider);
      const stop = () => {
        provider.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

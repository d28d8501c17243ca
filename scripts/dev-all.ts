/**
 * `npm run dev:all`: provider, emulator and reference agent as three processes under
 * `concurrently`, wired to each other, with one ready block once all three answer.
 */
import { Command } from 'commander';
import { concurrently } from 'concurrently';
import { DEFAULT_HOST, DEFAULT_PORTS, EMULATOR_URL_ENV } from '../wire/defaults.ts';
import { waitUntilAnswering } from './wait-until-answering.ts';

const program = new Command('dev:all')
  .description('Run the mock provider, the Google-side emulator and the reference agent together.')
  .option(
    '--provider-port <port>',
    'mock provider port',
    envOr('BM_PROVIDER_PORT', DEFAULT_PORTS.provider),
  )
  .option(
    '--emulator-port <port>',
    'emulator port',
    envOr('BM_EMULATOR_PORT', DEFAULT_PORTS.emulator),
  )
  .option(
    '--agent-port <port>',
    'reference agent port',
    envOr('BM_AGENT_PORT', DEFAULT_PORTS.agent),
  )
  .option('--host <host>', 'interface to bind', process.env.BM_HOST ?? DEFAULT_HOST)
  .option(
    '--webhook-url <url>',
    'deliver to your own agent webhook instead of starting the reference agent',
    process.env.BM_AGENT_WEBHOOK_URL,
  )
  .option('--ready-timeout <ms>', 'give up waiting for the services after this long', '20000')
  .parse();

const opts = program.opts<{
  providerPort: string;
  emulatorPort: string;
  agentPort: string;
  host: string;
  readyTimeout: string;
  webhookUrl?: string;
}>();

function envOr(name: string, fallback: number): string {
  return process.env[name] ?? String(fallback);
}

const startedAt = performance.now();
const node = JSON.stringify(process.execPath);
const issuer = `http://localhost:${opts.providerPort}`;
const emulatorUrl = `http://${opts.host}:${opts.emulatorPort}`;
const agentUrl = `http://${opts.host}:${opts.agentPort}`;
const webhookUrl = opts.webhookUrl ?? `${agentUrl}/webhook`;

const allServices = [
  {
    name: 'provider',
    prefixColor: 'magenta',
    command: `${node} mock-provider/main.ts --port ${opts.providerPort} --host ${opts.host} --issuer ${issuer}`,
    probe: `${issuer}/.well-known/openid-configuration`,
  },
  {
    name: 'emulator',
    prefixColor: 'cyan',
    command: `${node} harness/emulator/main.ts --port ${opts.emulatorPort} --host ${opts.host} --provider-authorize-url ${issuer}/authorize --webhook-url ${webhookUrl}`,
    probe: `${emulatorUrl}/__harness/health`,
  },
  {
    name: 'agent',
    prefixColor: 'green',
    command: `${node} --import ./harness/intercept/preload.ts agent/main.ts --port ${opts.agentPort} --host ${opts.host} --issuer ${issuer} --google-root-url ${emulatorUrl}`,
    probe: `${agentUrl}/healthz`,
    env: { [EMULATOR_URL_ENV]: emulatorUrl },
  },
];

// With your own webhook, the reference agent stays off; your agent runs under the preload.
const services = opts.webhookUrl ? allServices.filter((s) => s.name !== 'agent') : allServices;

const { result, commands } = concurrently(
  services.map(({ name, prefixColor, command, env }) => ({ name, prefixColor, command, env })),
  { prefix: 'name', killOthersOn: ['failure'], handleInput: false },
);

try {
  await waitUntilAnswering(
    services.map((s) => s.probe),
    Number(opts.readyTimeout),
  );
  const ms = Math.round(performance.now() - startedAt);
  console.log(
    [
      '',
      `bm-oauth-harness is ready in ${ms} ms`,
      `  provider  ${issuer}  (discovery ${issuer}/.well-known/openid-configuration)`,
      `  emulator  ${emulatorUrl}  (timelines ${emulatorUrl}/__harness/conversations)`,
      opts.webhookUrl
        ? `  your agent webhook  ${webhookUrl}  (run your agent with: ${EMULATOR_URL_ENV}=${emulatorUrl} node --import bm-oauth-harness/intercept your-agent.js)`
        : `  agent     ${agentUrl}  (webhook ${agentUrl}/webhook, assistant ${agentUrl}/assistant)`,
      '',
      'Try: npm run cli -- simulate --user alice   (bm-harness simulate, once installed)',
      'Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );
} catch (error) {
  console.error(`dev:all: ${(error as Error).message}`);
  for (const command of commands) command.kill();
  process.exitCode = 1;
}

result.then(
  () => undefined,
  (events: { command: { name: string }; exitCode: number | string }[]) => {
    const failed = events.filter((e) => e.exitCode !== 0 && e.exitCode !== 'SIGINT');
    for (const e of failed)
      console.error(`dev:all: ${e.command.name} stopped (exit ${e.exitCode})`);
    process.exitCode = 1;
  },
);

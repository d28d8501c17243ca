/**
 * Bench child: an Assistant conversational webhook to load, on an ephemeral loopback port.
 *   node scripts/bench/servers/assistant-target.ts ours|official
 * `ours`: the reference agent's /assistant (certs from an emulator in this process).
 * `official`: an @assistant/conversation app as Google's docs write it, under the harness
 * interception so that its certs fetch (www.googleapis.com/oauth2/v1/certs) reaches the
 * emulator. Prints {"ready":true,"url":...}; stops on SIGTERM.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAgent, MemoryAgentStore } from '../../../agent/index.ts';
import { createEmulator } from '../../../harness/emulator/index.ts';
import { TEST_ASSISTANT_PROJECT_ID } from '../../../wire/defaults.ts';

const kind = process.argv[2];
const quiet = { info() {}, warn() {}, error() {} };
const emulator = await createEmulator({ port: 0, log: quiet });
const closers: (() => Promise<void> | void)[] = [() => emulator.close()];
let url: string;

if (kind === 'ours') {
  const agent = await createAgent({
    port: 0,
    googleRootUrl: emulator.url,
    store: new MemoryAgentStore(),
    log: false,
  });
  closers.unshift(() => agent.close());
  url = agent.assistantUrl;
} else if (kind === 'official') {
  const { installInterception } = await import('../../../harness/intercept/index.ts');
  const { conversation } = await import('@assistant/conversation');
  const { default: express } = await import('express');
  const interception = installInterception({ emulatorUrl: emulator.url, log: () => {} });
  const app = conversation({ verification: TEST_ASSISTANT_PROJECT_ID });
  app.handle('greeting', (conv) => {
    conv.add('Hello from the official library');
  });
  const server: Server = express().use(express.json(), app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closers.unshift(
    () => new Promise<void>((resolve) => server.close(() => resolve())),
    () => interception.uninstall(),
  );
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
} else {
  process.stderr.write('usage: assistant-target.ts ours|official\n');
  process.exit(2);
}

process.on('SIGTERM', () => {
  void (async () => {
    for (const close of closers) await close();
    process.exit(0);
  })();
});
process.stdout.write(`${JSON.stringify({ ready: true, kind, url, pid: process.pid })}\n`);

import { createServer } from 'node:net';
import { type Agent, createAgent } from '../../agent/index.ts';
import { createEmulator, type Emulator } from '../../harness/emulator/index.ts';
import { type Interception, installInterception } from '../../harness/intercept/index.ts';
import type { RetryPolicy } from '../../harness/webhook/delivery.ts';
import { createMockProvider, type MockProvider } from '../../mock-provider/index.ts';
import { LedgerAgentStore } from './ledger-store.ts';

const SILENT = { info() {}, warn() {}, error() {} };
const HOST = '127.0.0.1';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface LoadHarness {
  provider: MockProvider;
  emulator: Emulator;
  store: LedgerAgentStore;
  agent(): Agent | undefined;
  /** Stops the reference agent, waits `downMs`, starts a new one on the same port and store. */
  restartAgent(downMs: number): Promise<void>;
  restarts: number;
  close(): Promise<void>;
}

/**
 * Provider, emulator and reference agent in process, like startHarness(), but with the
 * agent on a fixed port (so it can be restarted while the emulator keeps delivering to it),
 * a ledger store that outlives restarts, and a retry policy short enough for a test run.
 */
export async function startLoadHarness(
  options: { retry?: Partial<RetryPolicy> } = {},
): Promise<LoadHarness> {
  const provider = await createMockProvider({ port: 0, host: HOST, quiet: true });
  const agentPort = await freePort();
  const emulator = await createEmulator({
    port: 0,
    host: HOST,
    log: SILENT,
    providerAuthorizeUrl: `${provider.issuer}/authorize`,
    agentWebhookUrl: `http://${HOST}:${agentPort}/webhook`,
    retry: {
      maxAttempts: 12,
      initialDelayMs: 50,
      maxDelayMs: 1000,
      timeoutMs: 5000,
      ...options.retry,
    },
  });
  const interception: Interception = installInterception({
    emulatorUrl: emulator.url,
    log: () => {},
  });
  // One waiter per conversation in flight; more than EventEmitter's default 10 is expected.
  emulator.store.setMaxListeners(0);
  const store = new LedgerAgentStore();
  const start = () =>
    createAgent({
      port: agentPort,
      host: HOST,
      googleRootUrl: emulator.url,
      issuer: provider.issuer,
      store,
      log: false,
    });
  let agent: Agent | undefined = await start();
  const harness: LoadHarness = {
    provider,
    emulator,
    store,
    agent: () => agent,
    restarts: 0,
    async restartAgent(downMs) {
      const old = agent;
      agent = undefined;
      await old?.close();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      agent = await start();
      harness.restarts++;
    },
    async close() {
      await agent?.close();
      await emulator.close();
      interception.uninstall();
      await provider.close();
      store.dispose();
    },
  };
  return harness;
}

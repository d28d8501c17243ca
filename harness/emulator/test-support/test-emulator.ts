import { createEmulator, type Emulator, type EmulatorOptions } from '../emulator.ts';
import { serviceAccountToken } from './service-account-token.ts';
import { type StubWebhook, startStubWebhook } from './stub-webhook.ts';

export interface TestEmulator {
  emulator: Emulator;
  /** Where the emulator delivers, unless `agentWebhookUrl` is overridden. */
  webhook: StubWebhook;
  /** Service-account access token for the emulated Google APIs. */
  token: string;
  close(): Promise<void>;
}

/** An ephemeral, silent emulator delivering to a stub webhook; options override the defaults. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const webhook = await startStubWebhook();
  const emulator = await createEmulator({
    port: 0,
    agentWebhookUrl: webhook.url,
    log: { info() {}, warn() {}, error() {} },
    ...options,
  });
  const token = await serviceAccountToken(emulator.url);
  return {
    emulator,
    webhook,
    token,
    async close() {
      await emulator.close();
      await webhook.close();
    },
  };
}

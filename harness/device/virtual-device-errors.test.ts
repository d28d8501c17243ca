import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, createEmulator } from '../emulator/emulator.ts';
import { serviceAccountToken } from '../emulator/test-support/service-account-token.ts';
import { postAgentMessage, signInMessage } from '../emulator/test-support/agent-api.ts';

/** Failures around the device that must not take the emulator's process down. */
let emulator: Emulator;
let token: string;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  emulator = await createEmulator({
    port: 0,
    retry: { maxAttempts: 1 },
    log: {
      info() {},
      warn() {},
      // A log sink that fails (a closed stream, say) while the device records its error.
      error() {
        throw new Error('log sink closed');
      },
    },
    login: async () => {
      throw new Error('walker blew up');
    },
  });
  token = await serviceAccountToken(emulator.url);
});
afterAll(async () => {
  await emulator.close();
  process.off('unhandledRejection', onUnhandled);
});

describe('virtual device failures', () => {
  it('a sign-in whose error cannot even be logged leaves no unhandled rejection', async () => {
    const c = emulator.startConversation({ behavior: 'tap' });
    const res = await postAgentMessage(emulator.url, token, c.id, signInMessage('m'));
    expect(res.status).toBe(200);
    await emulator.device.idle();
    await new Promise((r) => setTimeout(r, 20));
    expect(unhandled).toEqual([]);
    expect(emulator.conversation(c.id)!.authState).toBe('failed');
    expect(emulator.conversation(c.id)!.timeline.some((e) => e.kind === 'device.error')).toBe(true);
  });
});

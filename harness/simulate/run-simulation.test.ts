import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_MESSAGES_REDIRECT_URIS } from '../../wire/redirect-uris.ts';
import { type Harness, startHarness } from '../start/start-harness.ts';
import { runSimulation, SimulationSetupError } from './run-simulation.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('runSimulation against the in-process stack', () => {
  it.each(BUSINESS_MESSAGES_REDIRECT_URIS)('signs in through %s', async (redirectUri) => {
    const r = await runSimulation({ emulatorUrl: h.urls.emulator, user: 'bob', redirectUri });
    expect(r.reason).toBe('signed in as Bob');
    expect(r.ok).toBe(true);
    expect(r.agentReply).toMatch(/signed in as Bob/i);
    expect(r.steps.some((s) => s.kind === 'device.redirect')).toBe(true);
    // Secrets stay out of what the CLI prints.
    expect(JSON.stringify(r.steps)).not.toMatch(/[?&]code=[A-Za-z0-9_-]{20,}/);
  });

  it('reports a denial as ok when a denial was asked for', async () => {
    const r = await runSimulation({ emulatorUrl: h.urls.emulator, expect: 'denied' });
    expect(r).toMatchObject({ ok: true, expected: 'denied' });
  });

  it('reports an abandoned sign-in as ok when asked for, with nothing posted', async () => {
    const r = await runSimulation({ emulatorUrl: h.urls.emulator, expect: 'abandoned' });
    expect(r.ok).toBe(true);
    expect(r.steps.some((s) => s.what.startsWith('authenticationResponse'))).toBe(false);
  });

  it('fails when the flow does not end as asked (the provider scripts a denial)', async () => {
    h.provider.faults.add({ kind: 'user-denies', user: 'alice', times: 1 });
    const r = await runSimulation({ emulatorUrl: h.urls.emulator, user: 'alice' });
    expect(r.ok).toBe(false);
    expect(r.user?.authState).toBe('failed');
  });

  it('says how to fix it when the emulator is not running', async () => {
    await expect(runSimulation({ emulatorUrl: 'http://127.0.0.1:9' })).rejects.toThrow(
      SimulationSetupError,
    );
  });
});

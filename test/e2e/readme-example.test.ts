// The "startHarness in vitest" example of README.md, kept runnable here. In your project,
// import from 'bm-oauth-harness' instead of '../../index.ts'.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Harness, startHarness } from '../../index.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness(); // provider + emulator + reference agent, ephemeral ports
});
afterAll(() => harness.close());

test('alice signs in and the agent greets her by name', async () => {
  const outcome = await harness.converse({ user: 'alice' });
  expect(outcome.ok).toBe(true);
  expect(outcome.agentReply).toBe('Signed in as Alice Example.');
});

test('bob says no, and the agent offers to try again', async () => {
  const outcome = await harness.converse({ user: 'bob', behavior: 'deny' });
  expect(outcome.ok).toBe(true);
  expect(outcome.agentReply).toMatch(/ACCESS_DENIED/);
});

test('a provider outage on the token endpoint is survived', async () => {
  harness.provider.faults.add({ kind: 'token-server-error', times: 1 });
  const outcome = await harness.converse({ user: 'alice' });
  expect(outcome.ok).toBe(false); // the flow did not end signed in…
  expect(outcome.agentReply).not.toMatch(/Signed in/); // …and the agent said so
});

/**
 * 50 conversations at once through one in-process harness (issue 5): every user signs in as
 * themself — no greeting or signed-in subject crosses from one conversation to another.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MockUser } from '../../mock-provider/index.ts';
import { type Harness, startHarness } from '../../harness/start/start-harness.ts';
import { agentTexts, until } from './wait.ts';

const USERS: MockUser[] = Array.from({ length: 50 }, (_, i) => {
  const n = String(i + 1).padStart(2, '0');
  return {
    username: `user${n}`,
    password: `password-${n}`,
    sub: `sub-${n}`,
    claims: { name: `User ${n}`, given_name: `User${n}`, email: `user${n}@example.test` },
  };
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ provider: { users: USERS } });
});
afterAll(async () => {
  await h?.close();
});

it('signs in 50 users concurrently with no cross-talk', async () => {
  const conversations = USERS.map((u) => ({
    user: u,
    id: h.emulator.startConversation({
      user: u.username,
      password: u.password,
      displayName: String(u.claims.name),
    }).id,
  }));
  await Promise.all(
    conversations.map(({ user, id }) =>
      until(
        () => agentTexts(h, id).some((t) => t.includes(`Signed in as ${user.claims.name}`)),
        `${user.username} greeted in ${id}`,
        60_000,
      ),
    ),
  );
  for (const { user, id } of conversations) {
    expect(h.agent!.store.getSignedIn(id)?.subject).toBe(user.sub);
    const others = agentTexts(h, id).filter((t) => /Signed in as/.test(t));
    expect(others).toEqual([`Signed in as ${user.claims.name}.`]);
  }
}, 90_000);

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConversationStore,
  conversationView,
  DEFAULT_TIMELINE_LIMITS,
} from './conversation-store.ts';
import { type Emulator, createEmulator } from './emulator.ts';
import { serviceAccountToken } from './test-support/service-account-token.ts';
import { postAgentMessage, signInMessage } from './test-support/agent-api.ts';

const user = { username: 'alice', password: 'p', displayName: 'Alice', locale: 'en' };
const open = (store: ConversationStore) =>
  store.create({
    agent: 'a',
    user,
    behavior: 'tap',
    redirectUri: 'https://business.google.com/callback',
  });

describe('ConversationStore caps', () => {
  it('keeps the head and the newest entries of a long timeline, and says how many it dropped', () => {
    const store = new ConversationStore({ maxEntriesPerConversation: 10, keepHead: 3 });
    const c = open(store);
    for (let i = 0; i < 25; i++) store.record(c.id, { kind: `k.${i}`, summary: `entry ${i}` });
    expect(c.timeline).toHaveLength(10);
    expect(c.timeline.slice(0, 3).map((e) => e.kind)).toEqual(['k.0', 'k.1', 'k.2']);
    expect(c.timeline[3]).toMatchObject({ kind: 'timeline.truncated', data: { dropped: 16 } });
    expect(c.timeline.slice(4).map((e) => e.kind)).toEqual([
      'k.19',
      'k.20',
      'k.21',
      'k.22',
      'k.23',
      'k.24',
    ]);
    expect(conversationView(c).droppedEntries).toBe(16);
    // Order of seq is preserved around the marker.
    const seqs = c.timeline.map((e) => e.seq);
    expect(seqs.slice(4)).toEqual([...seqs.slice(4)].sort((a, b) => a - b));
  });

  it('evicts the oldest finished conversation first, then the oldest of all', () => {
    const store = new ConversationStore({ maxConversations: 3 });
    const evicted: string[] = [];
    store.on('evicted', (id: string) => evicted.push(id));
    const [a, b, c] = [open(store), open(store), open(store)];
    b.authState = 'succeeded';
    const d = open(store);
    expect(evicted).toEqual([b.id]);
    expect(store.get(b.id)).toBeUndefined();
    expect(store.list().map((x) => x.id)).toEqual([a.id, c.id, d.id]);
    open(store);
    expect(evicted).toEqual([b.id, a.id]);
    expect(store.list()).toHaveLength(3);
    expect(store.general.filter((e) => e.kind === 'conversation.evicted')).toHaveLength(2);
    expect(store.general.at(-1)!.level).toBe('warn');
  });

  it('masks secret URL parameters in summaries (the log prints them)', () => {
    const store = new ConversationStore();
    const c = open(store);
    const lines: string[] = [];
    store.on('entry', (_id: string | undefined, e: { summary: string }) => lines.push(e.summary));
    store.record(c.id, {
      kind: 'device.error',
      summary: 'stopped at https://business.google.com/callback?code=SECRETCODE42&state=s1',
    });
    expect(lines.join()).not.toContain('SECRETCODE42');
    expect(c.timeline[0]!.summary).toContain('state=s1');
  });

  it('keeps the newest message bodies; older messages keep id and name', () => {
    const store = new ConversationStore({ maxMessageBodiesPerConversation: 2 });
    const c = open(store);
    for (const id of ['m1', 'm2', 'm3']) {
      store.addMessage(c, id, {
        name: `conversations/${c.id}/messages/${id}`,
        body: { text: 'x'.repeat(1000) },
        createTime: 't',
      });
    }
    expect(c.messages.has('m1')).toBe(true);
    expect(conversationView(c).messages.map((m) => ('text' in m ? 'body' : 'dropped'))).toEqual([
      'dropped',
      'body',
      'body',
    ]);
    expect(conversationView(c).messages[0]).toMatchObject({
      name: `conversations/${c.id}/messages/m1`,
      bodyDropped: true,
    });
  });

  it('caps the general log', () => {
    const store = new ConversationStore({ maxGeneralEntries: 5 });
    for (let i = 0; i < 12; i++) store.record(undefined, { kind: 'token.issued', summary: `${i}` });
    expect(store.general.map((e) => e.summary)).toEqual(['7', '8', '9', '10', '11']);
    expect(store.generalDropped).toBe(7);
  });

  it('serves many concurrent waiters without listener warnings, and forgets them after', async () => {
    const store = new ConversationStore();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const conversations = Array.from({ length: 30 }, () => open(store));
      const waits = conversations.flatMap((c) => [
        store.waitFor(c.id, (e) => e.kind === 'done'),
        store.waitFor(c.id, (e) => e.kind === 'done'),
      ]);
      const timedOut = store.waitFor(conversations[0]!.id, (e) => e.kind === 'never', 5);
      await expect(timedOut).rejects.toThrow(/timed out/);
      for (const c of conversations) store.record(c.id, { kind: 'done', summary: c.id });
      const entries = await Promise.all(waits);
      expect(entries.map((e) => e.summary)).toEqual(conversations.flatMap((c) => [c.id, c.id]));
      expect(store.waitingConversations).toBe(0);
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('has documented defaults and refuses nonsense', () => {
    expect(new ConversationStore().limits).toEqual(DEFAULT_TIMELINE_LIMITS);
    expect(() => new ConversationStore({ maxEntriesPerConversation: 3, keepHead: 3 })).toThrow(
      RangeError,
    );
  });
});

describe('emulator with timeline limits', () => {
  let emulator: Emulator;
  let token: string;
  beforeAll(async () => {
    emulator = await createEmulator({
      port: 0,
      timelineLimits: { maxConversations: 2 },
      log: { info() {}, warn() {}, error() {} },
    });
    token = await serviceAccountToken(emulator.url);
  });
  afterAll(() => emulator.close());

  it('close() ends pending waits (in process and long-polls) instead of leaving their timers', async () => {
    const other = await createEmulator({ port: 0, log: { info() {}, warn() {}, error() {} } });
    const c = other.startConversation({ behavior: 'abandon' });
    const inProcess = other.waitFor(c.id, 'never.happens', 60_000);
    const longPoll = fetch(
      `${other.url}/__harness/conversations/${c.id}/wait?for=never.happens&timeoutMs=60000`,
    ).then(
      (r) => r.status,
      () => 'closed',
    );
    await new Promise((r) => setTimeout(r, 50));
    await other.close();
    await expect(inProcess).rejects.toThrow(/emulator closed/);
    expect([408, 'closed']).toContain(await longPoll);
    expect(other.store.waitingConversations).toBe(0);
  });

  it('forgets evicted conversations everywhere: API 403, no device state left', async () => {
    const first = emulator.startConversation({ behavior: 'manual' });
    const res = await postAgentMessage(emulator.url, token, first.id, signInMessage('m1'));
    expect(res.status).toBe(200);
    expect(emulator.device.trackedConversations).toBe(1);
    emulator.startConversation({ behavior: 'abandon' });
    emulator.startConversation({ behavior: 'abandon' });
    expect(emulator.conversation(first.id)).toBeUndefined();
    expect(emulator.device.trackedConversations).toBe(0);
    const again = await postAgentMessage(emulator.url, token, first.id, {
      messageId: 'm2',
      representative: { representativeType: 'BOT' },
      text: 'x',
    });
    expect(again.status).toBe(403);
  });
});

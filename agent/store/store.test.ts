import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryAgentStore } from './memory-store.ts';
import { SqliteAgentStore } from './sqlite-store.ts';
import type { AgentStore } from './store.ts';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'agent-store-'));
  dirs.push(dir);
  return join(dir, 'nested', 'agent.sqlite');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const kinds: [string, () => AgentStore][] = [
  ['memory', () => new MemoryAgentStore()],
  ['sqlite', () => new SqliteAgentStore(tempFile())],
];

for (const [kind, make] of kinds) {
  describe(`${kind} store`, () => {
    it('claims a requestId once, until released or pruned', () => {
      const store = make();
      expect(store.claimRequest('r1', 1000)).toBe(true);
      expect(store.claimRequest('r1', 1001)).toBe(false);
      store.releaseRequest('r1');
      expect(store.claimRequest('r1', 1002)).toBe(true);
      store.pruneRequests(1003);
      expect(store.claimRequest('r1', 1004)).toBe(true);
      store.pruneRequests(1004);
      expect(store.claimRequest('r1', 1005)).toBe(false);
      store.close();
    });

    it('keeps only the newest pending request per conversation and takes it once', () => {
      const store = make();
      store.putPendingAuth({
        conversationId: 'c',
        codeVerifier: 'v1',
        messageId: 'm1',
        createdAt: 1,
      });
      store.putPendingAuth({
        conversationId: 'c',
        codeVerifier: 'v2',
        messageId: 'm2',
        createdAt: 2,
      });
      store.putPendingAuth({
        conversationId: 'd',
        codeVerifier: 'v3',
        messageId: 'm3',
        createdAt: 3,
      });
      expect(store.getPendingAuth('c')).toEqual({
        conversationId: 'c',
        codeVerifier: 'v2',
        messageId: 'm2',
        createdAt: 2,
      });
      expect(store.takePendingAuth('c')?.codeVerifier).toBe('v2');
      expect(store.takePendingAuth('c')).toBeUndefined();
      expect(store.getPendingAuth('d')?.codeVerifier).toBe('v3');
      store.close();
    });

    it('remembers who signed in per conversation', () => {
      const store = make();
      expect(store.getSignedIn('c')).toBeUndefined();
      store.putSignedIn({ conversationId: 'c', subject: 's', name: 'Alice', signedInAt: 5 });
      store.putSignedIn({ conversationId: 'c', subject: 's', name: 'Alice A.', signedInAt: 6 });
      expect(store.getSignedIn('c')).toEqual({
        conversationId: 'c',
        subject: 's',
        name: 'Alice A.',
        signedInAt: 6,
      });
      store.close();
    });

    it('records when the user was told, and a new sign-in starts untold', () => {
      const store = make();
      store.putSignedIn({ conversationId: 'c', subject: 's', name: 'Alice', signedInAt: 5 });
      expect(store.getSignedIn('c')?.confirmedAt).toBeUndefined();
      store.confirmSignedIn('c', 7);
      expect(store.getSignedIn('c')?.confirmedAt).toBe(7);
      store.putSignedIn({ conversationId: 'c', subject: 's', name: 'Alice', signedInAt: 8 });
      expect(store.getSignedIn('c')?.confirmedAt).toBeUndefined();
      store.close();
    });
  });
}

describe('sqlite store across restarts', () => {
  it('a second store on the same file sees the pending request and dedup history', () => {
    const file = tempFile();
    const first = new SqliteAgentStore(file);
    first.putPendingAuth({ conversationId: 'c', codeVerifier: 'v', messageId: 'm', createdAt: 1 });
    first.claimRequest('r', 1);
    first.close();
    const second = new SqliteAgentStore(file);
    expect(second.takePendingAuth('c')?.codeVerifier).toBe('v');
    expect(second.claimRequest('r', 2)).toBe(false);
    second.close();
  });

  it('upgrades a file written before confirmations were recorded: those users were told', () => {
    const file = tempFile();
    mkdirSync(dirname(file), { recursive: true });
    const old = new DatabaseSync(file);
    old.exec(
      "CREATE TABLE signed_in (conversation_id TEXT PRIMARY KEY, subject TEXT NOT NULL, name TEXT NOT NULL, signed_in_at INTEGER NOT NULL); INSERT INTO signed_in VALUES ('c', 's', 'Alice', 5);",
    );
    old.close();
    const store = new SqliteAgentStore(file);
    expect(store.getSignedIn('c')).toMatchObject({ name: 'Alice', confirmedAt: 5 });
    store.close();
  });
});

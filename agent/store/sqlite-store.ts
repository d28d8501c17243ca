import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { AgentStore, PendingAuth, SignedInUser } from './store.ts';

export const DEFAULT_SQLITE_PATH = '.data/agent.sqlite';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS seen_requests (
    request_id TEXT PRIMARY KEY,
    seen_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS seen_requests_by_time ON seen_requests (seen_at);
  CREATE TABLE IF NOT EXISTS pending_auth (
    conversation_id TEXT PRIMARY KEY,
    code_verifier TEXT NOT NULL,
    message_id TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS signed_in (
    conversation_id TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    name TEXT NOT NULL,
    signed_in_at INTEGER NOT NULL,
    confirmed_at INTEGER
  );
`;

interface PendingRow {
  conversation_id: string;
  code_verifier: string;
  message_id: string;
  created_at: number;
}

interface SignedInRow {
  conversation_id: string;
  subject: string;
  name: string;
  signed_in_at: number;
  confirmed_at: number | null;
}

/**
 * AgentStore on an embedded SQLite file (node:sqlite), so that a restart between sending the
 * sign-in suggestion and receiving the code does not lose the PKCE verifier. WAL mode lets a
 * second process (or a restarted agent) open the same file while the old handle closes.
 */
export class SqliteAgentStore implements AgentStore {
  readonly path: string;
  readonly #db: DatabaseSync;

  constructor(path: string = DEFAULT_SQLITE_PATH) {
    this.path = path;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 2000;');
    this.#db.exec(SCHEMA);
    this.#migrate();
  }

  /** Files written before `confirmed_at` existed: their users were all told already. */
  #migrate(): void {
    const columns = this.#db.prepare('PRAGMA table_info(signed_in)').all() as { name: string }[];
    if (columns.some((c) => c.name === 'confirmed_at')) return;
    this.#db.exec(
      'ALTER TABLE signed_in ADD COLUMN confirmed_at INTEGER; UPDATE signed_in SET confirmed_at = signed_in_at;',
    );
  }

  claimRequest(requestId: string, now: number): boolean {
    const result = this.#db
      .prepare('INSERT OR IGNORE INTO seen_requests (request_id, seen_at) VALUES (?, ?)')
      .run(requestId, now);
    return Number(result.changes) === 1;
  }

  releaseRequest(requestId: string): void {
    this.#db.prepare('DELETE FROM seen_requests WHERE request_id = ?').run(requestId);
  }

  pruneRequests(olderThan: number): void {
    this.#db.prepare('DELETE FROM seen_requests WHERE seen_at < ?').run(olderThan);
  }

  putPendingAuth(pending: PendingAuth): void {
    this.#db
      .prepare(
        `INSERT INTO pending_auth (conversation_id, code_verifier, message_id, created_at)
         VALUES (?, ?, ?, ?)
         ON CONFLICT(conversation_id) DO UPDATE SET code_verifier = excluded.code_verifier,
           message_id = excluded.message_id, created_at = excluded.created_at`,
      )
      .run(pending.conversationId, pending.codeVerifier, pending.messageId, pending.createdAt);
  }

  getPendingAuth(conversationId: string): PendingAuth | undefined {
    const row = this.#db
      .prepare('SELECT * FROM pending_auth WHERE conversation_id = ?')
      .get(conversationId) as PendingRow | undefined;
    return row && toPending(row);
  }

  takePendingAuth(conversationId: string): PendingAuth | undefined {
    const row = this.#db
      .prepare('DELETE FROM pending_auth WHERE conversation_id = ? RETURNING *')
      .get(conversationId) as PendingRow | undefined;
    return row && toPending(row);
  }

  putSignedIn(user: SignedInUser): void {
    this.#db
      .prepare(
        `INSERT INTO signed_in (conversation_id, subject, name, signed_in_at, confirmed_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(conversation_id) DO UPDATE SET subject = excluded.subject,
           name = excluded.name, signed_in_at = excluded.signed_in_at,
           confirmed_at = excluded.confirmed_at`,
      )
      .run(user.conversationId, user.subject, user.name, user.signedInAt, user.confirmedAt ?? null);
  }

  confirmSignedIn(conversationId: string, at: number): void {
    this.#db
      .prepare('UPDATE signed_in SET confirmed_at = ? WHERE conversation_id = ?')
      .run(at, conversationId);
  }

  getSignedIn(conversationId: string): SignedInUser | undefined {
    const row = this.#db
      .prepare('SELECT * FROM signed_in WHERE conversation_id = ?')
      .get(conversationId) as SignedInRow | undefined;
    return (
      row && {
        conversationId: row.conversation_id,
        subject: row.subject,
        name: row.name,
        signedInAt: row.signed_in_at,
        ...(row.confirmed_at === null ? {} : { confirmedAt: row.confirmed_at }),
      }
    );
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}

function toPending(row: PendingRow): PendingAuth {
  return {
    conversationId: row.conversation_id,
    codeVerifier: row.code_verifier,
    messageId: row.message_id,
    createdAt: row.created_at,
  };
}

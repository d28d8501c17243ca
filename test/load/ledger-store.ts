import { MemoryAgentStore } from '../../agent/index.ts';
import type { AgentStore, PendingAuth, SignedInUser } from '../../agent/index.ts';

/**
 * The reference agent's own store (MemoryAgentStore), with a ledger of what the agent did
 * with each webhook requestId: claimed (about to be processed), released (processing failed
 * or was refused, so a redelivery is handled again) and refused as a duplicate. Shared by
 * agent restarts, as the SQLite store would be across process restarts.
 */
export class LedgerAgentStore implements AgentStore {
  readonly #inner = new MemoryAgentStore();
  /** requestId → claims minus releases: 1 = processed once, >1 = processed twice. */
  readonly processed = new Map<string, number>();
  /** requestId → redeliveries the agent answered "duplicate" to. */
  readonly duplicatesRefused = new Map<string, number>();
  releases = 0;

  claimRequest(requestId: string, now: number): boolean {
    const claimed = this.#inner.claimRequest(requestId, now);
    if (claimed) this.processed.set(requestId, (this.processed.get(requestId) ?? 0) + 1);
    else this.duplicatesRefused.set(requestId, (this.duplicatesRefused.get(requestId) ?? 0) + 1);
    return claimed;
  }

  releaseRequest(requestId: string): void {
    this.releases++;
    this.processed.set(requestId, (this.processed.get(requestId) ?? 1) - 1);
    this.#inner.releaseRequest(requestId);
  }

  pruneRequests(olderThan: number): void {
    this.#inner.pruneRequests(olderThan);
  }

  putPendingAuth(pending: PendingAuth): void {
    this.#inner.putPendingAuth(pending);
  }

  getPendingAuth(conversationId: string): PendingAuth | undefined {
    return this.#inner.getPendingAuth(conversationId);
  }

  takePendingAuth(conversationId: string): PendingAuth | undefined {
    return this.#inner.takePendingAuth(conversationId);
  }

  putSignedIn(user: SignedInUser): void {
    this.#inner.putSignedIn(user);
  }

  getSignedIn(conversationId: string): SignedInUser | undefined {
    return this.#inner.getSignedIn(conversationId);
  }

  confirmSignedIn(conversationId: string, at: number): void {
    this.#inner.confirmSignedIn(conversationId, at);
  }

  /** Agent restarts must not lose state: closing is the harness's job, at the very end. */
  close(): void {}

  dispose(): void {
    this.#inner.close();
  }
}

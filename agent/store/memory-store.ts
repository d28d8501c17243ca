import type { AgentStore, PendingAuth, SignedInUser } from './store.ts';

/** In-memory AgentStore for tests; loses everything on close. */
export class MemoryAgentStore implements AgentStore {
  readonly #requests = new Map<string, number>();
  readonly #pending = new Map<string, PendingAuth>();
  readonly #users = new Map<string, SignedInUser>();

  claimRequest(requestId: string, now: number): boolean {
    if (this.#requests.has(requestId)) return false;
    this.#requests.set(requestId, now);
    return true;
  }

  releaseRequest(requestId: string): void {
    this.#requests.delete(requestId);
  }

  pruneRequests(olderThan: number): void {
    for (const [id, at] of this.#requests) if (at < olderThan) this.#requests.delete(id);
  }

  putPendingAuth(pending: PendingAuth): void {
    this.#pending.set(pending.conversationId, { ...pending });
  }

  getPendingAuth(conversationId: string): PendingAuth | undefined {
    const found = this.#pending.get(conversationId);
    return found && { ...found };
  }

  takePendingAuth(conversationId: string): PendingAuth | undefined {
    const found = this.#pending.get(conversationId);
    this.#pending.delete(conversationId);
    return found;
  }

  putSignedIn(user: SignedInUser): void {
    this.#users.set(user.conversationId, { ...user });
  }

  getSignedIn(conversationId: string): SignedInUser | undefined {
    const found = this.#users.get(conversationId);
    return found && { ...found };
  }

  confirmSignedIn(conversationId: string, at: number): void {
    const found = this.#users.get(conversationId);
    if (found) found.confirmedAt = at;
  }

  close(): void {
    this.#requests.clear();
    this.#pending.clear();
    this.#users.clear();
  }
}

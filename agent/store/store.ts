/**
 * State the reference agent keeps between webhook deliveries. One interface so that the
 * embedded SQLite store (default, survives restarts) and the in-memory one (tests) are
 * interchangeable. Synchronous because node:sqlite's DatabaseSync is, and every operation is
 * a single-row read or write.
 */

/** An authentication request suggestion sent and not yet answered. */
export interface PendingAuth {
  conversationId: string;
  /** PKCE code_verifier (RFC 7636 §4.1) for the challenge sent in the suggestion. Secret. */
  codeVerifier: string;
  /** messageId of the Business Messages message carrying the suggestion. */
  messageId: string;
  createdAt: number;
}

export interface SignedInUser {
  conversationId: string;
  subject: string;
  name: string;
  signedInAt: number;
  /** When the user was told ("Signed in as …"); absent while that message is not yet sent. */
  confirmedAt?: number;
}

export interface AgentStore {
  /**
   * Records a webhook requestId; false when it was already recorded (a redelivery). Atomic,
   * so two concurrent deliveries of the same request cannot both be processed.
   */
  claimRequest(requestId: string, now: number): boolean;
  /** Forgets a claimed requestId so a redelivery is processed again (processing failed). */
  releaseRequest(requestId: string): void;
  /** Drops requestIds recorded before `olderThan` (ms since epoch). */
  pruneRequests(olderThan: number): void;
  /** Replaces the conversation's pending request: only the newest challenge is answerable. */
  putPendingAuth(pending: PendingAuth): void;
  getPendingAuth(conversationId: string): PendingAuth | undefined;
  /** Atomically reads and deletes, so one code is never exchanged twice concurrently. */
  takePendingAuth(conversationId: string): PendingAuth | undefined;
  putSignedIn(user: SignedInUser): void;
  getSignedIn(conversationId: string): SignedInUser | undefined;
  /** Records that the user was told they are signed in. */
  confirmSignedIn(conversationId: string, at: number): void;
  close(): void;
}

import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { redact, redactUrl } from '../../wire/redact.ts';

export const BEHAVIORS = ['tap', 'deny', 'abandon', 'manual'] as const;
export type Behavior = (typeof BEHAVIORS)[number];

export interface VirtualUser {
  username: string;
  password: string;
  displayName: string;
  locale: string;
}

export type TimelineLevel = 'info' | 'warn' | 'error';

export interface TimelineEntry {
  seq: number;
  at: string;
  /** Dotted kind, e.g. `api.rejected`, `webhook.attempt`, `device.redirect`, `auth.response`. */
  kind: string;
  level: TimelineLevel;
  summary: string;
  /** Already redacted when stored. */
  data?: unknown;
}

export type AuthState =
  | 'none'
  | 'awaiting-tap'
  | 'in-progress'
  | 'succeeded'
  | 'failed'
  | 'abandoned';

export interface StoredMessage {
  name: string;
  body: Record<string, unknown>;
  createTime: string;
}

export interface Conversation {
  id: string;
  agent: string;
  user: VirtualUser;
  behavior: Behavior;
  /** Redirect URI the device sends; one of the four Business Messages URIs unless testing. */
  redirectUri: string;
  createdAt: string;
  messages: Map<string, StoredMessage>;
  eventIds: Set<string>;
  surveyIds: Set<string>;
  /** Ids of messages the virtual user sent (the ones an agent may mark READ). */
  userMessageIds: Set<string>;
  authState: AuthState;
  timeline: TimelineEntry[];
  /** Entries dropped from the middle of the timeline by the per-conversation cap. */
  droppedEntries: number;
}

/**
 * Bounds on what the store keeps, so a long-running emulator (dev:all for days, a load run,
 * an agent stuck in a loop) does not grow without end. A normal sign-in flow records ~30
 * entries; the defaults leave room for far more.
 */
export interface TimelineLimits {
  /**
   * Entries kept per conversation. Past it, the first `keepHead` entries (how the flow
   * started) and the newest ones stay; those in between are dropped and counted in a
   * `timeline.truncated` entry. Default 500.
   */
  maxEntriesPerConversation: number;
  /** Entries kept at the start of a truncated timeline. Default 50. */
  keepHead: number;
  /**
   * Conversations kept. Opening one more evicts the oldest finished conversation (sign-in
   * succeeded, failed or abandoned), or the oldest of all when none has finished; the agent
   * then gets 403 for it, as for any unknown conversation. Default 5,000.
   */
  maxConversations: number;
  /** Entries kept on the general log (oldest dropped first). Default 1,000. */
  maxGeneralEntries: number;
  /**
   * Agent message bodies kept per conversation (a body may be 256 kB). Older messages keep
   * their id, name and createTime — 409 on a reused messageId still works — and show
   * `bodyDropped: true` in the view. Default 200.
   */
  maxMessageBodiesPerConversation: number;
}

export const DEFAULT_TIMELINE_LIMITS: TimelineLimits = {
  maxEntriesPerConversation: 500,
  keepHead: 50,
  maxConversations: 5_000,
  maxGeneralEntries: 1_000,
  maxMessageBodiesPerConversation: 200,
};

const FINISHED: ReadonlySet<AuthState> = new Set(['succeeded', 'failed', 'abandoned']);

export interface NewConversation {
  agent: string;
  user: VirtualUser;
  behavior: Behavior;
  redirectUri: string;
  id?: string;
}

export interface TimelineInput {
  kind: string;
  summary: string;
  level?: TimelineLevel;
  data?: unknown;
}

/**
 * Conversations and their timelines. Everything recorded goes through `redact` first, so a
 * timeline can be printed or served as-is (SPEC §5). Emits `entry` (conversationId, entry)
 * for waiters and `evicted` (conversationId) when the conversation cap drops one.
 */
export class ConversationStore extends EventEmitter {
  readonly #conversations = new Map<string, Conversation>();
  /** Entries tied to no conversation: agent/partner configuration, token requests, requests for unknown conversations. */
  readonly general: TimelineEntry[] = [];
  readonly limits: TimelineLimits;
  /** Ids of the messages that still have a body, oldest first, per conversation. */
  readonly #bodyOrder = new WeakMap<Conversation, string[]>();
  /** Per conversation; a waiter called with `undefined` is being cancelled (close()). */
  readonly #waiters = new Map<string, Set<(entry: TimelineEntry | undefined) => void>>();
  /** Entries dropped from `general` by its cap. */
  generalDropped = 0;
  #seq = 0;

  constructor(limits: Partial<TimelineLimits> = {}) {
    super();
    this.limits = { ...DEFAULT_TIMELINE_LIMITS, ...limits };
    const { maxEntriesPerConversation, keepHead, maxConversations, maxGeneralEntries } =
      this.limits;
    if (
      !(maxConversations >= 1 && maxGeneralEntries >= 1 && keepHead >= 0) ||
      !(this.limits.maxMessageBodiesPerConversation >= 1) ||
      !(maxEntriesPerConversation >= keepHead + 2)
    ) {
      throw new RangeError(
        `invalid timeline limits ${JSON.stringify(this.limits)}: need maxEntriesPerConversation ≥ keepHead + 2 and positive caps`,
      );
    }
  }

  create(input: NewConversation): Conversation {
    if (this.#conversations.size >= this.limits.maxConversations) this.#evictOne();
    const conversation: Conversation = {
      id: input.id ?? randomUUID(),
      agent: input.agent,
      user: input.user,
      behavior: input.behavior,
      redirectUri: input.redirectUri,
      createdAt: new Date().toISOString(),
      messages: new Map(),
      eventIds: new Set(),
      surveyIds: new Set(),
      userMessageIds: new Set(),
      authState: 'none',
      timeline: [],
      droppedEntries: 0,
    };
    this.#conversations.set(conversation.id, conversation);
    return conversation;
  }

  get(id: string): Conversation | undefined {
    return this.#conversations.get(id);
  }

  list(): Conversation[] {
    return [...this.#conversations.values()];
  }

  /** Records on the conversation's timeline, or on the general list when there is none. */
  record(conversationId: string | undefined, input: TimelineInput): TimelineEntry {
    const entry: TimelineEntry = {
      seq: ++this.#seq,
      at: new Date().toISOString(),
      kind: input.kind,
      level: input.level ?? 'info',
      // Summaries are free text built from URLs and error messages: mask secret parameters
      // there too, as the log prints them (defence in depth; writers redact URLs already).
      summary: redactUrl(input.summary),
      ...(input.data !== undefined ? { data: redact(input.data) } : {}),
    };
    const conversation = conversationId ? this.#conversations.get(conversationId) : undefined;
    if (conversation) this.#append(conversation, entry);
    else {
      this.general.push(entry);
      if (this.general.length > this.limits.maxGeneralEntries) {
        this.general.splice(0, this.general.length - this.limits.maxGeneralEntries);
        this.generalDropped++;
      }
    }
    this.emit('entry', conversation?.id, entry);
    if (conversation) for (const waiter of this.#waiters.get(conversation.id) ?? []) waiter(entry);
    return entry;
  }

  /** Stores an agent message under the body cap (oldest bodies dropped first). */
  addMessage(conversation: Conversation, messageId: string, message: StoredMessage): void {
    conversation.messages.set(messageId, message);
    const order = this.#bodyOrder.get(conversation) ?? [];
    this.#bodyOrder.set(conversation, order);
    order.push(messageId);
    while (order.length > this.limits.maxMessageBodiesPerConversation) {
      const old = conversation.messages.get(order.shift()!);
      if (old) old.body = { bodyDropped: true };
    }
  }

  /** Appends under the per-conversation cap: keeps the head, drops the oldest after it. */
  #append(conversation: Conversation, entry: TimelineEntry): void {
    const { timeline } = conversation;
    const { maxEntriesPerConversation: max, keepHead } = this.limits;
    timeline.push(entry);
    if (timeline.length <= max) return;
    let marker = timeline[keepHead];
    if (marker?.kind !== 'timeline.truncated') {
      marker = {
        seq: entry.seq,
        at: entry.at,
        kind: 'timeline.truncated',
        level: 'warn',
        summary: '',
      };
      timeline.splice(keepHead, 0, marker);
    }
    const excess = timeline.length - max;
    timeline.splice(keepHead + 1, excess);
    conversation.droppedEntries += excess;
    marker.summary = `${conversation.droppedEntries} entries dropped here (cap ${max} per conversation)`;
    marker.data = { dropped: conversation.droppedEntries, maxEntriesPerConversation: max };
  }

  /** Drops the oldest finished conversation, or the oldest of all when none has finished. */
  #evictOne(): void {
    let victim: Conversation | undefined;
    for (const c of this.#conversations.values()) {
      if (FINISHED.has(c.authState)) {
        victim = c;
        break;
      }
    }
    const finished = victim !== undefined;
    victim ??= this.#conversations.values().next().value;
    if (!victim) return;
    this.#conversations.delete(victim.id);
    this.emit('evicted', victim.id);
    this.record(undefined, {
      kind: 'conversation.evicted',
      level: finished ? 'info' : 'warn',
      summary: `conversation ${victim.id} (${victim.authState}) dropped: cap of ${this.limits.maxConversations} conversations${finished ? '' : ' reached with none finished'}`,
    });
  }

  /** Resolves with the first entry (already recorded or future) matching `predicate`. */
  waitFor(
    conversationId: string,
    predicate: (entry: TimelineEntry) => boolean,
    timeoutMs = 10_000,
  ): Promise<TimelineEntry> {
    const existing = this.get(conversationId)?.timeline.find(predicate);
    if (existing) return Promise.resolve(existing);
    // Waiters are kept per conversation rather than as 'entry' listeners: hundreds of
    // concurrent waits (a load run, --count N) then cost nothing on other conversations'
    // entries and trip no MaxListenersExceededWarning.
    return new Promise((resolve, reject) => {
      const waiters = this.#waiters.get(conversationId) ?? new Set();
      this.#waiters.set(conversationId, waiters);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(onEntry);
        if (waiters.size === 0 && this.#waiters.get(conversationId) === waiters) {
          this.#waiters.delete(conversationId);
        }
      };
      const onEntry = (entry: TimelineEntry | undefined) => {
        if (entry === undefined) {
          done();
          reject(new Error(`stopped waiting on conversation ${conversationId}: emulator closed`));
          return;
        }
        if (!predicate(entry)) return;
        done();
        resolve(entry);
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`timed out after ${timeoutMs} ms waiting on conversation ${conversationId}`),
        );
      }, timeoutMs);
      waiters.add(onEntry);
    });
  }

  /** Ends every wait at once (their timers too), so closing leaves nothing pending. */
  close(): void {
    for (const waiters of [...this.#waiters.values()]) {
      for (const waiter of [...waiters]) waiter(undefined);
    }
  }

  /** Conversations with someone waiting on them (for leak checks). */
  get waitingConversations(): number {
    return this.#waiters.size;
  }
}

/** The JSON a timeline request answers with (redacted at record time). */
export function conversationView(c: Conversation) {
  return {
    conversationId: c.id,
    agent: c.agent,
    user: { username: c.user.username, displayName: c.user.displayName, locale: c.user.locale },
    behavior: c.behavior,
    redirectUri: c.redirectUri,
    createdAt: c.createdAt,
    authState: c.authState,
    ...(c.droppedEntries > 0 ? { droppedEntries: c.droppedEntries } : {}),
    messages: [...c.messages.values()].map((m) =>
      redact({ name: m.name, createTime: m.createTime, ...m.body }),
    ),
    timeline: c.timeline,
  };
}

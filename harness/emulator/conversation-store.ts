import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { redact } from '../../wire/redact.ts';

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
}

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
 * for waiters.
 */
export class ConversationStore extends EventEmitter {
  readonly #conversations = new Map<string, Conversation>();
  /** Entries tied to no conversation: agent/partner configuration, token requests, requests for unknown conversations. */
  readonly general: TimelineEntry[] = [];
  #seq = 0;

  create(input: NewConversation): Conversation {
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
      summary: input.summary,
      ...(input.data !== undefined ? { data: redact(input.data) } : {}),
    };
    const conversation = conversationId ? this.#conversations.get(conversationId) : undefined;
    (conversation ? conversation.timeline : this.general).push(entry);
    this.emit('entry', conversation?.id, entry);
    return entry;
  }

  /** Resolves with the first entry (already recorded or future) matching `predicate`. */
  waitFor(
    conversationId: string,
    predicate: (entry: TimelineEntry) => boolean,
    timeoutMs = 10_000,
  ): Promise<TimelineEntry> {
    const existing = this.get(conversationId)?.timeline.find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const onEntry = (id: string | undefined, entry: TimelineEntry) => {
        if (id !== conversationId || !predicate(entry)) return;
        clearTimeout(timer);
        this.off('entry', onEntry);
        resolve(entry);
      };
      const timer = setTimeout(() => {
        this.off('entry', onEntry);
        reject(
          new Error(`timed out after ${timeoutMs} ms waiting on conversation ${conversationId}`),
        );
      }, timeoutMs);
      this.on('entry', onEntry);
    });
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
    messages: [...c.messages.values()].map((m) =>
      redact({ name: m.name, createTime: m.createTime, ...m.body }),
    ),
    timeline: c.timeline,
  };
}

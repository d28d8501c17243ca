import { redact } from '../wire/redact.ts';

export type ProviderEventType =
  | 'authorization.request'
  | 'authorization.error'
  | 'login.success'
  | 'login.failed'
  | 'consent.allowed'
  | 'consent.denied'
  | 'code.issued'
  | 'token.exchange'
  | 'token.refresh'
  | 'token.error'
  | 'userinfo'
  | 'userinfo.error'
  | 'introspection'
  | 'revocation'
  | 'fault.applied'
  | 'misbehave.changed'
  | 'server.error'
  | 'request.rejected';

export interface ProviderEvent {
  /** Monotonic sequence number; `list({ since })` returns events with a greater seq. */
  seq: number;
  time: string;
  type: ProviderEventType;
  clientId?: string;
  user?: string;
  /** Always passed through `wire/redact.ts` before it is stored. */
  detail: Record<string, unknown>;
}

export type EventSink = (event: ProviderEvent) => void;

/** Bounded (ring buffer) log of OAuth steps; every entry redacted on the way in. */
export class EventLog {
  readonly capacity: number;
  #events: ProviderEvent[] = [];
  #seq = 0;
  #sinks: EventSink[] = [];

  constructor(capacity = 1000) {
    this.capacity = Math.max(1, capacity);
  }

  record(
    type: ProviderEventType,
    detail: Record<string, unknown> = {},
    who: { clientId?: string | undefined; user?: string | undefined } = {},
  ): ProviderEvent {
    const event: ProviderEvent = {
      seq: ++this.#seq,
      time: new Date().toISOString(),
      type,
      ...(who.clientId ? { clientId: who.clientId } : {}),
      ...(who.user ? { user: who.user } : {}),
      detail: redact(detail),
    };
    this.#events.push(event);
    if (this.#events.length > this.capacity)
      this.#events.splice(0, this.#events.length - this.capacity);
    for (const sink of this.#sinks) sink(event);
    return event;
  }

  list(options: { since?: number; type?: string } = {}): ProviderEvent[] {
    const since = options.since ?? 0;
    return this.#events.filter(
      (e) => e.seq > since && (options.type === undefined || e.type === options.type),
    );
  }

  /** The seq of the newest event (0 when none): pass it as `since` to see only newer ones. */
  get lastSeq(): number {
    return this.#seq;
  }

  clear(): void {
    this.#events = [];
  }

  subscribe(sink: EventSink): () => void {
    this.#sinks.push(sink);
    return () => {
      this.#sinks = this.#sinks.filter((s) => s !== sink);
    };
  }
}

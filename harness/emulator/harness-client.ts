import type { Behavior, conversationView } from './conversation-store.ts';

export type ConversationJson = ReturnType<typeof conversationView>;

export class HarnessClientError extends Error {
  readonly code: 'UNREACHABLE' | 'REJECTED' | 'NOT_FOUND';
  readonly status?: number;
  constructor(code: HarnessClientError['code'], message: string, status?: number) {
    super(message);
    this.name = 'HarnessClientError';
    this.code = code;
    this.status = status;
  }
}

export interface StartConversationRequest {
  user?: string;
  password?: string;
  behavior?: Behavior;
  redirectUri?: string;
  text?: string;
}

/** HTTP client of a running emulator's harness API (`/__harness/...`), for the CLI and scripts. */
export class HarnessClient {
  readonly base: string;
  constructor(emulatorUrl: string) {
    this.base = emulatorUrl.replace(/\/+$/, '');
  }

  async startConversation(input: StartConversationRequest): Promise<{ conversationId: string }> {
    return (await this.#call('POST', '/__harness/conversations', input)) as {
      conversationId: string;
    };
  }

  async conversation(id: string): Promise<ConversationJson> {
    return (await this.#call(
      'GET',
      `/__harness/conversations/${encodeURIComponent(id)}`,
    )) as ConversationJson;
  }

  async tap(
    id: string,
    body: { redirectUri?: string; consent?: 'allow' | 'deny' },
  ): Promise<ConversationJson> {
    return (await this.#call(
      'POST',
      `/__harness/conversations/${encodeURIComponent(id)}/tap`,
      body,
    )) as ConversationJson;
  }

  async #call(method: string, path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      throw new HarnessClientError(
        'UNREACHABLE',
        `cannot reach the emulator at ${this.base} (${(err as Error).message}); start it with \`npm run emulator\` or \`npm run dev:all\`, or pass --emulator URL`,
      );
    }
    const json = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
    if (!res.ok) {
      throw new HarnessClientError(
        res.status === 404 ? 'NOT_FOUND' : 'REJECTED',
        `emulator answered HTTP ${res.status}: ${json.error?.message ?? 'no detail'}`,
        res.status,
      );
    }
    return json;
  }
}

/** Human-readable timeline, one line per entry. */
export function formatTimeline(view: ConversationJson): string {
  const header = `conversation ${view.conversationId} — ${view.user.displayName} (${view.user.username}), behavior ${view.behavior}, auth ${view.authState}`;
  const lines = view.timeline.map((e) => {
    const time = e.at.slice(11, 23);
    const level = e.level === 'info' ? '    ' : e.level.toUpperCase().padEnd(4);
    return `${String(e.seq).padStart(4)} ${time} ${level} ${e.kind.padEnd(22)} ${e.summary}`;
  });
  return [header, ...lines].join('\n');
}

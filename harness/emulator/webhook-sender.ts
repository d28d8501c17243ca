import type { UserMessage } from '../../wire/business-messages.ts';
import { type DeliveryResult, deliverWebhook, type RetryPolicy } from '../webhook/delivery.ts';
import { userMessageEnvelope } from '../webhook/envelope.ts';
import type { AgentDirectory } from './agent-directory.ts';
import type { Conversation, ConversationStore } from './conversation-store.ts';

type Payload = Parameters<typeof userMessageEnvelope>[1];

export interface WebhookSenderOptions {
  directory: AgentDirectory;
  store: ConversationStore;
  clientToken: () => string;
  /** Overrides the partner webhook (emulator option `agentWebhookUrl`). */
  webhookUrl: () => string | undefined;
  retry?: Partial<RetryPolicy>;
}

/**
 * Sends user-side events of a conversation to the agent's webhook: wraps them in the
 * UserMessage envelope, serialises once (the signature covers those exact bytes), delivers
 * with retries and records every attempt on the conversation's timeline.
 */
export class WebhookSender {
  readonly #options: WebhookSenderOptions;
  /** Aborted on close, so pending retries end instead of outliving the emulator. */
  readonly #closing = new AbortController();
  constructor(options: WebhookSenderOptions) {
    this.#options = options;
  }

  /** Ends every delivery in flight (no more retries). */
  close(): void {
    this.#closing.abort();
  }

  async send(conversation: Conversation, payload: Payload, label: string): Promise<DeliveryResult> {
    const { store, directory } = this.#options;
    const agent = directory.agents.get(conversation.agent);
    const message: UserMessage = userMessageEnvelope(
      {
        agent: conversation.agent,
        conversationId: conversation.id,
        customAgentId: agent?.businessMessagesAgent?.customAgentId,
        displayName: conversation.user.displayName,
        locale: conversation.user.locale,
      },
      payload,
    );
    const body = JSON.stringify(message);
    const url = this.#options.webhookUrl() ?? directory.webhookUrl();
    if (!url) {
      store.record(conversation.id, {
        kind: 'webhook.undeliverable',
        level: 'error',
        summary: `${label}: no webhook configured (set the partner webhook or agentWebhookUrl)`,
        data: message,
      });
      return { delivered: false, attempts: [] };
    }
    store.record(conversation.id, {
      kind: 'webhook.send',
      summary: `${label} → ${url}`,
      data: message,
    });
    const result = await deliverWebhook({
      url,
      clientToken: this.#options.clientToken(),
      body,
      retry: this.#options.retry,
      signal: this.#closing.signal,
      onAttempt: (attempt) =>
        store.record(conversation.id, {
          kind: 'webhook.attempt',
          level: attempt.error ? 'warn' : 'info',
          summary: `${label} attempt ${attempt.attempt}: ${attempt.status ?? 'no response'} in ${attempt.latencyMs} ms${attempt.error ? ` (${attempt.error})` : ''}`,
          data: { label, ...attempt },
        }),
    });
    if (result.cancelled) {
      store.record(conversation.id, {
        kind: 'webhook.cancelled',
        level: 'warn',
        summary: `${label} delivery stopped after ${result.attempts.length} attempt(s): the emulator is closing`,
        data: { label },
      });
      return result;
    }
    store.record(conversation.id, {
      kind: result.delivered ? 'webhook.delivered' : 'webhook.failed',
      level: result.delivered ? 'info' : 'error',
      summary: `${label} ${result.delivered ? 'delivered' : 'NOT delivered'} after ${result.attempts.length} attempt(s)`,
      data: { label },
    });
    return result;
  }
}

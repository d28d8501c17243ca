import { randomUUID } from 'node:crypto';
import { googleTimestamp } from '../webhook/envelope.ts';
import type { Conversation } from './conversation-store.ts';
import { invalidArgument } from './google-errors.ts';
import type { WebhookSender } from './webhook-sender.ts';

/**
 * What the virtual user can do besides signing in, each delivered to the agent as the
 * matching UserMessage event (SPEC §2 step 5): write text, tap a reply/action chip, start or
 * stop typing, ask for a live agent, or acknowledge an agent message with a receipt.
 */
export type UserEventInput =
  | { type: 'text'; text: string }
  | {
      type: 'suggestion-response';
      postbackData: string;
      text: string;
      kind?: 'REPLY' | 'ACTION';
      message?: string;
    }
  | { type: 'typing'; isTyping?: boolean }
  | { type: 'live-agent-request' }
  | { type: 'receipt'; receiptType?: 'DELIVERED' | 'READ' | 'ERROR'; message?: string };

export const USER_EVENT_TYPES = [
  'text',
  'suggestion-response',
  'typing',
  'live-agent-request',
  'receipt',
] as const;

type Payload = Parameters<WebhookSender['send']>[1];

function lastAgentMessage(conversation: Conversation): string {
  const names = [...conversation.messages.values()].map((m) => m.name);
  const last = names.at(-1);
  if (!last)
    throw invalidArgument(
      'message',
      'the agent has sent no message yet; pass "message" (a message name).',
    );
  return last;
}

function str(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '')
    throw invalidArgument(field, `${field} is required (a string).`);
  return value;
}

/** Validates `input` and builds the webhook payload, plus a label for the timeline. */
export function userEventPayload(
  conversation: Conversation,
  raw: unknown,
): { payload: Payload; label: string } {
  const input = (raw ?? {}) as Record<string, unknown>;
  const createTime = googleTimestamp();
  switch (input.type) {
    case 'text': {
      const text = str(input.text, 'text');
      const messageId = randomUUID();
      conversation.userMessageIds.add(messageId);
      const name = `conversations/${conversation.id}/messages/${messageId}`;
      return { label: 'message', payload: { message: { messageId, name, text, createTime } } };
    }
    case 'suggestion-response': {
      const kind = input.kind ?? 'REPLY';
      if (kind !== 'REPLY' && kind !== 'ACTION')
        throw invalidArgument('kind', 'kind must be REPLY or ACTION.');
      return {
        label: 'suggestionResponse',
        payload: {
          suggestionResponse: {
            message:
              typeof input.message === 'string' ? input.message : lastAgentMessage(conversation),
            postbackData: str(input.postbackData, 'postbackData'),
            createTime,
            text: str(input.text, 'text'),
            type: kind,
          },
        },
      };
    }
    case 'typing':
      return {
        label: 'userStatus',
        payload: { userStatus: { isTyping: input.isTyping !== false, createTime } },
      };
    case 'live-agent-request':
      return {
        label: 'userStatus',
        payload: { userStatus: { requestedLiveAgent: true, createTime } },
      };
    case 'receipt': {
      const receiptType = input.receiptType ?? 'READ';
      if (receiptType !== 'DELIVERED' && receiptType !== 'READ' && receiptType !== 'ERROR') {
        throw invalidArgument('receiptType', 'receiptType must be DELIVERED, READ or ERROR.');
      }
      const message =
        typeof input.message === 'string' ? input.message : lastAgentMessage(conversation);
      return {
        label: 'receipts',
        payload: { receipts: { receipts: [{ message, receiptType }], createTime } },
      };
    }
    default:
      throw invalidArgument(
        'type',
        `type must be one of ${USER_EVENT_TYPES.join(', ')}; got ${JSON.stringify(input.type)}.`,
      );
  }
}

import { randomUUID } from 'node:crypto';
import type { UserMessage, WebhookContext } from '../../wire/business-messages.ts';

/**
 * Google's webhook timestamps are RFC 3339 with nanosecond precision
 * (`2026-01-01T00:00:00.123000000Z`); JavaScript dates only carry milliseconds.
 */
export function googleTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

export interface EnvelopeInput {
  agent: string;
  conversationId: string;
  customAgentId?: string;
  displayName?: string;
  locale?: string;
  entryPoint?: string;
  now?: Date;
}

type Payload = Omit<
  UserMessage,
  'agent' | 'conversationId' | 'customAgentId' | 'requestId' | 'context' | 'sendTime'
>;

/** Wraps an event in the UserMessage envelope (SPEC §2 step 5). */
export function userMessageEnvelope(input: EnvelopeInput, payload: Payload): UserMessage {
  const locale = input.locale ?? 'en';
  const context: WebhookContext = {
    entryPoint: input.entryPoint ?? 'PLACESHEET',
    resolvedLocale: locale,
    userInfo: { displayName: input.displayName ?? 'Test User', userDeviceLocale: locale },
  };
  // Receipts carry no requestId or context (Google's "Receive messages" reference).
  const isReceipt = 'receipts' in payload;
  return {
    agent: input.agent,
    conversationId: input.conversationId,
    ...(input.customAgentId !== undefined ? { customAgentId: input.customAgentId } : {}),
    ...(isReceipt ? {} : { requestId: randomUUID(), context }),
    ...payload,
    sendTime: googleTimestamp(input.now),
  } as UserMessage;
}

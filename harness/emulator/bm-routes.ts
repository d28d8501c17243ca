import express, { type Request, type Response } from 'express';
import { googleTimestamp } from '../webhook/envelope.ts';
import type { Conversation, ConversationStore } from './conversation-store.ts';
import { GoogleApiError, invalidArgument } from './google-errors.ts';
import { parseShape } from './json-shape.ts';
import { hidePlainChallenges } from './plain-challenge.ts';
import { checkMessageRules, type MessageWarning } from './message-rules.ts';
import {
  eventShape,
  messageShape,
  type ParsedMessage,
  receiptShape,
  surveyShape,
} from './message-schema.ts';

/**
 * Business Messages API v1 as an agent calls it: conversations.messages.create,
 * conversations.events.create, conversations.messages.updateReceipt, conversations.surveys.create. Paths match what the
 * `businessmessages` npm client builds (`v1/{+parent}/messages`, `v1/{+parent}/events`,
 * `v1/{+name}` with name = conversations/C/messages/M/receipt).
 */
export interface BmRoutesOptions {
  store: ConversationStore;
  /** Called once a message is accepted (the virtual device reacts to auth requests). */
  onMessage?: (
    conversation: Conversation,
    message: ParsedMessage,
    warnings: MessageWarning[],
  ) => void;
}

export function bmRouter(options: BmRoutesOptions): express.Router {
  const { store } = options;
  const router = express.Router();

  const conversationOf = (req: Request): Conversation => {
    const id = String(req.params.conversation);
    const conversation = store.get(id);
    // Google answers 403 (not 404) for conversations the caller's agent is not part of.
    if (!conversation) {
      throw new GoogleApiError(
        'PERMISSION_DENIED',
        `The caller does not have permission: conversation ${id} does not exist or belongs to another agent.`,
      );
    }
    return conversation;
  };

  router.post('/v1/conversations/:conversation/messages', (req: Request, res: Response) => {
    const conversation = conversationOf(req);
    const message = parseShape(req.body, messageShape, 'message') as ParsedMessage;
    const warnings = checkMessageRules(message);
    const messageId = message.messageId!;
    if (conversation.messages.has(messageId)) {
      throw new GoogleApiError(
        'ALREADY_EXISTS',
        `Requested entity already exists: message ${messageId} was already sent in conversation ${conversation.id}.`,
      );
    }
    const name = `conversations/${conversation.id}/messages/${messageId}`;
    const created = { ...message, name };
    const recorded = hidePlainChallenges(created);
    store.addMessage(conversation, messageId, {
      name,
      body: recorded as Record<string, unknown>,
      createTime: googleTimestamp(),
    });
    const auth = message.suggestions?.some((s) => s.authenticationRequest) ?? false;
    store.record(conversation.id, {
      kind: 'agent.message',
      summary: `agent sent message ${messageId}${auth ? ' with an authentication request' : ''}`,
      data: recorded,
    });
    for (const warning of warnings) {
      store.record(conversation.id, {
        kind: 'warning',
        level: 'warn',
        summary: warning.message,
        data: { field: warning.field },
      });
    }
    res.json(created);
    options.onMessage?.(conversation, message, warnings);
  });

  router.post('/v1/conversations/:conversation/events', (req: Request, res: Response) => {
    const conversation = conversationOf(req);
    const eventId = typeof req.query.eventId === 'string' ? req.query.eventId : '';
    if (!eventId) throw invalidArgument('event_id', 'eventId query parameter is required.');
    const event = parseShape(req.body, eventShape, 'event') as {
      eventType?: string;
      representative?: { representativeType?: string };
    };
    if (!event.eventType || event.eventType === 'EVENT_TYPE_UNSPECIFIED') {
      throw invalidArgument('event.event_type', 'eventType is required.');
    }
    const type = event.representative?.representativeType;
    if (type !== 'BOT' && type !== 'HUMAN') {
      throw invalidArgument(
        'event.representative.representative_type',
        'representative.representativeType is required and must be BOT or HUMAN.',
      );
    }
    if (conversation.eventIds.has(eventId)) {
      throw new GoogleApiError(
        'ALREADY_EXISTS',
        `Requested entity already exists: event ${eventId}.`,
      );
    }
    conversation.eventIds.add(eventId);
    const created = { ...event, name: `conversations/${conversation.id}/events/${eventId}` };
    store.record(conversation.id, {
      kind: 'agent.event',
      summary: `agent event ${event.eventType}`,
      data: created,
    });
    res.json(created);
  });

  router.patch(
    '/v1/conversations/:conversation/messages/:message/receipt',
    (req: Request, res: Response) => {
      const conversation = conversationOf(req);
      const messageId = String(req.params.message);
      const receipt = parseShape(req.body, receiptShape, 'receipt') as { receiptType?: string };
      if (receipt.receiptType !== 'READ') {
        throw invalidArgument('receipt.receipt_type', 'receiptType is required and must be READ.');
      }
      if (!conversation.userMessageIds.has(messageId)) {
        throw new GoogleApiError(
          'NOT_FOUND',
          `Message ${messageId} not found in conversation ${conversation.id}.`,
        );
      }
      const created = {
        name: `conversations/${conversation.id}/messages/${messageId}/receipt`,
        receiptType: 'READ',
      };
      store.record(conversation.id, {
        kind: 'agent.receipt',
        summary: `agent marked ${messageId} READ`,
        data: created,
      });
      res.json(created);
    },
  );

  // conversations.surveys.create: the surveyId is the agent's; reusing one is ALREADY_EXISTS.
  router.post('/v1/conversations/:conversation/surveys', (req: Request, res: Response) => {
    const conversation = conversationOf(req);
    parseShape(req.body, surveyShape, 'survey');
    const surveyId = typeof req.query.surveyId === 'string' ? req.query.surveyId : '';
    if (!surveyId) throw invalidArgument('survey_id', 'surveyId query parameter is required.');
    if (conversation.surveyIds.has(surveyId)) {
      throw new GoogleApiError(
        'ALREADY_EXISTS',
        `Requested entity already exists: survey ${surveyId}.`,
      );
    }
    conversation.surveyIds.add(surveyId);
    const created = { name: `conversations/${conversation.id}/surveys/${surveyId}` };
    store.record(conversation.id, {
      kind: 'agent.survey',
      summary: `agent sent survey ${surveyId}`,
      data: created,
    });
    res.json(created);
  });

  return router;
}

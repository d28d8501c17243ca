import { bool, enumOf, message, repeated, str } from './json-shape.ts';

/**
 * Shapes of the Business Messages API v1 request bodies the emulator accepts, after Google's
 * REST reference (conversations.messages, conversations.events, messages.updateReceipt).
 * Every shape rejects unknown fields, rich cards included.
 */

export const REPRESENTATIVE_TYPES = ['BOT', 'HUMAN'] as const;

const representative = message({
  representativeType: enumOf(
    'type.googleapis.com/google.businessmessages.v1.Representative.RepresentativeType',
    [...REPRESENTATIVE_TYPES, 'REPRESENTATIVE_TYPE_UNSPECIFIED'],
  ),
  displayName: str,
  avatarImage: str,
});

const suggestion = message({
  reply: message({ text: str, postbackData: str }),
  action: message({
    text: str,
    postbackData: str,
    openUrlAction: message({ url: str }),
    dialAction: message({ phoneNumber: str }),
  }),
  liveAgentRequest: message({}),
  authenticationRequest: message({
    oauth: message({
      clientId: str,
      codeChallenge: str,
      scopes: repeated(str),
      codeChallengeMethod: str,
    }),
  }),
});

const contentInfo = message({ fileUrl: str, thumbnailUrl: str, forceRefresh: bool, altText: str });

/** Rich cards as the `businessmessages` client types them (BusinessMessagesRichCard). */
const cardContent = message({
  title: str,
  description: str,
  media: message({
    contentInfo,
    height: enumOf('type.googleapis.com/google.businessmessages.v1.Media.Height', [
      'HEIGHT_UNSPECIFIED',
      'SHORT',
      'MEDIUM',
      'TALL',
    ]),
  }),
  suggestions: repeated(suggestion),
});

const richCard = message({
  standaloneCard: message({ cardContent }),
  carouselCard: message({
    cardWidth: enumOf('type.googleapis.com/google.businessmessages.v1.CarouselCard.CardWidth', [
      'CARD_WIDTH_UNSPECIFIED',
      'SMALL',
      'MEDIUM',
    ]),
    cardContents: repeated(cardContent),
  }),
});

export const messageShape = message({
  name: str,
  messageId: str,
  representative,
  text: str,
  image: message({ contentInfo }),
  richCard,
  fallback: str,
  containsRichText: bool,
  suggestions: repeated(suggestion),
});

export const EVENT_TYPES = [
  'TYPING_STARTED',
  'TYPING_STOPPED',
  'REPRESENTATIVE_JOINED',
  'REPRESENTATIVE_LEFT',
] as const;

export const eventShape = message({
  name: str,
  eventType: enumOf('type.googleapis.com/google.businessmessages.v1.Event.EventType', [
    ...EVENT_TYPES,
    'EVENT_TYPE_UNSPECIFIED',
  ]),
  representative,
});

export const receiptShape = message({
  name: str,
  receiptType: enumOf('type.googleapis.com/google.businessmessages.v1.Receipt.ReceiptType', [
    'READ',
    'RECEIPT_TYPE_UNSPECIFIED',
  ]),
});

export interface ParsedOauth {
  clientId?: string;
  codeChallenge?: string;
  scopes?: string[];
  codeChallengeMethod?: string;
}

export interface ParsedSuggestion {
  reply?: { text?: string; postbackData?: string };
  action?: { text?: string; postbackData?: string; [k: string]: unknown };
  liveAgentRequest?: Record<string, never>;
  authenticationRequest?: { oauth?: ParsedOauth };
}

export interface ParsedCardContent {
  title?: string;
  description?: string;
  media?: unknown;
  suggestions?: ParsedSuggestion[];
}

export interface ParsedRichCard {
  standaloneCard?: { cardContent?: ParsedCardContent };
  carouselCard?: { cardWidth?: string; cardContents?: ParsedCardContent[] };
}

/** A message body after shape checking: the right types, but any field may be missing. */
export interface ParsedMessage {
  name?: string;
  messageId?: string;
  representative?: { representativeType?: string; displayName?: string; avatarImage?: string };
  text?: string;
  image?: unknown;
  richCard?: ParsedRichCard;
  fallback?: string;
  containsRichText?: boolean;
  suggestions?: ParsedSuggestion[];
}

export const surveyShape = message({ name: str });

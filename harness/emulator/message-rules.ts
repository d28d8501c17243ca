import { invalidArgument } from './google-errors.ts';
import type {
  ParsedCardContent,
  ParsedMessage,
  ParsedOauth,
  ParsedRichCard,
  ParsedSuggestion,
} from './message-schema.ts';

/** Limits from Google's Business Messages reference ("Send messages", Message resource). */
export const LIMITS = {
  textChars: 3072,
  fallbackChars: 3072,
  suggestions: 13,
  chipTextChars: 25,
  postbackDataChars: 2048,
  /** Rich card limits, as documented in the `businessmessages` client (CardContent, CarouselCard). */
  cardTitleChars: 200,
  cardDescriptionChars: 2000,
  cardSuggestions: 4,
  carouselMinCards: 2,
  carouselMaxCards: 10,
} as const;

export const CODE_CHALLENGE_METHODS = ['S256', 'plain'] as const;

export interface MessageWarning {
  field: string;
  message: string;
}

/** Counts characters as Google does (code points, so an emoji is one). */
function length(value: string): number {
  return [...value].length;
}

function maxLength(field: string, value: string | undefined, max: number): void {
  if (value !== undefined && length(value) > max) {
    throw invalidArgument(
      field,
      `${field} must be at most ${max} characters; got ${length(value)}.`,
    );
  }
}

/**
 * The business rules of conversations.messages.create (SPEC §2 step 3). Throws GoogleApiError
 * naming the first offending field; returns warnings (a missing codeChallengeMethod).
 */
export function checkMessageRules(msg: ParsedMessage): MessageWarning[] {
  if (!msg.messageId) throw invalidArgument('message.message_id', 'messageId is required.');
  const type = msg.representative?.representativeType;
  if (type !== 'BOT' && type !== 'HUMAN') {
    throw invalidArgument(
      'message.representative.representative_type',
      'representative.representativeType is required and must be BOT or HUMAN.',
    );
  }
  const bodies = (['text', 'image', 'richCard'] as const).filter((k) => msg[k] !== undefined);
  if (bodies.length !== 1) {
    throw invalidArgument(
      'message.content',
      `Exactly one of text, image or richCard must be set; got ${bodies.length === 0 ? 'none' : bodies.join(', ')}.`,
    );
  }
  if (msg.text !== undefined && msg.text.trim() === '') {
    throw invalidArgument('message.text', 'text must not be empty.');
  }
  maxLength('message.text', msg.text, LIMITS.textChars);
  maxLength('message.fallback', msg.fallback, LIMITS.fallbackChars);
  const cardWarnings = msg.richCard ? checkRichCard(msg.richCard, 'message.rich_card') : [];
  const suggestions = msg.suggestions ?? [];
  if (suggestions.length > LIMITS.suggestions) {
    throw invalidArgument(
      'message.suggestions',
      `suggestions must have at most ${LIMITS.suggestions} items; got ${suggestions.length}.`,
    );
  }
  return [
    ...cardWarnings,
    ...suggestions.flatMap((s, i) => checkSuggestion(s, `message.suggestions[${i}]`)),
  ];
}

function checkRichCard(card: ParsedRichCard, path: string): MessageWarning[] {
  const kinds = (['standaloneCard', 'carouselCard'] as const).filter((k) => card[k] !== undefined);
  if (kinds.length !== 1) {
    throw invalidArgument(
      path,
      `${path} must set exactly one of standaloneCard or carouselCard; got ${kinds.length === 0 ? 'none' : kinds.join(', ')}.`,
    );
  }
  if (card.standaloneCard) {
    const content = card.standaloneCard.cardContent;
    const contentPath = `${path}.standalone_card.card_content`;
    if (!content) throw invalidArgument(contentPath, `${contentPath} is required.`);
    return checkCardContent(content, contentPath);
  }
  const cards = card.carouselCard?.cardContents ?? [];
  const cardsPath = `${path}.carousel_card.card_contents`;
  if (cards.length < LIMITS.carouselMinCards || cards.length > LIMITS.carouselMaxCards) {
    throw invalidArgument(
      cardsPath,
      `${cardsPath} must have ${LIMITS.carouselMinCards} to ${LIMITS.carouselMaxCards} cards; got ${cards.length}.`,
    );
  }
  return cards.flatMap((c, i) => checkCardContent(c, `${cardsPath}[${i}]`));
}

function checkCardContent(content: ParsedCardContent, path: string): MessageWarning[] {
  maxLength(`${path}.title`, content.title, LIMITS.cardTitleChars);
  maxLength(`${path}.description`, content.description, LIMITS.cardDescriptionChars);
  const suggestions = content.suggestions ?? [];
  if (suggestions.length > LIMITS.cardSuggestions) {
    throw invalidArgument(
      `${path}.suggestions`,
      `${path}.suggestions must have at most ${LIMITS.cardSuggestions} items; got ${suggestions.length}.`,
    );
  }
  return suggestions.flatMap((s, i) => checkSuggestion(s, `${path}.suggestions[${i}]`));
}

function checkSuggestion(s: ParsedSuggestion, path: string): MessageWarning[] {
  const kinds = (['reply', 'action', 'liveAgentRequest', 'authenticationRequest'] as const).filter(
    (k) => s[k] !== undefined,
  );
  if (kinds.length !== 1) {
    throw invalidArgument(
      path,
      `${path} must set exactly one of reply, action, liveAgentRequest or authenticationRequest; got ${kinds.length === 0 ? 'none' : kinds.join(', ')}.`,
    );
  }
  const chip = s.reply ?? s.action;
  if (chip) {
    const chipPath = `${path}.${s.reply ? 'reply' : 'action'}`;
    if (!chip.text) throw invalidArgument(`${chipPath}.text`, `${chipPath}.text is required.`);
    maxLength(`${chipPath}.text`, chip.text, LIMITS.chipTextChars);
    if (!chip.postbackData) {
      throw invalidArgument(`${chipPath}.postback_data`, `${chipPath}.postbackData is required.`);
    }
    maxLength(`${chipPath}.postback_data`, chip.postbackData, LIMITS.postbackDataChars);
    return [];
  }
  if (s.authenticationRequest) {
    return checkOauth(s.authenticationRequest.oauth, `${path}.authentication_request.oauth`);
  }
  return [];
}

function checkOauth(oauth: ParsedOauth | undefined, path: string): MessageWarning[] {
  if (!oauth) throw invalidArgument(path, `${path} is required.`);
  if (!oauth.clientId) throw invalidArgument(`${path}.client_id`, `${path}.clientId is required.`);
  if (!oauth.codeChallenge) {
    throw invalidArgument(`${path}.code_challenge`, `${path}.codeChallenge is required.`);
  }
  if (!oauth.scopes || oauth.scopes.length === 0) {
    throw invalidArgument(`${path}.scopes`, `${path}.scopes must contain at least one scope.`);
  }
  const emptyScope = oauth.scopes.findIndex((scope) => scope.trim() === '');
  if (emptyScope >= 0) {
    throw invalidArgument(
      `${path}.scopes[${emptyScope}]`,
      `${path}.scopes[${emptyScope}] is empty.`,
    );
  }
  const method = oauth.codeChallengeMethod;
  if (method === undefined || method === '') {
    return [
      {
        field: `${path}.code_challenge_method`,
        message:
          'codeChallengeMethod omitted: Google documents the default as "plain", so the device forwards code_challenge_method=plain. Send "S256" — most providers reject plain, and plain exposes the verifier.',
      },
    ];
  }
  if (!(CODE_CHALLENGE_METHODS as readonly string[]).includes(method)) {
    throw invalidArgument(
      `${path}.code_challenge_method`,
      `${path}.codeChallengeMethod must be S256 or plain; got ${JSON.stringify(method)}.`,
    );
  }
  return [];
}

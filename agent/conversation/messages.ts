import { randomUUID } from 'node:crypto';
import type { BusinessMessage, Suggestion } from '../../wire/business-messages.ts';

/** postbackData of the "Try again" chip; tapping it sends a fresh sign-in request. */
export const RETRY_SIGN_IN_POSTBACK = 'bm-harness-agent:retry-sign-in';

const REPRESENTATIVE = { representativeType: 'BOT', displayName: 'Chatbot' } as const;

export function textMessage(text: string, suggestions?: Suggestion[]): BusinessMessage {
  return {
    messageId: randomUUID(),
    representative: { ...REPRESENTATIVE },
    text,
    ...(suggestions ? { suggestions } : {}),
  };
}

/**
 * The authentication request suggestion of Business Messages "Authenticate with OAuth", with
 * the PKCE method stated explicitly: Google documents `plain` as the default when omitted.
 */
export function authRequestMessage(input: {
  clientId: string;
  codeChallenge: string;
  scopes: readonly string[];
  fallback: string;
}): BusinessMessage {
  return {
    ...textMessage('Sign in to continue the conversation.'),
    fallback: input.fallback,
    suggestions: [
      {
        authenticationRequest: {
          oauth: {
            clientId: input.clientId,
            codeChallenge: input.codeChallenge,
            codeChallengeMethod: 'S256',
            scopes: [...input.scopes],
          },
        },
      },
    ],
  };
}

export function retryMessage(text: string): BusinessMessage {
  return textMessage(text, [
    { reply: { text: 'Try again', postbackData: RETRY_SIGN_IN_POSTBACK } },
  ]);
}

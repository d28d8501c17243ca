/**
 * Wire formats of the Business Messages and Business Communications APIs as the emulator
 * accepts and produces them (SPEC §2). Field names follow Google's REST reference for
 * `conversations.messages` and the webhook `UserMessage`.
 */

export type RepresentativeType = 'BOT' | 'HUMAN';

export interface Representative {
  representativeType: RepresentativeType;
  displayName?: string;
  avatarImage?: string;
}

export interface AuthenticationRequestOauth {
  clientId: string;
  codeChallenge: string;
  /** Google documents `plain` as the default when omitted. */
  codeChallengeMethod?: 'S256' | 'plain';
  scopes: string[];
}

export interface Suggestion {
  reply?: { text: string; postbackData: string };
  action?: { text: string; postbackData: string; [kind: string]: unknown };
  authenticationRequest?: { oauth: AuthenticationRequestOauth };
  liveAgentRequest?: Record<string, never>;
}

export interface BusinessMessage {
  name?: string;
  messageId: string;
  representative: Representative;
  text?: string;
  image?: unknown;
  richCard?: unknown;
  fallback?: string;
  suggestions?: Suggestion[];
  containsRichText?: boolean;
}

export type AuthErrorCode =
  | 'ERROR_UNSPECIFIED'
  | 'INVALID_REQUEST'
  | 'ACCESS_DENIED'
  | 'UNAUTHORIZED_CLIENT'
  | 'UNSUPPORTED_RESPONSE_TYPE'
  | 'INVALID_SCOPE'
  | 'SERVER_ERROR'
  | 'TEMPORARILY_UNAVAILABLE';

export type AuthenticationResponse =
  | { code: string; redirectUri: string }
  | { errorDetails: { error: AuthErrorCode; errorDescription?: string } };

export interface WebhookContext {
  entryPoint?: string;
  placeId?: string;
  resolvedLocale?: string;
  userInfo?: { displayName?: string; userDeviceLocale?: string };
  [key: string]: unknown;
}

interface WebhookEnvelope {
  agent: string;
  conversationId: string;
  customAgentId?: string;
  requestId?: string;
  context?: WebhookContext;
  sendTime: string;
}

export type UserMessage = WebhookEnvelope &
  (
    | { message: { messageId: string; name: string; text: string; createTime: string } }
    | { authenticationResponse: AuthenticationResponse }
    | {
        suggestionResponse: {
          message: string;
          postbackData: string;
          createTime: string;
          text: string;
          type: 'REPLY' | 'ACTION' | 'UNKNOWN';
        };
      }
    | { userStatus: { isTyping?: boolean; requestedLiveAgent?: boolean; createTime: string } }
    | {
        receipts: {
          receipts: { message: string; receiptType: 'DELIVERED' | 'READ' | 'ERROR' }[];
          createTime: string;
        };
      }
  );

/** Webhook setup handshake body (Business Communications partner webhook verification). */
export interface WebhookHandshake {
  clientToken: string;
  secret: string;
}

/** Google API error body (google.rpc.Status over HTTP/JSON). */
export interface GoogleErrorBody {
  error: {
    code: number;
    message: string;
    status: string;
    details?: unknown[];
  };
}

import type { AuthenticationResponse } from '../../wire/business-messages.ts';
import { isBusinessMessagesRedirectUri } from '../../wire/redirect-uris.ts';
import { AgentError, SignInError } from '../errors.ts';
import type { Messenger } from '../google/messenger.ts';
import type { AgentLogger } from '../log.ts';
import { createPkcePair, type ProviderClient } from '../oauth/provider-client.ts';
import type { AgentStore } from '../store/store.ts';
import {
  authRequestMessage,
  RETRY_SIGN_IN_POSTBACK,
  retryMessage,
  textMessage,
} from './messages.ts';

export interface FlowDeps {
  store: AgentStore;
  messenger: Messenger;
  provider: ProviderClient;
  log: AgentLogger;
  clientId: string;
  scopes: readonly string[];
  fallback: string;
  now: () => number;
}

export interface FlowResult {
  status: number;
  body: Record<string, unknown>;
}

type Event = Record<string, unknown> & { conversationId: string };

const FAILURE_TEXT: Record<SignInError['reason'], string> = {
  invalid_grant: 'That sign-in link expired or was already used. Tap "Try again" to sign in.',
  temporarily_unavailable: 'Sign-in is temporarily unavailable. Tap "Try again" in a moment.',
  provider_error: 'Sign-in did not complete. Tap "Try again" to sign in.',
};

/** What the agent does with one verified, de-duplicated webhook event. */
export async function handleWebhookEvent(deps: FlowDeps, event: Event): Promise<FlowResult> {
  if ('receipts' in event || 'userStatus' in event) {
    return {
      status: 200,
      body: { status: 'ignored', kind: 'receipts' in event ? 'receipts' : 'userStatus' },
    };
  }
  if ('authenticationResponse' in event) {
    return handleAuthenticationResponse(deps, event, event.authenticationResponse);
  }
  if ('message' in event || 'suggestionResponse' in event) {
    const postback = (event.suggestionResponse as { postbackData?: unknown } | undefined)
      ?.postbackData;
    const user = deps.store.getSignedIn(event.conversationId);
    if (user && postback !== RETRY_SIGN_IN_POSTBACK) {
      await deps.messenger.send(event.conversationId, textMessage(`Signed in as ${user.name}.`));
      return { status: 200, body: { status: 'already_signed_in' } };
    }
    return sendAuthRequest(deps, event.conversationId);
  }
  // Google added event kinds over time (surveys, live-agent requests…): answering non-2xx
  // would only make it redeliver, so unknown kinds are acknowledged and logged.
  deps.log.warn('event_ignored', {
    conversationId: event.conversationId,
    fields: Object.keys(event),
  });
  return { status: 200, body: { status: 'ignored', kind: 'unknown' } };
}

export async function sendAuthRequest(deps: FlowDeps, conversationId: string): Promise<FlowResult> {
  // A fresh verifier for every request (RFC 7636 §4.1): never reuse one across suggestions.
  const { verifier, challenge } = await createPkcePair();
  const message = authRequestMessage({
    clientId: deps.clientId,
    codeChallenge: challenge,
    scopes: deps.scopes,
    fallback: deps.fallback,
  });
  // Stored before sending: the user may tap (and the code arrive) before send() returns.
  deps.store.putPendingAuth({
    conversationId,
    codeVerifier: verifier,
    messageId: message.messageId,
    createdAt: deps.now(),
  });
  await deps.messenger.send(conversationId, message);
  deps.log.info('auth_request_sent', { conversationId, messageId: message.messageId });
  return { status: 200, body: { status: 'auth_request_sent', messageId: message.messageId } };
}

async function handleAuthenticationResponse(
  deps: FlowDeps,
  event: Event,
  response: unknown,
): Promise<FlowResult> {
  const { conversationId } = event;
  const auth = response as Partial<Record<string, unknown>> | null;
  const isCode = typeof auth?.code === 'string' && typeof auth.redirectUri === 'string';
  const errorDetails = auth?.errorDetails as { error?: unknown } | undefined;
  if (!isCode && typeof errorDetails?.error !== 'string') {
    throw new AgentError(
      'INVALID_AUTHENTICATION_RESPONSE',
      'authenticationResponse needs code + redirectUri, or errorDetails.error',
      400,
    );
  }
  const pending = deps.store.takePendingAuth(conversationId);
  const untold = isCode && !pending ? deps.store.getSignedIn(conversationId) : undefined;
  if (untold && untold.confirmedAt === undefined) {
    // Google redelivers when our answer was not 2xx: the code was already exchanged, only
    // the "Signed in as" message failed to go out. Tell the user now instead of refusing.
    await confirmSignIn(deps, conversationId, untold.name);
    return { status: 200, body: { status: 'signed_in' } };
  }
  if (!pending) {
    deps.log.warn('auth_response_refused', {
      conversationId,
      requestId: event.requestId,
      reason: 'no sign-in request is pending for this conversation',
    });
    return {
      status: 409,
      body: {
        error: 'no_pending_sign_in',
        message: `conversation ${conversationId} has no pending sign-in request`,
      },
    };
  }
  if (!isCode) {
    const error = String(errorDetails?.error);
    deps.log.info('sign_in_declined', { conversationId, error });
    await deps.messenger.send(conversationId, retryMessage(`Sign-in did not complete (${error}).`));
    return { status: 200, body: { status: 'sign_in_failed', reason: error } };
  }
  const { code, redirectUri } = auth as AuthenticationResponse & {
    code: string;
    redirectUri: string;
  };
  if (!isBusinessMessagesRedirectUri(redirectUri)) {
    deps.log.warn('unexpected_redirect_uri', { conversationId, redirectUri });
  }
  try {
    const identity = await deps.provider.exchangeCode(code, pending.codeVerifier, redirectUri);
    deps.store.putSignedIn({
      conversationId,
      subject: identity.subject,
      name: identity.name,
      signedInAt: deps.now(),
    });
    deps.log.info('signed_in', { conversationId, subject: identity.subject });
    await confirmSignIn(deps, conversationId, identity.name);
    return { status: 200, body: { status: 'signed_in' } };
  } catch (err) {
    if (!(err instanceof SignInError)) throw err;
    deps.log.warn('sign_in_failed', { conversationId, reason: err.reason, detail: err.message });
    await deps.messenger.send(conversationId, retryMessage(FAILURE_TEXT[err.reason]));
    return { status: 200, body: { status: 'sign_in_failed', reason: err.reason } };
  }
}

async function confirmSignIn(deps: FlowDeps, conversationId: string, name: string): Promise<void> {
  await deps.messenger.send(conversationId, textMessage(`Signed in as ${name}.`));
  deps.store.confirmSignedIn(conversationId, deps.now());
}

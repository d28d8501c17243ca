import { readFileSync } from 'node:fs';
import businessmessages from 'businessmessages';
import { JWT } from 'google-auth-library';
import type { BusinessMessage } from '../../wire/business-messages.ts';
import { AgentError } from '../errors.ts';

/** Sends Business Messages messages on the agent's behalf. */
export interface Messenger {
  send(conversationId: string, message: BusinessMessage): Promise<void>;
}

export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
}

export interface BusinessMessagesMessengerOptions {
  /** Service-account key (the parsed JSON key file). */
  serviceAccount: ServiceAccountKey;
  /**
   * Where the Business Messages API lives; the emulator's URL in tests. Undefined keeps the
   * client's default (https://businessmessages.googleapis.com/), e.g. under interception.
   */
  rootUrl?: string;
}

const BUSINESS_MESSAGES_SCOPE = 'https://www.googleapis.com/auth/businessmessages';

export function readServiceAccountKey(file: string): ServiceAccountKey {
  let key: ServiceAccountKey;
  try {
    key = JSON.parse(readFileSync(file, 'utf8')) as ServiceAccountKey;
  } catch (err) {
    throw new AgentError('SERVICE_ACCOUNT_KEY_UNREADABLE', `cannot read ${file}: ${err}`);
  }
  if (!key.client_email || !key.private_key) {
    throw new AgentError('SERVICE_ACCOUNT_KEY_INVALID', `${file} is not a service-account key`);
  }
  return key;
}

/**
 * The way Google's own Business Messages Node.js sample sends messages: the `businessmessages`
 * client with a `google.auth.JWT` service-account client. `google.auth.JWT` is
 * google-auth-library's `JWT`, imported here directly: loading all of `googleapis` for it
 * cost ~1.3 s of start-up and ~100 MB of memory. The JWT client gets its access
 * token from https://oauth2.googleapis.com/token (hard-coded in gtoken); in tests that host
 * is routed to the emulator by the harness's interception, exactly as for an unmodified agent.
 */
export function createBusinessMessagesMessenger(
  options: BusinessMessagesMessengerOptions,
): Messenger {
  const auth = new JWT({
    email: options.serviceAccount.client_email,
    key: options.serviceAccount.private_key,
    keyId: options.serviceAccount.private_key_id,
    scopes: [BUSINESS_MESSAGES_SCOPE],
  });
  const api = new businessmessages.businessmessages_v1.Businessmessages({});
  return {
    async send(conversationId, message) {
      try {
        await api.conversations.messages.create(
          {
            // googleapis-common only needs an AuthClient with request(); versions may differ.
            auth: auth as never,
            parent: `conversations/${conversationId}`,
            requestBody: message as never,
          },
          options.rootUrl ? { rootUrl: options.rootUrl } : {},
        );
      } catch (err) {
        const status = (err as { status?: number; response?: { status?: number } }).response
          ?.status;
        throw new AgentError(
          'BUSINESS_MESSAGES_SEND_FAILED',
          `sending message ${message.messageId} to conversation ${conversationId} failed` +
            (status ? ` with HTTP ${status}` : `: ${(err as Error).message}`),
          502,
          { cause: err },
        );
      }
    },
  };
}

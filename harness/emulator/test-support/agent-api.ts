import type {
  AuthenticationRequestOauth,
  BusinessMessage,
} from '../../../wire/business-messages.ts';

/**
 * A message carrying the authentication request suggestion, as an agent sends it (SPEC §2
 * step 3). `oauth` fields replace the defaults; a field set to undefined is left out (e.g.
 * `codeChallengeMethod: undefined` for the documented plain default).
 */
export function signInMessage(
  messageId: string,
  oauth: Partial<Record<keyof AuthenticationRequestOauth, unknown>> = {},
): BusinessMessage {
  const fields = {
    clientId: 'CID',
    codeChallenge: 'CH',
    codeChallengeMethod: 'S256',
    scopes: ['openid'],
    ...oauth,
  };
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return {
    messageId,
    representative: { representativeType: 'BOT' },
    text: 'Sign in',
    suggestions: [{ authenticationRequest: { oauth: defined as never } }],
  };
}

/** POST /v1/conversations/{id}/messages on the emulator, as the agent would. */
export function postAgentMessage(
  emulatorUrl: string,
  token: string,
  conversationId: string,
  message: unknown,
): Promise<Response> {
  return fetch(`${emulatorUrl}/v1/conversations/${conversationId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(message),
  });
}

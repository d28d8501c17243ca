import { createHmac } from 'node:crypto';
import { TEST_WEBHOOK_CLIENT_TOKEN } from '../../wire/defaults.ts';

/** Posts a webhook body signed like Business Messages (HMAC-SHA512 of the raw bytes). */
export async function postSigned(
  url: string,
  body: unknown,
  options: { clientToken?: string; signature?: string | null } = {},
): Promise<Response> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const signature =
    options.signature === undefined
      ? createHmac('sha512', options.clientToken ?? TEST_WEBHOOK_CLIENT_TOKEN)
          .update(raw)
          .digest('base64')
      : options.signature;
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'x-goog-signature': signature }),
    },
    body: raw,
  });
}

let counter = 0;
export function userMessage(conversationId: string, text = 'hi', requestId?: string) {
  counter += 1;
  return {
    agent: 'brands/harness-brand/agents/harness-agent',
    conversationId,
    customAgentId: 'x',
    requestId: requestId ?? `req-${counter}-${Date.now()}`,
    message: {
      messageId: `m-${counter}`,
      name: `conversations/${conversationId}/messages/m-${counter}`,
      text,
      createTime: new Date().toISOString(),
    },
    context: { userInfo: { displayName: 'Alice', userDeviceLocale: 'en' } },
    sendTime: new Date().toISOString(),
  };
}

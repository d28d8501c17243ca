import { randomBytes } from 'node:crypto';
import type { WebhookHandshake } from '../../wire/business-messages.ts';
import { SIGNATURE_HEADER, signWebhookBody } from './signature.ts';

export class WebhookVerificationError extends Error {
  readonly code = 'WEBHOOK_VERIFICATION_FAILED';
  readonly status?: number;
  constructor(message: string, status?: number) {
    super(message);
    this.name = 'WebhookVerificationError';
    this.status = status;
  }
}

export interface HandshakeResult {
  status: number;
  latencyMs: number;
}

/**
 * Business Messages verifies a webhook before using it: it POSTs `{clientToken, secret}` and
 * the webhook must answer 200 with the secret as the plain-text body ("Configure your
 * webhook", Business Messages guide). Resolves when it does; throws
 * WebhookVerificationError otherwise.
 */
export async function verifyWebhookEndpoint(
  url: string,
  clientToken: string,
  options: { secret?: string; timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<HandshakeResult> {
  const secret = options.secret ?? randomBytes(16).toString('hex');
  const body = JSON.stringify({ clientToken, secret } satisfies WebhookHandshake);
  const started = performance.now();
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(url, {
      method: 'POST',
      // Signed like every other delivery, so agents that check signatures first still pass.
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signWebhookBody(clientToken, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (err) {
    throw new WebhookVerificationError(
      `webhook ${url} is unreachable: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const text = await res.text();
  const latencyMs = Math.round(performance.now() - started);
  if (res.status !== 200) {
    throw new WebhookVerificationError(
      `webhook answered HTTP ${res.status}, expected 200`,
      res.status,
    );
  }
  if (text !== secret) {
    throw new WebhookVerificationError(
      'webhook did not echo the verification secret as its plain-text body',
      res.status,
    );
  }
  return { status: res.status, latencyMs };
}

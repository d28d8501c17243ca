import { ASSISTANT_SIGNATURE_HEADER } from '../../wire/assistant.ts';
import { buildAssistantSignature, type BuildAssistantSignatureOptions } from './variants.ts';

export class AssistantSendError extends Error {
  readonly code = 'ASSISTANT_SEND_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AssistantSendError';
  }
}

export interface SendAssistantRequestOptions extends BuildAssistantSignatureOptions {
  /** Webhook URL of the conversational Action. */
  url: string;
  /** Request body: sent as is when a string, JSON-encoded otherwise. */
  body: unknown;
  /** Signature variant (default `valid`). */
  variant?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface SendAssistantRequestResult {
  variant: string;
  status: number;
  contentType: string | null;
  body: unknown;
  text: string;
  /** Whether a signature header was sent (not for `missing-header`). */
  signed: boolean;
}

/** Posts a conversational webhook request with a `google-assistant-signature` variant. */
export async function sendAssistantRequest(
  options: SendAssistantRequestOptions,
): Promise<SendAssistantRequestResult> {
  const variant = options.variant ?? 'valid';
  const signature = await buildAssistantSignature(variant, options);
  const headers: Record<string, string> = {
    'content-type': 'application/json;charset=utf-8',
    'user-agent': 'Google-ActionsOnGoogle/1.0 (bm-oauth-harness)',
  };
  if (signature !== undefined) headers[ASSISTANT_SIGNATURE_HEADER] = signature;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(options.url, {
      method: 'POST',
      headers,
      body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new AssistantSendError(
      `cannot reach ${options.url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
      { cause: err },
    );
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return {
    variant,
    status: response.status,
    contentType: response.headers.get('content-type'),
    body,
    text,
    signed: signature !== undefined,
  };
}

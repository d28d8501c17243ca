import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fixturePath } from '../../wire/package-root.ts';
import { googleTimestamp } from './envelope.ts';
import { SIGNATURE_HEADER, signWebhookBody } from './signature.ts';

export class ReplayError extends Error {
  readonly code: 'FIXTURE_NOT_FOUND' | 'FIXTURE_INVALID' | 'OVERRIDE_INVALID' | 'SEND_FAILED';
  constructor(code: ReplayError['code'], message: string) {
    super(message);
    this.name = 'ReplayError';
    this.code = code;
  }
}

export const WEBHOOK_FIXTURE_DIR = fixturePath('webhooks');

export function listWebhookFixtures(): string[] {
  return readdirSync(WEBHOOK_FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** A path, or the name of a bundled fixture (`auth-success` or `auth-success.json`). */
export function resolveWebhookFixture(nameOrPath: string): string {
  if (existsSync(nameOrPath)) return nameOrPath;
  const bundled = fixturePath(
    'webhooks',
    nameOrPath.endsWith('.json') ? nameOrPath : `${nameOrPath}.json`,
  );
  if (existsSync(bundled)) return bundled;
  throw new ReplayError(
    'FIXTURE_NOT_FOUND',
    `no fixture ${JSON.stringify(nameOrPath)}: not a file, and not one of ${listWebhookFixtures().join(', ')}`,
  );
}

export function loadWebhookFixture(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ReplayError('FIXTURE_INVALID', `${path} is not JSON: ${(err as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ReplayError('FIXTURE_INVALID', `${path} does not hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

export interface ReplayOverrides {
  conversationId?: string;
  agent?: string;
  customAgentId?: string;
  requestId?: string;
  /** authenticationResponse.code */
  code?: string;
  /** authenticationResponse.redirectUri */
  redirectUri?: string;
  /** Re-stamp sendTime and every createTime. */
  now?: Date;
}

/** Fills the placeholders of a fixture; message names follow a new conversation id. */
export function applyOverrides(
  payload: Record<string, unknown>,
  o: ReplayOverrides,
): Record<string, unknown> {
  let text = JSON.stringify(payload);
  const oldConversation = payload.conversationId;
  if (o.conversationId !== undefined && typeof oldConversation === 'string') {
    text = text
      .split(`conversations/${oldConversation}/`)
      .join(`conversations/${o.conversationId}/`);
  }
  const out = JSON.parse(text) as Record<string, unknown>;
  if (o.conversationId !== undefined) out.conversationId = o.conversationId;
  if (o.agent !== undefined) out.agent = o.agent;
  if (o.customAgentId !== undefined) out.customAgentId = o.customAgentId;
  if (o.requestId !== undefined) {
    // Google's receipts events have no requestId (nor context): adding one fakes a shape
    // the agent never receives.
    if ('receipts' in out) {
      throw new ReplayError('OVERRIDE_INVALID', '--request-id: receipts carry no requestId');
    }
    out.requestId = o.requestId;
  }
  if (o.code !== undefined || o.redirectUri !== undefined) {
    const auth = out.authenticationResponse as Record<string, unknown> | undefined;
    if (!auth || 'errorDetails' in auth) {
      throw new ReplayError(
        'OVERRIDE_INVALID',
        '--code/--redirect-uri apply only to an authenticationResponse success fixture',
      );
    }
    if (o.code !== undefined) auth.code = o.code;
    if (o.redirectUri !== undefined) auth.redirectUri = o.redirectUri;
  }
  if (o.now) {
    const stamp = googleTimestamp(o.now);
    out.sendTime = stamp;
    for (const value of Object.values(out)) {
      if (value && typeof value === 'object' && 'createTime' in value)
        (value as { createTime: string }).createTime = stamp;
    }
  }
  return out;
}

export interface ReplayResult {
  status: number;
  body: string;
  latencyMs: number;
  /** The exact bytes sent. */
  sent: string;
}

/** POSTs one payload, signed, once (no retries: replay shows exactly what the agent answers). */
export async function replayWebhook(options: {
  url: string;
  payload: Record<string, unknown>;
  clientToken: string;
  timeoutMs?: number;
}): Promise<ReplayResult> {
  const sent = JSON.stringify(options.payload);
  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signWebhookBody(options.clientToken, sent),
      },
      body: sent,
      // Show what the webhook URL itself answers; Google never followed a redirect either.
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (err) {
    const cause =
      err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
    throw new ReplayError(
      'SEND_FAILED',
      `could not POST to ${options.url}: ${(err as Error).message}${cause}`,
    );
  }
  const body = await res.text();
  return { status: res.status, body, latencyMs: Math.round(performance.now() - started), sent };
}

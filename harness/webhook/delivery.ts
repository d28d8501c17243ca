import { setTimeout as sleep } from 'node:timers/promises';
import { redactUrl } from '../../wire/redact.ts';
import { SIGNATURE_HEADER, signWebhookBody } from './signature.ts';

/** One HTTP attempt at delivering a webhook; `status` is absent when no response arrived. */
export interface DeliveryAttempt {
  attempt: number;
  at: string;
  status?: number;
  latencyMs: number;
  error?: string;
  /** First bytes of the agent's answer, for the timeline. */
  responseSnippet?: string;
}

export interface DeliveryResult {
  delivered: boolean;
  attempts: DeliveryAttempt[];
  /** True when `signal` stopped the delivery (e.g. the emulator is closing). */
  cancelled?: boolean;
}

export interface RetryPolicy {
  /** Total attempts including the first. Google retried for days; a test harness must end. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
  /** Per-attempt timeout; a slow agent counts as a failed attempt. */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  factor: 2,
  timeoutMs: 10_000,
};

export interface DeliverOptions {
  url: string;
  clientToken: string;
  /** The exact bytes sent and signed. */
  body: string;
  retry?: Partial<RetryPolicy>;
  /** Called after every attempt, so callers can record it as it happens. */
  onAttempt?: (attempt: DeliveryAttempt) => void;
  fetch?: typeof fetch;
  /** Stops waiting and retrying at once. */
  signal?: AbortSignal;
}

/** Delay before attempt `n + 1` (n ≥ 1): bounded exponential backoff. */
export function backoffDelay(policy: RetryPolicy, attemptsSoFar: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** (attemptsSoFar - 1));
}

/**
 * POSTs a signed webhook, retrying on non-2xx, network errors and timeouts. Never throws for
 * delivery failures: the result (and `onAttempt`) says what happened.
 */
export async function deliverWebhook(options: DeliverOptions): Promise<DeliveryResult> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const doFetch = options.fetch ?? fetch;
  const signature = signWebhookBody(options.clientToken, options.body);
  const attempts: DeliveryAttempt[] = [];
  for (let n = 1; n <= policy.maxAttempts; n++) {
    if (options.signal?.aborted) return { delivered: false, attempts, cancelled: true };
    const started = performance.now();
    const attempt: DeliveryAttempt = { attempt: n, at: new Date().toISOString(), latencyMs: 0 };
    try {
      const res = await doFetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signature,
          'user-agent': 'Google-Business-Messages (bm-oauth-harness emulator)',
        },
        body: options.body,
        // Google posts to the configured URL only; a redirect is an answer, not a delivery.
        redirect: 'manual',
        signal: options.signal
          ? AbortSignal.any([AbortSignal.timeout(policy.timeoutMs), options.signal])
          : AbortSignal.timeout(policy.timeoutMs),
      });
      attempt.status = res.status;
      attempt.responseSnippet = (await res.text()).slice(0, 200);
      if (!res.ok) {
        const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
        attempt.error = `agent answered HTTP ${res.status}${location !== null ? ` (a redirect to ${redactUrl(location)}; redirects are not followed)` : ''}`;
      }
    } catch (err) {
      attempt.error = describeFetchError(err, policy.timeoutMs);
    }
    attempt.latencyMs = Math.round(performance.now() - started);
    attempts.push(attempt);
    options.onAttempt?.(attempt);
    if (attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300) {
      return { delivered: true, attempts };
    }
    if (n < policy.maxAttempts) {
      try {
        await sleep(backoffDelay(policy, n), undefined, { signal: options.signal });
      } catch {
        return { delivered: false, attempts, cancelled: true };
      }
    }
  }
  return { delivered: false, attempts };
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  if (err instanceof DOMException && err.name === 'AbortError') return 'cancelled';
  if (err instanceof DOMException && err.name === 'TimeoutError') {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err instanceof Error ? err.message : String(err)}${cause}`;
}

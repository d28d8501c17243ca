/**
 * Polls until every URL answers below 500 (a 404 still means "up"; a 503 means "starting").
 */
export async function waitUntilAnswering(urls: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(urls);
  while (pending.size > 0) {
    await Promise.all(
      [...pending].map(async (url) => {
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
          await response.arrayBuffer();
          if (response.status < 500) pending.delete(url);
        } catch {
          // not up yet
        }
      }),
    );
    if (pending.size === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`no answer after ${timeoutMs} ms from: ${[...pending].join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

import { escapeHtml } from './interactions/layout.ts';

/**
 * Token endpoint error bodies that break RFC 6749 §5.2, for the `nonStandardErrors`
 * misbehave switch. Real providers have shipped both of these.
 */
export function nonStandardErrorBody(
  mode: 'message' | 'html',
  status: number,
  error: string,
  description: string,
): { status: number; type: string; body: string } {
  if (mode === 'html') {
    // 200 with an HTML page: clients that trust the status code think the exchange worked.
    return {
      status: 200,
      type: 'html',
      body: `<!doctype html><html lang="en"><head><title>Error</title></head><body><h1>Something went wrong</h1><p>${escapeHtml(
        `${error}: ${description}`,
      )}</p></body></html>`,
    };
  }
  // No `error` member, so a spec-following client cannot tell which error happened.
  return { status, type: 'json', body: JSON.stringify({ message: `${error}: ${description}` }) };
}

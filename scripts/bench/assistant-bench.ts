import { loadAssistantRequestFixture } from '../../harness/assistant/request-fixtures.ts';
import { signAssistantJwt } from '../../harness/assistant/sign.ts';
import { startChild } from './child.ts';
import { type ChildLoadResult, measureChild } from './measure-child.ts';

export type AssistantTarget = 'ours' | 'official';

export interface AssistantBenchResult extends ChildLoadResult {
  target: AssistantTarget;
}

/**
 * Valid signed Assistant requests (the main-invocation fixture, each with its own freshly
 * signed `google-assistant-signature`, cycled from a pre-signed pool so that signing is not
 * part of what is measured) against a webhook in its own child process.
 */
export async function benchAssistant(
  target: AssistantTarget,
  options: { concurrency: number; durationMs: number },
): Promise<AssistantBenchResult> {
  const child = await startChild(['scripts/bench/servers/assistant-target.ts', target]);
  try {
    const url = new URL(String(child.info.url));
    const body = loadAssistantRequestFixture('main-invocation').raw;
    const tokens = await Promise.all(Array.from({ length: 256 }, () => signAssistantJwt()));
    const result = await measureChild(
      child,
      {
        origin: url.origin,
        concurrency: options.concurrency,
        next: (_w, i) => ({
          method: 'POST',
          path: url.pathname,
          headers: {
            'content-type': 'application/json',
            'google-assistant-signature': tokens[i % tokens.length]!,
          },
          body,
        }),
      },
      options.durationMs,
    );
    return { target, ...result };
  } finally {
    await child.stop();
  }
}

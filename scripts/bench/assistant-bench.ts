import { loadAssistantRequestFixture } from '../../harness/assistant/request-fixtures.ts';
import { signAssistantJwt } from '../../harness/assistant/sign.ts';
import { startChild } from './child.ts';
import { type LoadResult, runLoad } from './load-generator.ts';

export type AssistantTarget = 'ours' | 'official';

export interface AssistantBenchResult extends LoadResult {
  target: AssistantTarget;
  peakRssMb?: number;
  serverCpuMsPerRequest?: number;
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
    const run = (durationMs: number) =>
      runLoad({
        origin: url.origin,
        concurrency: options.concurrency,
        durationMs,
        next: (_w, i) => ({
          method: 'POST',
          path: url.pathname,
          headers: {
            'content-type': 'application/json',
            'google-assistant-signature': tokens[i % tokens.length]!,
          },
          body,
        }),
      });
    await run(Math.min(1000, options.durationMs / 4)); // warm-up: JIT, certs cache
    const cpu0 = child.cpuMs();
    const result = await run(options.durationMs);
    const cpu1 = child.cpuMs();
    return {
      target,
      ...result,
      peakRssMb: child.peakRssMb(),
      // Server CPU per answered request: a figure the machine's other load disturbs less.
      serverCpuMsPerRequest:
        cpu0 !== undefined && cpu1 !== undefined && result.ok > 0
          ? (cpu1 - cpu0) / result.ok
          : undefined,
    };
  } finally {
    await child.stop();
  }
}

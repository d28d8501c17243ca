import type { BenchChild } from './child.ts';
import { type LoadOptions, type LoadResult, runLoad } from './load-generator.ts';

export interface ChildLoadResult extends LoadResult {
  peakRssMb?: number;
  /** Server CPU per answered request: a figure the machine's other load disturbs less. */
  serverCpuMsPerRequest?: number;
}

/**
 * Loads a server running in a child process: an uncounted warm-up (JIT, caches), then the
 * measured run, with the child's peak RSS and CPU time per answered request.
 */
export async function measureChild(
  child: BenchChild,
  load: Omit<LoadOptions, 'durationMs'>,
  durationMs: number,
): Promise<ChildLoadResult> {
  await runLoad({ ...load, durationMs: Math.min(1000, durationMs / 4) });
  const cpu0 = child.cpuMs();
  const result = await runLoad({ ...load, durationMs });
  const cpu1 = child.cpuMs();
  return {
    ...result,
    peakRssMb: child.peakRssMb(),
    serverCpuMsPerRequest:
      cpu0 !== undefined && cpu1 !== undefined && result.ok > 0
        ? (cpu1 - cpu0) / result.ok
        : undefined,
  };
}

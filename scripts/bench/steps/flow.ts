/**
 * Bench step (own process, as it loads the interception): startHarness() start time, the
 * full sign-in flow latency at concurrency 1, and flows per second at concurrency 16.
 *   node scripts/bench/steps/flow.ts [--flows N] [--c16-ms MS]
 * Prints one JSON object.
 */
import { Command } from 'commander';
import { startHarness } from '../../../harness/start/start-harness.ts';
import { flowBreakdown, timedFlow } from '../flow-wait.ts';
import { round, summarize } from '../stats.ts';

const opts = new Command('bench-flow')
  .option('--flows <n>', 'flows measured at concurrency 1', '200')
  .option('--c16-ms <ms>', 'duration of the concurrency-16 run', '5000')
  .option('--starts <n>', 'startHarness() calls measured', '7')
  .parse()
  .opts<{ flows: string; c16Ms: string; starts: string }>();

// startHarness() until all three answer: the call resolves once the three servers listen.
const startTimes: number[] = [];
for (let i = 0; i < Number(opts.starts); i++) {
  const t = performance.now();
  const h = await startHarness();
  startTimes.push(performance.now() - t);
  await h.close();
}

const harness = await startHarness();
const { emulator } = harness;
// One waiter per conversation in flight; more than EventEmitter's default 10 is expected.
emulator.store.setMaxListeners(0);
for (let i = 0; i < 20; i++) await timedFlow(emulator); // warm-up (JIT, token caches)

const latencies: number[] = [];
const breakdowns: ReturnType<typeof flowBreakdown>[] = [];
const cpu0 = process.cpuUsage();
for (let i = 0; i < Number(opts.flows); i++) {
  const { ms, conversationId } = await timedFlow(emulator);
  latencies.push(ms);
  breakdowns.push(flowBreakdown(emulator, conversationId));
}
const cpu = process.cpuUsage(cpu0);
const flow = summarize(latencies);
const median = (key: keyof ReturnType<typeof flowBreakdown>) =>
  summarize(breakdowns.map((b) => b[key]).filter(Number.isFinite)).p50;

// Concurrency 16: keep 16 flows in flight for a fixed time.
const deadline = performance.now() + Number(opts.c16Ms);
let completed = 0;
let failed = 0;
const t16 = performance.now();
await Promise.all(
  Array.from({ length: 16 }, async (_, w) => {
    while (performance.now() < deadline) {
      try {
        await timedFlow(emulator, w % 2 ? 'bob' : 'alice');
        completed++;
      } catch {
        failed++;
      }
    }
  }),
);
const c16Elapsed = performance.now() - t16;
await harness.close();

const startSorted = [...startTimes].sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    start_harness_ms: round(startSorted[Math.floor(startSorted.length / 2)]!),
    start_harness_first_ms: round(startTimes[0]!),
    flow_p50_ms: round(flow.p50),
    flow_p95_ms: round(flow.p95),
    flow_p99_ms: round(flow.p99),
    flow_count: flow.count,
    flow_cpu_ms_per_flow: round((cpu.user + cpu.system) / 1000 / flow.count),
    flow_breakdown_p50_ms: {
      agent_sends_suggestion: median('agent_sends_suggestion_ms'),
      device_login_walk: median('device_login_walk_ms'),
      agent_handles_code: median('agent_handles_code_ms'),
    },
    flows_per_s_c16: round((completed * 1000) / c16Elapsed),
    flows_c16_completed: completed,
    flows_c16_failed: failed,
  })}\n`,
);

/**
 * `npm run bench [-- --json]`: the harness's figures (issue 7) on this machine, one run.
 * Each step stops by itself; servers under load run in child processes, the load generator
 * (scripts/bench/load-generator.ts) in this one. Loopback only.
 */
import { Command } from 'commander';
import { benchAssistant } from './assistant-bench.ts';
import { runStepScript } from './child.ts';
import { benchDevAll } from './dev-all-bench.ts';
import { round } from './stats.ts';
import {
  BENCH_KEYS,
  type BenchFigures,
  type BenchKey,
  targetStatus,
  targetText,
} from './targets.ts';
import { benchTokenEndpoint, type TokenBenchResult } from './token-bench.ts';

/** Alternating rounds per token target: the machine's other load drifts during a run. */
const TOKEN_ROUNDS = 5;

const opts = new Command('bench')
  .description(
    'Measure sign-in flow latency, throughput, token endpoint, Assistant and start-up figures.',
  )
  .option('--json', 'print one JSON object with the figures (nothing else on stdout)')
  .option(
    '--details',
    'with --json: add a "details" object (breakdowns, CPU per request, RSS per service)',
  )
  .option('--duration <ms>', 'duration of each load run', '5000')
  .option('--concurrency <n>', 'in-flight requests of the token and Assistant load runs', '16')
  .option('--flows <n>', 'sign-in flows timed at concurrency 1', '200')
  .parse()
  .opts<{
    json?: boolean;
    details?: boolean;
    duration: string;
    concurrency: string;
    flows: string;
  }>();

const durationMs = Number(opts.duration);
const concurrency = Number(opts.concurrency);
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const figures = Object.fromEntries(BENCH_KEYS.map((k) => [k, null])) as BenchFigures;
const details: Record<string, unknown> = {};
const failures: string[] = [];

async function step(name: string, run: () => Promise<void>) {
  const t = performance.now();
  progress(`${name}…`);
  try {
    await run();
    progress(`${name} done in ${Math.round(performance.now() - t)} ms`);
  } catch (err) {
    failures.push(`${name}: ${(err as Error).message}`);
    progress(`${name} FAILED: ${(err as Error).message}`);
  }
}

await step('sign-in flows in process (startHarness)', async () => {
  const r = await runStepScript([
    'scripts/bench/steps/flow.ts',
    '--flows',
    opts.flows,
    '--c16-ms',
    String(durationMs),
  ]);
  for (const key of ['flow_p50_ms', 'flow_p95_ms', 'flow_p99_ms', 'flows_per_s_c16'] as const) {
    figures[key] = r[key] as number;
  }
  figures.start_harness_ms = r.start_harness_first_ms as number;
  details.flow = r;
});

await step('token endpoints (refresh_token grant)', async () => {
  // Alternating rounds, median per target: the machine's other load drifts over a run, and
  // the ratio against bare oidc-provider should compare like with like.
  const targets = ['ours', 'bare', 'oauth2-mock-server'] as const;
  const rounds: Record<string, TokenBenchResult[]> = {};
  for (let round = 0; round < TOKEN_ROUNDS; round++) {
    for (const target of targets) {
      const r = await benchTokenEndpoint(target, {
        concurrency,
        durationMs: durationMs / 2,
      });
      if (r.errors > 0)
        failures.push(`token ${target}: ${r.errors} errors, first: ${r.firstError}`);
      rounds[target] = [...(rounds[target] ?? []), r];
    }
  }
  const median = (target: string) => {
    const sorted = [...rounds[target]!].sort((a, b) => a.rps - b.rps);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  for (const target of targets) {
    details[`token_${target}`] = {
      ...median(target),
      roundsRps: rounds[target]!.map((r) => round(r.rps)),
    };
  }
  figures.token_rps_ours = round(median('ours').rps);
  figures.token_rps_bare = round(median('bare').rps);
  // Ours against bare within each round (measured seconds apart), then the median: steadier
  // than a ratio of medians taken at different moments.
  const ratios = rounds.ours!.map((r, i) => r.rps / rounds.bare![i]!.rps).sort((a, b) => a - b);
  figures.token_ratio_vs_bare = round(ratios[Math.floor(ratios.length / 2)]!);
  details.token_ratio_rounds = ratios.map(round);
  figures.token_rps_oauth2_mock_server = round(median('oauth2-mock-server').rps);
});

await step('Assistant webhooks (valid signed requests)', async () => {
  for (const target of ['ours', 'official'] as const) {
    const r = await benchAssistant(target, { concurrency, durationMs });
    if (r.errors > 0)
      failures.push(`assistant ${target}: ${r.errors} errors, first: ${r.firstError}`);
    details[`assistant_${target}`] = r;
  }
  figures.assistant_rps = round((details.assistant_ours as { rps: number }).rps);
  figures.assistant_rps_official = round((details.assistant_official as { rps: number }).rps);
});

await step('dev:all start-up and the three processes under load', async () => {
  const r = await benchDevAll({ loadMs: durationMs });
  figures.dev_all_ready_ms = r.dev_all_ready_ms;
  figures.peak_rss_mb = r.peak_rss_total_mb;
  details.dev_all = r;
});

if (opts.json) {
  const out: Record<string, unknown> = { ...figures };
  if (opts.details) out.details = { ...details, failures };
  process.stdout.write(`${JSON.stringify(out)}\n`);
} else {
  printTable();
}
if (failures.length > 0) {
  for (const f of failures) process.stderr.write(`[bench] problem: ${f}\n`);
  process.exitCode = 1;
}

function printTable() {
  const notes: Partial<Record<BenchKey, string>> = {
    flow_p50_ms: describeBreakdown(),
    flows_per_s_c16: 'in process, 16 conversations in flight',
    token_rps_ours: cpuNote('token_ours'),
    token_rps_bare: cpuNote('token_bare'),
    token_rps_oauth2_mock_server: cpuNote('token_oauth2-mock-server'),
    token_ratio_vs_bare: `median of ${TOKEN_ROUNDS} per-round ratios (ours and bare measured back to back)`,
    start_harness_ms: `first call in a fresh process; warm median ${(details.flow as { start_harness_ms?: number })?.start_harness_ms ?? '?'} ms`,
    assistant_rps: cpuNote('assistant_ours'),
    assistant_rps_official: cpuNote('assistant_official'),
    peak_rss_mb: rssNote(),
  };
  const rows = BENCH_KEYS.map((key) => [
    key,
    figures[key] === null ? 'n/a' : String(figures[key]),
    targetText(key),
    targetStatus(key, figures[key]),
    notes[key] ?? '',
  ]);
  const head = ['figure', 'value', 'target', 'status', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r).trimEnd());
  console.log(`\nload: closed loop, ${concurrency} in flight, ${durationMs} ms per run, loopback.`);
}

function describeBreakdown(): string {
  const b = (details.flow as { flow_breakdown_p50_ms?: Record<string, number> })
    ?.flow_breakdown_p50_ms;
  if (!b) return '';
  return `median split: agent→suggestion ${b.agent_sends_suggestion} ms, device login ${b.device_login_walk} ms, agent code→reply ${b.agent_handles_code} ms`;
}

function cpuNote(key: string): string {
  const r = details[key] as
    | { serverCpuMsPerRequest?: number; latencyMs?: { p50: number } }
    | undefined;
  if (!r) return '';
  const cpu = r.serverCpuMsPerRequest;
  return `p50 ${round(r.latencyMs?.p50 ?? 0)} ms${cpu ? `; server CPU ${round(cpu)} ms/req` : ''}`;
}

function rssNote(): string {
  const r = details.dev_all as { peak_rss_mb?: Record<string, number> } | undefined;
  if (!r?.peak_rss_mb) return '';
  return `sum of per-process peaks (VmHWM) under load: ${Object.entries(r.peak_rss_mb)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}`;
}

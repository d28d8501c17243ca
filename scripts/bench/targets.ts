/** The figures `npm run bench --json` reports (issue 7), in order. */
export const BENCH_KEYS = [
  'flow_p50_ms',
  'flow_p95_ms',
  'flow_p99_ms',
  'flows_per_s_c16',
  'token_rps_ours',
  'token_rps_bare',
  'token_ratio_vs_bare',
  'token_rps_oauth2_mock_server',
  'start_harness_ms',
  'dev_all_ready_ms',
  'assistant_rps',
  'assistant_rps_official',
  'peak_rss_mb',
] as const;

export type BenchKey = (typeof BENCH_KEYS)[number];
export type BenchFigures = Record<BenchKey, number | null>;

/** Targets on 2 cores (issue 7). `max`: at most; `min`: at least. */
export const BENCH_TARGETS: Partial<Record<BenchKey, { max?: number; min?: number }>> = {
  flow_p50_ms: { max: 10 },
  flows_per_s_c16: { min: 150 },
  token_ratio_vs_bare: { min: 0.9 },
  start_harness_ms: { max: 300 },
  dev_all_ready_ms: { max: 3000 },
  assistant_rps: { min: 3000 },
};

export function targetStatus(key: BenchKey, value: number | null): 'met' | 'MISSED' | '' {
  const target = BENCH_TARGETS[key];
  if (!target || value === null) return '';
  if (target.max !== undefined && value > target.max) return 'MISSED';
  if (target.min !== undefined && value < target.min) return 'MISSED';
  return 'met';
}

export function targetText(key: BenchKey): string {
  const target = BENCH_TARGETS[key];
  if (!target) return '';
  return target.max !== undefined ? `<= ${target.max}` : `>= ${target.min}`;
}

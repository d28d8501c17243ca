import type { ConversationView, TimelineEntryView } from './judge.ts';

/** One line of the simulated conversation: who talked to whom, what, status, when. */
export interface SimulationStep {
  ms: number;
  from: string;
  to: string;
  kind: string;
  what: string;
  status?: number;
  /** How long the step itself took, where the timeline knows it. */
  durationMs?: number;
  level: string;
}

/** The actors of SPEC §2, read off the timeline kind's first segment. */
const ACTORS: Record<string, [string, string]> = {
  conversation: ['user', 'emulator'],
  webhook: ['emulator', 'agent'],
  agent: ['agent', 'emulator'],
  api: ['agent', 'emulator'],
  token: ['agent', 'google-token'],
  device: ['device', 'provider'],
  warning: ['emulator', 'log'],
};

export function stepsOf(view: ConversationView): SimulationStep[] {
  const start = Date.parse(view.createdAt);
  return view.timeline.map((entry) => toStep(entry, start));
}

function toStep(entry: TimelineEntryView, start: number): SimulationStep {
  const [from, to] = ACTORS[entry.kind.split('.')[0]!] ?? ['emulator', 'emulator'];
  const data = entry.data as { status?: unknown; ms?: unknown; latencyMs?: unknown } | undefined;
  const status = data?.status;
  const duration = typeof data?.ms === 'number' ? data.ms : data?.latencyMs;
  return {
    ms: Math.max(0, Date.parse(entry.at) - start),
    from,
    to,
    kind: entry.kind,
    what: entry.summary,
    ...(typeof status === 'number' ? { status } : {}),
    ...(typeof duration === 'number' ? { durationMs: Math.round(duration) } : {}),
    level: entry.level,
  };
}

export function formatSteps(steps: SimulationStep[]): string {
  return steps
    .map((s) => {
      const mark = s.level === 'error' ? '✗' : s.level === 'warn' ? '!' : ' ';
      const status = s.status === undefined ? '' : ` [${s.status}]`;
      const took = s.durationMs === undefined ? '' : ` (${s.durationMs} ms)`;
      return `${mark} +${String(s.ms).padStart(5)} ms  ${`${s.from} → ${s.to}`.padEnd(24)} ${s.what}${status}${took}`;
    })
    .join('\n');
}

import { redact } from '../wire/redact.ts';

export type AgentLogLevel = 'info' | 'warn' | 'error';

export interface AgentLogEntry {
  level: AgentLogLevel;
  event: string;
  at: string;
  [field: string]: unknown;
}

/** Where the agent's events go; entries are already redacted. */
export type AgentLogSink = (entry: AgentLogEntry) => void;

export interface AgentLogger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  /** The most recent entries (bounded), for tests and the CLI. */
  readonly entries: readonly AgentLogEntry[];
}

const MAX_ENTRIES = 1000;

export function consoleSink(entry: AgentLogEntry): void {
  const { level, event, at: _at, ...fields } = entry;
  const line = `[agent] ${level.toUpperCase()} ${event} ${JSON.stringify(fields)}`;
  if (level === 'info') console.log(line);
  else console.error(line);
}

/**
 * Every field passes through wire/redact.ts before it is stored or printed, so codes,
 * verifiers and tokens never reach a log (SPEC §5).
 */
export function createAgentLogger(sink: AgentLogSink | false = consoleSink): AgentLogger {
  const entries: AgentLogEntry[] = [];
  const write = (level: AgentLogLevel, event: string, fields: Record<string, unknown> = {}) => {
    const entry: AgentLogEntry = {
      ...redact(fields),
      level,
      event,
      at: new Date().toISOString(),
    };
    entries.push(entry);
    if (entries.length > MAX_ENTRIES) entries.shift();
    if (sink) sink(entry);
  };
  return {
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
    entries,
  };
}

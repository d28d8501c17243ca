import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export class BenchChildError extends Error {
  readonly code = 'BENCH_CHILD';
  constructor(message: string) {
    super(message);
    this.name = 'BenchChildError';
  }
}

export interface BenchChild {
  pid: number;
  /** The JSON object the child printed as its ready line. */
  info: Record<string, unknown>;
  /** Peak resident set of the child so far (VmHWM), MiB; undefined where /proc is absent. */
  peakRssMb(): number | undefined;
  /** CPU time (user + system) the child has used so far, ms; undefined where /proc is absent. */
  cpuMs(): number | undefined;
  /** Everything the child wrote to stderr (for failure reports). */
  stderr(): string;
  stop(): Promise<void>;
}

/** Peak RSS (VmHWM) of a live process in MiB, from /proc (Linux). */
export function peakRssMbOf(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) of a live process in ms, from /proc/<pid>/stat (Linux, 100 Hz ticks). */
export function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * Runs `node <args>` (the same Node binary as this process) from the repository root and
 * resolves once the child prints a line that parses as JSON with `"ready": true`.
 */
export function startChild(
  args: string[],
  options: { timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<BenchChild> {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-8000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new BenchChildError(`node ${args.join(' ')} not ready in time; stderr: ${stderr}`));
    }, options.timeoutMs ?? 20_000);
    const onEarlyExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new BenchChildError(`node ${args.join(' ')} exited (${code}); stderr: ${stderr}`));
    };
    child.once('exit', onEarlyExit);
    child.stdout?.on('data', (c: Buffer) => {
      buffered += c.toString('utf8');
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        let info: Record<string, unknown> | undefined;
        try {
          info = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        if (info?.ready !== true) continue;
        clearTimeout(timer);
        child.off('exit', onEarlyExit);
        resolve({
          pid: child.pid ?? 0,
          info,
          peakRssMb: () => (child.pid ? peakRssMbOf(child.pid) : undefined),
          cpuMs: () => (child.pid ? cpuMsOf(child.pid) : undefined),
          stderr: () => stderr,
          stop,
        });
      }
    });
  });
}

/** Runs a bench step script to completion and returns the JSON object it printed last. */
export async function runStepScript(
  args: string[],
  timeoutMs = 120_000,
): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  child.stderr.on('data', (c: Buffer) => {
    err = (err + c.toString('utf8')).slice(-8000);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code: number | null = await new Promise((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  const last = out.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last) as Record<string, unknown>;
  } catch {
    throw new BenchChildError(`node ${args.join(' ')} failed (exit ${code}): ${err || out}`);
  }
}

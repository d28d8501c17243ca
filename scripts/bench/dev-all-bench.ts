import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpuMsOf, peakRssMbOf, REPO_ROOT } from './child.ts';
import { round } from './stats.ts';

export class DevAllBenchError extends Error {
  readonly code = 'BENCH_DEV_ALL';
  constructor(message: string) {
    super(message);
    this.name = 'DevAllBenchError';
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Live descendants of `root` with their command lines (Linux /proc). */
function descendants(root: number): { pid: number; cmdline: string }[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited meanwhile
    }
  }
  const out: { pid: number; cmdline: string }[] = [];
  const walk = (pid: number) => {
    for (const [child, ppid] of parent) {
      if (ppid !== pid) continue;
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${child}/cmdline`, 'utf8').replace(/\0/g, ' ');
      } catch {}
      out.push({ pid: child, cmdline });
      walk(child);
    }
  };
  walk(root);
  return out;
}

const SERVICES = {
  provider: 'mock-provider/main.ts',
  emulator: 'harness/emulator/main.ts',
  agent: 'agent/main.ts',
} as const;

export interface DevAllBenchResult {
  dev_all_ready_ms: number;
  /** Peak RSS (VmHWM) of each service process after the load, MiB. */
  peak_rss_mb: Record<keyof typeof SERVICES, number | undefined>;
  peak_rss_total_mb: number;
  /** Whole sign-ins per second through the three processes, driven over the harness API. */
  flows_per_s_processes_c16: number;
  flows_completed: number;
  flows_failed: number;
  service_cpu_ms_per_flow?: number;
}

/**
 * `node scripts/dev-all.ts` on free non-default ports, timed until its ready line; then
 * whole sign-ins at concurrency 16 through the three service processes (POST
 * /__harness/conversations, then the timeline until the agent's greeting), and each
 * service's peak RSS. Stops the group with SIGINT, as Ctrl-C does.
 */
export async function benchDevAll(options: { loadMs: number }): Promise<DevAllBenchResult> {
  const [providerPort, emulatorPort, agentPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      'scripts/dev-all.ts',
      '--provider-port',
      String(providerPort),
      '--emulator-port',
      String(emulatorPort),
      '--agent-port',
      String(agentPort),
    ],
    { cwd: REPO_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const pgid = child.pid ?? 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stopGroup = async () => {
    try {
      process.kill(-pgid, 'SIGINT');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {}
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  let output = '';
  try {
    const readyMs = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new DevAllBenchError(`dev:all not ready in 30 s:\n${output.slice(-2000)}`)),
        30_000,
      );
      const onData = (c: Buffer) => {
        output += c.toString('utf8');
        if (/is ready in \d+ ms/.test(output)) {
          clearTimeout(timer);
          resolve(performance.now() - started);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (c: Buffer) => {
        output += c.toString('utf8');
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new DevAllBenchError(`dev:all exited (${code}):\n${output.slice(-2000)}`));
      });
    });
    // The services log every request; keep reading so their pipes never fill.
    child.stdout?.resume();

    const pids = descendants(pgid);
    const pidOf = (script: string) =>
      pids.find((p) => p.cmdline.includes(script) && !p.cmdline.startsWith('/bin/sh'))?.pid;
    const servicePids = Object.fromEntries(
      Object.entries(SERVICES).map(([name, script]) => [name, pidOf(script)]),
    ) as Record<keyof typeof SERVICES, number | undefined>;
    const cpuNow = (): number => {
      let sum = 0;
      for (const pid of Object.values(servicePids)) sum += (pid ? cpuMsOf(pid) : 0) ?? 0;
      return sum;
    };

    const emulator = `http://127.0.0.1:${emulatorPort}`;
    const oneFlow = async (user: string) => {
      const res = await fetch(`${emulator}/__harness/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user }),
      });
      const { conversationId } = (await res.json()) as { conversationId: string };
      const deadline = Date.now() + 15_000;
      await fetch(`${emulator}/__harness/conversations/${conversationId}/wait?for=device.redirect`);
      while (Date.now() < deadline) {
        const view = (await (
          await fetch(`${emulator}/__harness/conversations/${conversationId}`)
        ).json()) as { messages: { text?: string }[] };
        if (view.messages.some((m) => /signed in as/i.test(m.text ?? ''))) return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new DevAllBenchError(`conversation ${conversationId} did not finish`);
    };
    let completed = 0;
    let failed = 0;
    const cpu0 = cpuNow();
    const t0 = performance.now();
    const end = t0 + options.loadMs;
    await Promise.all(
      Array.from({ length: 16 }, async (_, w) => {
        while (performance.now() < end) {
          try {
            await oneFlow(w % 2 ? 'bob' : 'alice');
            completed++;
          } catch {
            failed++;
          }
        }
      }),
    );
    const elapsed = performance.now() - t0;
    const cpu = cpuNow() - cpu0;
    const peak = Object.fromEntries(
      Object.entries(servicePids).map(([name, pid]) => [
        name,
        pid ? round(peakRssMbOf(pid) ?? Number.NaN) : undefined,
      ]),
    ) as DevAllBenchResult['peak_rss_mb'];
    return {
      dev_all_ready_ms: round(readyMs),
      peak_rss_mb: peak,
      peak_rss_total_mb: round(Object.values(peak).reduce<number>((s, v) => s + (v ?? 0), 0)),
      flows_per_s_processes_c16: round((completed * 1000) / elapsed),
      flows_completed: completed,
      flows_failed: failed,
      ...(completed > 0 ? { service_cpu_ms_per_flow: round(cpu / completed) } : {}),
    };
  } finally {
    await stopGroup();
  }
}

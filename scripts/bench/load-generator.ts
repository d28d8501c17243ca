import http from 'node:http';
import { type LatencySummary, summarize } from './stats.ts';

/** One request of a load run; `body` is sent in a single write with its Content-Length. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  /** Origin of the target, e.g. http://127.0.0.1:4010 (loopback only). */
  origin: string;
  /** Requests in flight at once (closed loop: each worker waits for its answer). */
  concurrency: number;
  /** Stop issuing new requests after this long. */
  durationMs: number;
  /** Stop after this many requests, whichever comes first. */
  maxRequests?: number;
  /** Builds request `i` of `worker`; may be async (e.g. waits on the worker's previous answer). */
  next: (worker: number, i: number) => LoadRequest | Promise<LoadRequest>;
  /** Sees every answer (e.g. to chain a rotated refresh token); throwing counts as an error. */
  onResponse?: (worker: number, status: number, body: string) => void;
  /** Statuses counted as success (default 200). */
  okStatuses?: readonly number[];
}

export interface LoadResult {
  requests: number;
  ok: number;
  errors: number;
  elapsedMs: number;
  rps: number;
  statuses: Record<string, number>;
  latencyMs: LatencySummary;
  firstError?: string;
}

export class LoadTargetError extends Error {
  readonly code = 'BENCH_LOAD_TARGET';
  constructor(message: string) {
    super(message);
    this.name = 'LoadTargetError';
  }
}

function assertLoopback(origin: string): URL {
  const url = new URL(origin);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new LoadTargetError(`load target ${origin} is not on loopback; refusing`);
  }
  return url;
}

/**
 * A small closed-loop HTTP load generator: `concurrency` workers on keep-alive sockets
 * (node:http, the cheapest client in Node, so the generator is not what limits the rate),
 * bounded by time and count. The same generator drives every target it is compared on.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = assertLoopback(options.origin);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const ok = new Set(options.okStatuses ?? [200]);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let issued = 0;
  let errors = 0;
  let firstError: string | undefined;
  const max = options.maxRequests ?? Number.POSITIVE_INFINITY;
  const started = performance.now();
  const deadline = started + options.durationMs;

  const one = (req: LoadRequest): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...req.headers };
      if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
      const r = http.request(
        {
          agent,
          host: url.hostname.replace(/^\[|\]$/g, ''),
          port: url.port,
          method: req.method,
          path: req.path,
          headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      r.on('error', reject);
      r.end(req.body);
    });

  const worker = async (w: number) => {
    for (let i = 0; performance.now() < deadline && issued < max; i++) {
      issued++;
      const t = performance.now();
      try {
        const req = await options.next(w, i);
        const res = await one(req);
        latencies.push(performance.now() - t);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (!ok.has(res.status)) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
        options.onResponse?.(w, res.status, res.body);
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, w) => worker(w)));
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return {
    requests: issued,
    ok: issued - errors,
    errors,
    elapsedMs,
    rps: ((issued - errors) * 1000) / elapsedMs,
    statuses,
    latencyMs: summarize(latencies),
    ...(firstError ? { firstError } : {}),
  };
}

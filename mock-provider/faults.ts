import { randomUUID } from 'node:crypto';
import { ControlRequestError } from './errors.ts';

/**
 * Scripted outcomes and faults. Each is keyed to a user (username or sub), a client, both,
 * or neither (any request); `times` limits it to the next N matching requests.
 */
export const FAULT_KINDS = [
  /** The user declines at consent: redirect carries error=access_denied&state=… */
  'user-denies',
  /** Token endpoint answers 5xx (`status`, default 500) with an OAuth server_error body. */
  'token-server-error',
  /** Token endpoint waits `delayMs` before answering normally. */
  'token-slow',
  /** Token endpoint answers 400 invalid_grant. */
  'token-invalid-grant',
  /** The authorization code is treated as expired at the token endpoint (invalid_grant). */
  'code-expired',
  /** Userinfo answers 401 invalid_token with a WWW-Authenticate header (RFC 6750 §3). */
  'userinfo-unauthorized',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  kind: FaultKind;
  /** Only requests on behalf of this user (username or sub). */
  user?: string;
  /** Only requests from this client_id. */
  client?: string;
  /** Only the next N matching requests; omitted = until removed or cleared. */
  times?: number;
  /** token-server-error: HTTP status, 500–599 (default 500). */
  status?: number;
  /** token-slow: delay in milliseconds, 0–60000 (default 2000). */
  delayMs?: number;
  /** Overrides the error_description sent. */
  description?: string;
}

export interface Fault extends FaultSpec {
  id: string;
  /** How many times it has fired. */
  hits: number;
}

/** Who a request is on behalf of, as far as the provider can tell. */
export interface FaultSubject {
  client?: string | undefined;
  username?: string | undefined;
  sub?: string | undefined;
}

export class FaultRegistry {
  #faults: Fault[] = [];

  add(spec: FaultSpec): Fault {
    const fault: Fault = { ...validateFaultSpec(spec), id: randomUUID(), hits: 0 };
    this.#faults.push(fault);
    return { ...fault };
  }

  list(): Fault[] {
    return this.#faults.map((f) => ({ ...f }));
  }

  remove(id: string): boolean {
    const before = this.#faults.length;
    this.#faults = this.#faults.filter((f) => f.id !== id);
    return this.#faults.length !== before;
  }

  clear(): void {
    this.#faults = [];
  }

  /** Finds the first active fault of one of `kinds` matching `subject` and counts a hit. */
  take(kinds: readonly FaultKind[], subject: FaultSubject): Fault | undefined {
    const fault = this.#faults.find((f) => kinds.includes(f.kind) && matches(f, subject));
    if (!fault) return undefined;
    fault.hits++;
    if (fault.times !== undefined && fault.hits >= fault.times) this.remove(fault.id);
    return { ...fault };
  }

  /** True when a fault would match, without counting a hit. */
  peek(kinds: readonly FaultKind[], subject: FaultSubject): boolean {
    return this.#faults.some((f) => kinds.includes(f.kind) && matches(f, subject));
  }
}

function matches(fault: Fault, subject: FaultSubject): boolean {
  if (fault.client !== undefined && fault.client !== subject.client) return false;
  if (fault.user !== undefined && fault.user !== subject.username && fault.user !== subject.sub) {
    return false;
  }
  return true;
}

export function validateFaultSpec(input: unknown): FaultSpec {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new ControlRequestError('fault: expected a JSON object');
  }
  const spec = input as Record<string, unknown>;
  const known = new Set(['kind', 'user', 'client', 'times', 'status', 'delayMs', 'description']);
  for (const key of Object.keys(spec)) {
    if (!known.has(key)) throw new ControlRequestError(`fault: unknown field "${key}"`);
  }
  if (!(FAULT_KINDS as readonly unknown[]).includes(spec.kind)) {
    throw new ControlRequestError(`fault.kind: expected one of ${FAULT_KINDS.join(', ')}`);
  }
  const out: FaultSpec = { kind: spec.kind as FaultKind };
  for (const key of ['user', 'client', 'description'] as const) {
    if (spec[key] === undefined) continue;
    if (typeof spec[key] !== 'string' || spec[key] === '') {
      throw new ControlRequestError(`fault.${key}: expected a non-empty string`);
    }
    out[key] = spec[key];
  }
  out.times = intField(spec, 'times', 1, 1_000_000);
  out.status = intField(spec, 'status', 500, 599);
  out.delayMs = intField(spec, 'delayMs', 0, 60_000);
  if (out.times === undefined) delete out.times;
  if (out.status === undefined) delete out.status;
  if (out.delayMs === undefined) delete out.delayMs;
  return out;
}

function intField(spec: Record<string, unknown>, key: string, min: number, max: number) {
  const value = spec[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ControlRequestError(`fault.${key}: expected an integer from ${min} to ${max}`);
  }
  return value;
}

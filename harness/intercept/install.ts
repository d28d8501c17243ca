// First: must patch before nock loads (see the file).
import './tcp-nodelay.ts';
import nock from 'nock';
import { EMULATOR_URL_ENV } from '../../wire/defaults.ts';
import { redactUrl } from '../../wire/redact.ts';

/**
 * Google hosts routed to the emulator (SPEC §4; COMMON.md contract 4). Every path on them is
 * forwarded; the emulator answers Google-shaped 404s for what it does not emulate.
 */
export const INTERCEPTED_HOSTS = [
  'businessmessages.googleapis.com',
  'businesscommunications.googleapis.com',
  'oauth2.googleapis.com',
  'www.googleapis.com',
] as const;

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
/** Hop-by-hop or representation headers that must not be copied across the forward. */
const DROP_REQUEST_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'accept-encoding',
  'transfer-encoding',
]);
const DROP_RESPONSE_HEADERS = new Set([
  'connection',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'keep-alive',
]);

export interface InterceptionOptions {
  /** Base URL of the emulator, e.g. http://127.0.0.1:4020. Must be a loopback URL. */
  emulatorUrl: string;
  /** Where refusals are reported (default: stderr). */
  log?: (line: string) => void;
}

export interface Interception {
  uninstall(): void;
}

export class InterceptionError extends Error {
  readonly code = 'INTERCEPTION_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'InterceptionError';
  }
}

/** `host` as nock reports it: `name:port`, `[v6]:port` or a bare name. */
export function isLoopbackHost(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

const ACTIVE = Symbol.for('bm-oauth-harness.intercept.active');
const counter = globalThis as { [ACTIVE]?: number };

/**
 * Routes the Google API hosts to the emulator with nock and refuses every other non-loopback
 * host (nock's NetConnectNotAllowedError, plus one explanatory log line). Loopback stays
 * reachable, so the emulator, the provider and the agent talk normally. Process-global, as
 * nock is: the first installation's routes win when several are active.
 */
export function installInterception(options: InterceptionOptions): Interception {
  let emulator: URL;
  try {
    emulator = new URL(options.emulatorUrl);
  } catch {
    throw new InterceptionError(`emulator URL ${JSON.stringify(options.emulatorUrl)} is not a URL`);
  }
  if (!isLoopbackHost(emulator.host)) {
    throw new InterceptionError(
      `emulator URL ${emulator.origin} is not on loopback; refusing to route Google traffic off this machine`,
    );
  }
  const base = emulator.origin + emulator.pathname.replace(/\/$/, '');
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (!nock.isActive()) nock.activate();

  const interceptors = INTERCEPTED_HOSTS.flatMap((host) => {
    const scope = nock(`https://${host}`).persist();
    return METHODS.map((method) => {
      const interceptor = scope.intercept(() => true, method);
      interceptor.reply((request: Request) => forward(base, host, request));
      return interceptor;
    });
  });
  const onNoMatch = (req: { url?: string } | Request) => {
    const url = typeof req.url === 'string' ? req.url : '';
    let host = '';
    try {
      host = new URL(url).host;
    } catch {
      return;
    }
    if (!isLoopbackHost(host)) {
      log(
        `[bm-harness intercept] refused ${redactUrl(url)}: under interception only the emulated Google APIs (→ ${base}) and loopback are reachable`,
      );
    }
  };
  nock.emitter.on('no match', onNoMatch);
  nock.disableNetConnect();
  nock.enableNetConnect((host: string) => isLoopbackHost(host));
  counter[ACTIVE] = (counter[ACTIVE] ?? 0) + 1;

  let installed = true;
  return {
    uninstall() {
      if (!installed) return;
      installed = false;
      for (const interceptor of interceptors) nock.removeInterceptor(interceptor);
      nock.emitter.off('no match', onNoMatch);
      counter[ACTIVE] = (counter[ACTIVE] ?? 1) - 1;
      if (counter[ACTIVE] === 0) nock.enableNetConnect();
    },
  };
}

async function forward(
  base: string,
  host: string,
  request: Request,
): Promise<[number, Buffer, Record<string, string>]> {
  const original = new URL(request.url);
  const headers = new Headers();
  request.headers.forEach((value, name) => {
    if (!DROP_REQUEST_HEADERS.has(name.toLowerCase())) headers.set(name, value);
  });
  headers.set('x-forwarded-host', host);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let response: Response;
  try {
    response = await fetch(`${base}${original.pathname}${original.search}`, {
      method: request.method,
      headers,
      body: hasBody ? Buffer.from(await request.arrayBuffer()) : undefined,
      redirect: 'manual',
    });
  } catch (err) {
    // Surfaces as the cause of the client's error: say which emulator, not just "fetch failed".
    const cause =
      err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
    throw new InterceptionError(
      `${request.method} https://${host}${original.pathname} was routed to the emulator at ${base}, which is unreachable (${cause}); start it (npm run emulator / dev:all) or set ${EMULATOR_URL_ENV}`,
    );
  }
  const out: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!DROP_RESPONSE_HEADERS.has(name.toLowerCase())) out[name] = value;
  });
  return [response.status, Buffer.from(await response.arrayBuffer()), out];
}

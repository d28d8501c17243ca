import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BenchChild, startChild } from '../../scripts/bench/child.ts';
import { type FuzzRequest, request, toRaw } from './support/arbitraries.ts';
import { problemWith, type Service } from './support/error-formats.ts';
import { CRASH_MARKER } from './support/crash-marker.ts';
import { describe as describeExchange, type RawRequest, sendRaw } from './support/raw-request.ts';

/**
 * Property-based fuzzing of every HTTP endpoint of the three services (methods, paths and
 * path parameters, query strings, headers, bodies — including oversized, undecodable and
 * prototype-polluting ones): never a 5xx, always the service's own error format, no crash,
 * no unhandled rejection. The services run in a child process (startHarness there), so that
 * this process's client is not itself intercepted. FUZZ_RUNS raises the runs (npm run fuzz).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);

interface Target {
  urls: { issuer: string; emulator: string; agent: string };
  conversationId: string;
  interactionUid: string;
  bearer: string;
}

let child: BenchChild;
let target: Target;

beforeAll(async () => {
  child = await startChild(['test/fuzz/support/harness-child.ts'], { timeoutMs: 30_000 });
  target = child.info as unknown as Target;
});

afterAll(async () => {
  await child?.stop();
});

async function check(
  service: Service,
  origin: string,
  fuzzed: FuzzRequest,
  before?: () => Promise<void>,
) {
  await before?.();
  const req: RawRequest = toRaw(fuzzed);
  const res = await sendRaw(origin, req);
  const problem = problemWith(service, req, res);
  if (problem) throw new Error(`${problem}: ${describeExchange(req, res)}`);
}

async function stillHealthy(service: Service) {
  const health: Record<Service, string> = {
    provider: `${target.urls.issuer}/.well-known/openid-configuration`,
    emulator: `${target.urls.emulator}/__harness/health`,
    agent: `${target.urls.agent}/healthz`,
  };
  expect((await fetch(health[service])).status).toBe(200);
  expect(child.stderr()).not.toContain(CRASH_MARKER);
}

/** The control API may be told to misbehave or fail on purpose: undo that before each request. */
async function resetProvider() {
  await fetch(`${target.urls.issuer}/__test/faults`, { method: 'DELETE' });
  await fetch(`${target.urls.issuer}/__test/misbehave`, { method: 'DELETE' });
}

describe('fuzzing every endpoint', () => {
  it('mock provider: OAuth JSON errors (HTML pages only where a browser lands), no 5xx', async () => {
    expect(target.interactionUid).toBeTruthy();
    const arb = request(
      [
        '/.well-known/openid-configuration',
        '/authorize',
        '/authorize/:uid',
        '/token',
        '/userinfo',
        '/jwks',
        '/token/introspection',
        '/token/revocation',
        '/session/end',
        '/session/end/confirm',
        '/interaction/:uid',
        '/interaction/:uid/login',
        '/interaction/:uid/confirm',
        '/__test/faults',
        '/__test/faults/:id',
        '/__test/misbehave',
        '/__test/events',
        '/:x',
        '/:x/:y',
      ],
      [target.interactionUid],
    );
    await fc.assert(
      fc.asyncProperty(arb, (req) => check('provider', target.urls.issuer, req, resetProvider)),
      { numRuns: RUNS, endOnFailure: true },
    );
    await stillHealthy('provider');
  });

  it('emulator: Google error JSON (OAuth JSON on its token endpoints), no 5xx', async () => {
    const base = request(
      [
        '/v1/conversations/:c/messages',
        '/v1/conversations/:c/events',
        '/v1/conversations/:c/messages/:m/receipt',
        '/v1/conversations/:c/surveys',
        '/v1/brands/:b/agents',
        '/v1/brands/:b/agents/:a',
        '/v1/partners/:p',
        '/token',
        '/oauth2/v4/token',
        '/oauth2/v1/certs',
        '/oauth2/v3/certs',
        '/__harness/health',
        '/__harness/conversations',
        '/__harness/conversations/:id',
        '/__harness/conversations/:id/tap',
        '/__harness/conversations/:id/user-events',
        '/__harness/log',
        '/:x',
      ],
      [target.conversationId, 'harness-brand', 'harness-agent'],
    );
    // Half the requests carry a genuine access token, so /v1 requests get past authentication.
    const arb = fc
      .tuple(base, fc.boolean())
      .map(([req, authed]) =>
        authed ? { ...req, headers: { ...req.headers, authorization: target.bearer } } : req,
      );
    await fc.assert(
      fc.asyncProperty(arb, (req) => check('emulator', target.urls.emulator, req)),
      { numRuns: RUNS, endOnFailure: true },
    );
    await stillHealthy('emulator');
  });

  it('emulator long-poll: any "for" and a bounded wait, answered in Google format', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 30 }),
        // timeoutMs=0 means the default 10 s wait; 1–30 ms keeps the suite fast.
        fc.integer({ min: 1, max: 30 }),
        fc.constantFrom(target.conversationId, 'nope', '%zz'),
        (kind, timeoutMs, id) =>
          check('emulator', target.urls.emulator, {
            method: 'GET',
            path: `/__harness/conversations/${id}/wait?for=${encodeURIComponent(kind)}&timeoutMs=${timeoutMs}`,
            headers: {},
          }),
      ),
      { numRuns: Math.ceil(RUNS / 4) },
    );
    await stillHealthy('emulator');
  });

  it('reference agent: 4xx JSON errors, no 5xx', async () => {
    const arb = request([
      '/webhook',
      '/assistant',
      '/healthz',
      '/webhook/:x',
      '/assistant/:x',
      '/:x',
      '/:x/:y',
    ]);
    await fc.assert(
      fc.asyncProperty(arb, (req) => check('agent', target.urls.agent, req)),
      { numRuns: RUNS, endOnFailure: true },
    );
    await stillHealthy('agent');
  });
});

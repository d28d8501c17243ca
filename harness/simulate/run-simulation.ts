import { type ConversationView, type Expectation, judge } from './judge.ts';
import { type SimulationStep, stepsOf } from './steps.ts';

export interface SimulationOptions {
  emulatorUrl: string;
  user?: string;
  expect?: Expectation;
  redirectUri?: string;
  timeoutMs?: number;
  /** See JudgeOptions.signedInReply. */
  signedInReply?: RegExp;
  fetch?: typeof fetch;
}

export interface SimulationResult {
  ok: boolean;
  conversationId?: string;
  expected: Expectation;
  reason: string;
  agentReply?: string;
  user?: ConversationView['user'] & { authState: string };
  steps: SimulationStep[];
  ms: number;
}

/** Raised when the emulator cannot be used at all (not running, refuses the request). */
export class SimulationSetupError extends Error {
  readonly code = 'SIMULATION_SETUP';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SimulationSetupError';
  }
}

const BEHAVIOR: Record<Expectation, string> = {
  'signed-in': 'tap',
  denied: 'deny',
  abandoned: 'abandon',
};

/** One whole conversation against running services, driven through the emulator's harness API. */
export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const expected = options.expect ?? 'signed-in';
  const doFetch = options.fetch ?? fetch;
  const base = options.emulatorUrl.replace(/\/+$/, '');
  const started = performance.now();
  const body = {
    user: options.user ?? 'alice',
    behavior: BEHAVIOR[expected],
    ...(options.redirectUri ? { redirectUri: options.redirectUri } : {}),
  };
  let opened: Response;
  try {
    opened = await doFetch(`${base}/__harness/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (err) {
    throw new SimulationSetupError(
      `cannot reach the emulator at ${base} (${(err as Error).message}). Start the stack with \`npm run dev:all\` or pass --emulator URL.`,
      { cause: err },
    );
  }
  const openedBody = (await opened.json().catch(() => ({}))) as {
    conversationId?: string;
    error?: { message?: string };
  };
  if (!opened.ok || !openedBody.conversationId) {
    throw new SimulationSetupError(
      `the emulator refused to open a conversation (HTTP ${opened.status}): ${openedBody.error?.message ?? 'no detail'}`,
    );
  }
  const id = openedBody.conversationId;
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    const view = (await (
      await doFetch(`${base}/__harness/conversations/${encodeURIComponent(id)}`)
    ).json()) as ConversationView;
    const verdict = judge(view, expected, { signedInReply: options.signedInReply });
    const timedOut = Date.now() > deadline;
    if (verdict.finished || timedOut) {
      return {
        ok: verdict.finished && verdict.ok,
        conversationId: id,
        expected,
        reason: verdict.finished ? verdict.reason : `timed out: ${verdict.reason}`,
        ...(verdict.agentReply === undefined ? {} : { agentReply: verdict.agentReply }),
        user: { ...view.user, authState: view.authState },
        steps: stepsOf(view),
        ms: Math.round(performance.now() - started),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

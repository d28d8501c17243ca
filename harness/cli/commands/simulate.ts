import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Expectation } from '../../simulate/judge.ts';
import {
  runSimulation,
  type SimulationResult,
  SimulationSetupError,
} from '../../simulate/run-simulation.ts';
import { formatSteps } from '../../simulate/steps.ts';
import { DEFAULT_HOST, DEFAULT_PORTS, EMULATOR_URL_ENV } from '../../../wire/defaults.ts';
import { BUSINESS_MESSAGES_REDIRECT_URIS } from '../../../wire/redirect-uris.ts';

interface SimulateFlags {
  user: string;
  deny?: boolean;
  abandon?: boolean;
  redirectUri?: string;
  json?: boolean;
  count: number;
  concurrency: number;
  emulator: string;
  timeout: number;
  expectReply?: RegExp;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return n;
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description(
      'Run one whole Business Messages sign-in against the running services (npm run dev:all) and print its timeline.',
    )
    .option('--user <name>', 'test user who signs in', 'alice')
    .addOption(new Option('--deny', 'the user denies consent').conflicts('abandon'))
    .option('--abandon', 'the user leaves the sign-in page without finishing')
    .addOption(
      new Option(
        '--redirect-uri <uri>',
        'which Business Messages redirect URI the device uses',
      ).choices(BUSINESS_MESSAGES_REDIRECT_URIS),
    )
    .option('--json', 'print {"ok","steps","user",…} as JSON')
    .option('--count <n>', 'run this many conversations, with a progress line', positiveInt, 1)
    .option('--concurrency <n>', 'conversations in flight at once with --count', positiveInt, 8)
    .option(
      '--emulator <url>',
      `emulator URL (env ${EMULATOR_URL_ENV})`,
      process.env[EMULATOR_URL_ENV] ?? `http://${DEFAULT_HOST}:${DEFAULT_PORTS.emulator}`,
    )
    .option(
      '--expect-reply <regex>',
      "what your agent answers after a successful sign-in (default /signed in as/i, the reference agent's)",
      (value: string) => new RegExp(value, 'i'),
    )
    .option('--timeout <ms>', 'give up on a conversation after this long', positiveInt, 15_000)
    .addHelpText(
      'after',
      '\nExit code: 0 when every conversation ended as asked, 1 when one did not, 2 when the services could not be used.\n\nExamples:\n  bm-harness simulate --user bob\n  bm-harness simulate --deny --json\n  bm-harness simulate --redirect-uri "https://business.google.com/callback?"\n  bm-harness simulate --count 100 --concurrency 16',
    )
    .action(async (flags: SimulateFlags) => {
      const expect: Expectation = flags.deny ? 'denied' : flags.abandon ? 'abandoned' : 'signed-in';
      const run = () =>
        runSimulation({
          emulatorUrl: flags.emulator,
          user: flags.user,
          expect,
          redirectUri: flags.redirectUri,
          timeoutMs: flags.timeout,
          signedInReply: flags.expectReply,
        });
      try {
        if (flags.count === 1) {
          const result = await run();
          console.log(flags.json ? JSON.stringify(result, null, 2) : formatOne(result));
          process.exitCode = result.ok ? 0 : 1;
        } else {
          const results = await runMany(
            run,
            flags.count,
            flags.concurrency,
            !flags.json && process.stderr.isTTY,
          );
          const failed = results.filter((r) => !r.ok);
          if (flags.json) {
            console.log(
              JSON.stringify(
                { ok: failed.length === 0, count: results.length, failed: failed.length, results },
                null,
                2,
              ),
            );
          } else {
            console.log(formatMany(results));
          }
          process.exitCode = failed.length === 0 ? 0 : 1;
        }
      } catch (err) {
        if (!(err instanceof SimulationSetupError)) throw err;
        console.error(`bm-harness simulate: ${err.message}`);
        process.exitCode = 2;
      }
    });
}

function formatOne(r: SimulationResult): string {
  return [
    `conversation ${r.conversationId} (${r.user?.username}, expected: ${r.expected})`,
    formatSteps(r.steps),
    r.agentReply ? `agent said: ${r.agentReply}` : '',
    `${r.ok ? 'OK' : 'FAILED'}: ${r.reason} (${r.ms} ms)`,
  ]
    .filter(Boolean)
    .join('\n');
}

async function runMany(
  run: () => Promise<SimulationResult>,
  count: number,
  concurrency: number,
  progress: boolean,
): Promise<SimulationResult[]> {
  const results: SimulationResult[] = [];
  let next = 0;
  const tick = () => {
    if (!progress) return;
    const failed = results.filter((r) => !r.ok).length;
    process.stderr.write(`\r${results.length}/${count} done, ${failed} failed`);
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        next += 1;
        results.push(await run());
        tick();
      }
    }),
  );
  if (progress) process.stderr.write('\n');
  return results;
}

function formatMany(results: SimulationResult[]): string {
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  const pct = (p: number) => ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))];
  const failed = results.filter((r) => !r.ok);
  const lines = [
    `${results.length - failed.length}/${results.length} ended as asked; per conversation p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${ms.at(-1)} ms`,
  ];
  for (const r of failed.slice(0, 10)) lines.push(`  ✗ ${r.conversationId}: ${r.reason}`);
  if (failed.length > 10) lines.push(`  … and ${failed.length - 10} more`);
  return lines.join('\n');
}

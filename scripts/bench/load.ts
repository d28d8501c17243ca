/**
 * `npm run load [-- --count 1000 --concurrency 16 --faults]`: many whole sign-ins in process,
 * then the ledger check (emulator deliveries vs the agent's store: zero lost, zero
 * duplicated, one greeting per user). Exit 0 only when the ledger is clean.
 */
import { Command } from 'commander';
import { ledgerIsClean } from '../../test/load/ledger-check.ts';
import { type FaultPlan, runConversationLoad } from '../../test/load/load-run.ts';

const opts = new Command('load')
  .description(
    'Run many conversations through the harness and check nothing is lost or duplicated.',
  )
  .option('--count <n>', 'conversations', '1000')
  .option('--concurrency <n>', 'conversations in flight', '16')
  .option(
    '--faults',
    'inject provider 503s, slow token answers (webhook timeouts) and agent restarts',
  )
  .option('--json', 'print the report as JSON')
  .parse()
  .opts<{ count: string; concurrency: string; faults?: boolean; json?: boolean }>();

const count = Number(opts.count);
const faults: FaultPlan | undefined = opts.faults
  ? {
      token5xx: Math.max(1, Math.round(count / 50)),
      tokenSlow: { count: Math.max(1, Math.round(count / 100)), delayMs: 1500 },
      agentRestarts: 3,
      restartDownMs: 300,
    }
  : undefined;
let lastPrint = 0;
const result = await runConversationLoad({
  count,
  concurrency: Number(opts.concurrency),
  faults,
  // Webhook timeout below the slow-token delay, so those deliveries time out and are redelivered.
  retry: faults ? { timeoutMs: 1000 } : undefined,
  onProgress: (done) => {
    if (!opts.json && (done - lastPrint >= count / 20 || done === count)) {
      lastPrint = done;
      process.stderr.write(`[load] ${done}/${count} conversations done\n`);
    }
  },
});
const { report } = result;
const clean = ledgerIsClean(report);
if (opts.json) {
  process.stdout.write(`${JSON.stringify({ clean, ...result })}\n`);
} else {
  const secs = result.elapsedMs / 1000;
  console.log(
    [
      `${report.conversations} conversations in ${secs.toFixed(1)} s (${(report.conversations / secs).toFixed(1)}/s), ${report.signedIn} signed in`,
      `emulator ledger: ${report.sent} webhooks sent, ${report.delivered} delivered, ${report.undelivered} undelivered, ${report.redeliveries} redelivery attempts`,
      `agent store: ${report.lost.length} lost, ${report.duplicated.length} processed twice, ${report.duplicatesRefused} redeliveries recognised as duplicates`,
      `user view: ${report.wrongReplies.length} conversations with a missing/repeated/wrong greeting`,
      faults
        ? `faults: ${result.providerFaults} provider faults applied, ${result.agentRestarts} agent restarts; ${report.unexplained.length} troubled conversations without an explanation on their timeline`
        : 'faults: none injected (add --faults)',
      clean ? 'RESULT: clean — zero lost, zero duplicated' : 'RESULT: PROBLEMS',
      ...[...report.lost.slice(0, 5).map((id) => `  lost ${id}`)],
      ...[...report.duplicated.slice(0, 5).map((id) => `  duplicated ${id}`)],
      ...[...report.wrongReplies.slice(0, 5).map((w) => `  reply ${w}`)],
      ...[...report.problems.slice(0, 5).map((p) => `  problem ${p}`)],
      ...result.failedTimelines.flatMap((t) => [
        `timeline of ${t.conversationId}:`,
        ...t.entries.map((e) => `    ${e}`),
      ]),
    ].join('\n'),
  );
}
process.exitCode = clean ? 0 : 1;

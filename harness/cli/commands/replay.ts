import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { DEFAULT_HOST, DEFAULT_PORTS, TEST_WEBHOOK_CLIENT_TOKEN } from '../../../wire/defaults.ts';
import {
  applyOverrides,
  listWebhookFixtures,
  loadWebhookFixture,
  ReplayError,
  type ReplayOverrides,
  replayWebhook,
  resolveWebhookFixture,
} from '../../webhook/replay.ts';

type ReplayFlags = Omit<ReplayOverrides, 'now'> & {
  to: string;
  clientToken: string;
  now?: boolean;
  json?: boolean;
};

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description(
      `send a webhook payload to an agent, signed with X-Goog-Signature. Bundled fixtures: ${listWebhookFixtures().join(', ')}`,
    )
    .argument('<fixture>', 'fixture file, or the name of a bundled fixture (e.g. auth-success)')
    .option('--to <url>', 'webhook URL', `http://${DEFAULT_HOST}:${DEFAULT_PORTS.agent}/webhook`)
    .option(
      '--client-token <token>',
      'signing key (env BM_CLIENT_TOKEN)',
      process.env.BM_CLIENT_TOKEN || TEST_WEBHOOK_CLIENT_TOKEN,
    )
    .option('--conversation-id <id>', 'replace the conversation id (also inside message names)')
    .option('--agent <name>', 'replace the agent name')
    .option('--custom-agent-id <id>', 'replace customAgentId')
    .option(
      '--request-id <id>',
      'requestId to send (default: a fresh one per replay, as Google sent; repeat an id to test de-duplication)',
    )
    .option('--code <code>', 'authenticationResponse.code (success fixtures)')
    .option('--redirect-uri <uri>', 'authenticationResponse.redirectUri (success fixtures)')
    .option('--now', 'stamp sendTime and createTime with the current time')
    .option('--json', 'print {"status","body","latencyMs","sent"}')
    .action(async (fixture: string, flags: ReplayFlags) => {
      try {
        const loaded = loadWebhookFixture(resolveWebhookFixture(fixture));
        const payload = applyOverrides(loaded, {
          conversationId: flags.conversationId,
          agent: flags.agent,
          customAgentId: flags.customAgentId,
          // A fixed fixture id would make a de-duplicating agent ignore every second replay.
          requestId: flags.requestId ?? ('requestId' in loaded ? randomUUID() : undefined),
          code: flags.code,
          redirectUri: flags.redirectUri,
          now: flags.now ? new Date() : undefined,
        });
        const result = await replayWebhook({
          url: flags.to,
          payload,
          clientToken: flags.clientToken,
        });
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ ...result, sent: JSON.parse(result.sent) })}\n`);
        } else {
          process.stdout.write(`HTTP ${result.status} (${result.latencyMs} ms)\n${result.body}\n`);
        }
        // 0 when the agent accepted it; 1 when it answered non-2xx (SPEC §4 exit codes).
        process.exitCode = result.status >= 200 && result.status < 300 ? 0 : 1;
      } catch (err) {
        process.stderr.write(
          `bm-harness replay: ${err instanceof ReplayError ? err.message : String(err)}\n`,
        );
        process.exitCode = 2;
      }
    });
}

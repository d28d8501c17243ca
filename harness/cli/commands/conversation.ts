import { type Command, Option } from 'commander';
import { DEFAULT_HOST, DEFAULT_PORTS, EMULATOR_URL_ENV } from '../../../wire/defaults.ts';
import { BEHAVIORS } from '../../emulator/conversation-store.ts';
import {
  formatTimeline,
  HarnessClient,
  HarnessClientError,
} from '../../emulator/harness-client.ts';

const defaultEmulator = () =>
  process.env[EMULATOR_URL_ENV] || `http://${DEFAULT_HOST}:${DEFAULT_PORTS.emulator}`;

function emulatorOption() {
  return new Option('--emulator <url>', `emulator base URL (env ${EMULATOR_URL_ENV})`).default(
    defaultEmulator(),
  );
}

/** Exit 1 when the conversation does not exist, 2 when the emulator is unusable (SPEC §4). */
function fail(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`bm-harness conversation: ${message}\n`);
  process.exitCode = err instanceof HarnessClientError && err.code === 'NOT_FOUND' ? 1 : 2;
}

export function registerConversation(program: Command): void {
  const conversation = program
    .command('conversation')
    .description(
      'open a conversation in the running emulator, tap its sign-in suggestion, or show its timeline',
    );

  conversation
    .command('start')
    .description('open a conversation: the virtual user writes to the agent; prints its id')
    .option('--user <name>', 'test user (alice, bob) or any user with --password', 'alice')
    .option('--password <password>', 'password, for users that are not built-in test users')
    .addOption(
      new Option('--behavior <behavior>', 'what the user does with the sign-in suggestion')
        .choices(BEHAVIORS)
        .default('tap'),
    )
    .option('--redirect-uri <uri>', 'redirect URI the device sends (default the first of the four)')
    .option('--text <text>', 'first message the user writes', 'Hi')
    .option('--json', 'print {"conversationId":"..."}')
    .addOption(emulatorOption())
    .action(
      async (flags: {
        user: string;
        password?: string;
        behavior: (typeof BEHAVIORS)[number];
        redirectUri?: string;
        text: string;
        json?: boolean;
        emulator: string;
      }) => {
        try {
          const { conversationId } = await new HarnessClient(flags.emulator).startConversation({
            user: flags.user,
            password: flags.password,
            behavior: flags.behavior,
            redirectUri: flags.redirectUri,
            text: flags.text,
          });
          process.stdout.write(
            flags.json ? `${JSON.stringify({ conversationId })}\n` : `${conversationId}\n`,
          );
        } catch (err) {
          fail(err);
        }
      },
    );

  conversation
    .command('show')
    .description('print the timeline of a conversation (secrets redacted)')
    .argument('<id>', 'conversation id')
    .option('--json', 'print the timeline as JSON')
    .addOption(emulatorOption())
    .action(async (id: string, flags: { json?: boolean; emulator: string }) => {
      try {
        const view = await new HarnessClient(flags.emulator).conversation(id);
        process.stdout.write(
          flags.json ? `${JSON.stringify(view, null, 2)}\n` : `${formatTimeline(view)}\n`,
        );
      } catch (err) {
        fail(err);
      }
    });

  conversation
    .command('tap')
    .description('tap the sign-in suggestion of a conversation started with --behavior manual')
    .argument('<id>', 'conversation id')
    .option('--redirect-uri <uri>', 'redirect URI for this tap')
    .option('--deny', 'deny consent instead of allowing')
    .option('--json', 'print the timeline as JSON afterwards')
    .addOption(emulatorOption())
    .action(
      async (
        id: string,
        flags: { redirectUri?: string; deny?: boolean; json?: boolean; emulator: string },
      ) => {
        try {
          const view = await new HarnessClient(flags.emulator).tap(id, {
            redirectUri: flags.redirectUri,
            consent: flags.deny ? 'deny' : 'allow',
          });
          process.stdout.write(
            flags.json ? `${JSON.stringify(view, null, 2)}\n` : `${formatTimeline(view)}\n`,
          );
        } catch (err) {
          fail(err);
        }
      },
    );
}

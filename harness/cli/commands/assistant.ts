import { type Command, InvalidArgumentError } from 'commander';
import { TEST_ASSISTANT_PROJECT_ID } from '../../../wire/defaults.ts';
import {
  ASSISTANT_REQUEST_FIXTURES,
  loadAssistantRequestFixture,
  parseClaimsArgument,
} from '../../assistant/request-fixtures.ts';
import { sendAssistantRequest } from '../../assistant/send.ts';
import {
  ASSISTANT_VARIANT_NAMES,
  ASSISTANT_VARIANTS,
  buildAssistantSignature,
  findAssistantVariant,
} from '../../assistant/variants.ts';

interface SignFlags {
  aud: string;
  claims?: Record<string, unknown>;
  variant: string;
  now?: number;
}

interface SendFlags extends SignFlags {
  to: string;
  statusOnly?: boolean;
  json?: boolean;
  check?: boolean;
}

function variantName(value: string): string {
  if (value !== 'all' && !(ASSISTANT_VARIANT_NAMES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`known variants: ${ASSISTANT_VARIANT_NAMES.join(', ')}, all`);
  }
  return value;
}

function claims(value: string): Record<string, unknown> {
  try {
    return parseClaimsArgument(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function epochSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('seconds since the epoch');
  return n;
}

function url(value: string): string {
  try {
    return new URL(value).href;
  } catch {
    throw new InvalidArgumentError('not a URL');
  }
}

function fail(err: unknown): void {
  console.error(`bm-harness assistant: ${(err as Error).message}`);
  process.exitCode = 2;
}

export function registerAssistant(program: Command): void {
  const assistant = program
    .command('assistant')
    .description(
      'Sign and send Google Assistant conversational webhook requests (google-assistant-signature)',
    );

  const signing = (command: Command) =>
    command
      .option('--aud <project>', 'project id the token is for', TEST_ASSISTANT_PROJECT_ID)
      .option(
        '--claims <json|@file>',
        'claims merged over the defaults (null removes one); a forged variant keeps its forgery',
        claims,
      )
      .option('--now <seconds>', 'clock to sign with (seconds since the epoch)', epochSeconds);

  signing(assistant.command('sign'))
    .description('print a google-assistant-signature JWT (TEST ONLY keys)')
    .option(
      '--variant <name>',
      'valid or a forged variant (see `assistant variants`)',
      variantName,
      'valid',
    )
    .action(async (flags: SignFlags) => {
      try {
        if (flags.variant === 'all') throw new Error('sign takes one variant');
        const token = await buildAssistantSignature(flags.variant, flags);
        if (token === undefined) {
          console.error(`variant ${flags.variant} sends no header: there is no token to print`);
          return;
        }
        console.log(token);
      } catch (err) {
        fail(err);
      }
    });

  signing(assistant.command('send'))
    .description(
      `post a conversational request signed with a variant; <fixture> is a JSON file or one of: ${ASSISTANT_REQUEST_FIXTURES.join(', ')}`,
    )
    .argument('<fixture>', 'request body file, or a bundled fixture name')
    .requiredOption('--to <url>', 'the Action webhook URL', url)
    .option(
      '--variant <name>',
      'signature variant, or "all" to send every one',
      variantName,
      'valid',
    )
    .option('--status-only', 'print only the HTTP status (one line per variant)')
    .option('--json', 'print JSON results')
    .option('--check', 'exit 1 unless each status is what a conforming webhook answers (200/403)')
    .action(async (fixture: string, flags: SendFlags) => {
      try {
        const { raw } = loadAssistantRequestFixture(fixture);
        const names =
          flags.variant === 'all' ? ASSISTANT_VARIANTS.map((v) => v.name) : [flags.variant];
        const results = [];
        for (const name of names) {
          const result = await sendAssistantRequest({
            ...flags,
            url: flags.to,
            body: raw,
            variant: name,
          });
          const expected = findAssistantVariant(name).expectedStatus;
          results.push({ ...result, expectedStatus: expected, ok: result.status === expected });
        }
        if (flags.json) {
          const out = results.map(({ variant, status, expectedStatus, ok, body }) => ({
            variant,
            status,
            expectedStatus,
            ok,
            body,
          }));
          console.log(JSON.stringify(names.length === 1 ? out[0] : out, null, 2));
        } else {
          for (const r of results) {
            if (flags.statusOnly)
              console.log(names.length === 1 ? r.status : `${r.variant} ${r.status}`);
            else {
              const mark = r.ok ? 'as expected' : `EXPECTED ${r.expectedStatus}`;
              console.log(`${r.variant}: HTTP ${r.status} (${mark}) ${r.text.slice(0, 400)}`);
            }
          }
        }
        if (flags.check && results.some((r) => !r.ok)) process.exitCode = 1;
      } catch (err) {
        fail(err);
      }
    });

  assistant
    .command('variants')
    .description('list the signature variants and what a conforming webhook answers')
    .option('--json', 'print JSON')
    .action((flags: { json?: boolean }) => {
      const rows = ASSISTANT_VARIANTS.map(({ name, verdict, expectedStatus, description }) => ({
        name,
        verdict,
        expectedStatus,
        description,
      }));
      if (flags.json) {
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      for (const row of rows) {
        console.log(
          `${row.name.padEnd(22)} ${row.verdict.padEnd(7)} ${row.expectedStatus}  ${row.description}`,
        );
      }
    });
}

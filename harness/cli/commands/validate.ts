import { type Command, Option } from 'commander';
import { DEFAULT_SCOPES } from '../../../wire/defaults.ts';
import { type ValidateFlags, validateCommand } from '../../validator/validate-command.ts';

/** Secrets may come from the environment so they stay out of shell history and `ps`. */
const PASSWORD_ENV = 'BM_VALIDATE_PASSWORD';
const CLIENT_SECRET_ENV = 'BM_VALIDATE_CLIENT_SECRET';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description(
      'Partner conformance probe: checks that an OAuth provider works with Business Messages sign-in and follows the OAuth specs. Exit 0 no FAIL, 1 some FAIL, 2 harness/config error.',
    )
    .requiredOption('--issuer <url>', 'issuer identifier (metadata via OIDC Discovery or RFC 8414)')
    .requiredOption(
      '--client-id <id>',
      'client registered with the four Business Messages redirect URIs',
    )
    .option(
      '--client-secret <secret>',
      `client secret (or env ${CLIENT_SECRET_ENV}); omit for a public client`,
    )
    .option('--scope <scopes>', 'space-separated scopes to ask for', DEFAULT_SCOPES.join(' '))
    .addOption(
      new Option(
        '--login <mode>',
        'how to sign the test user in: HTTP forms, headless Chromium, or yourself',
      )
        .choices(['auto', 'browser', 'manual'])
        .default('auto'),
    )
    .option('--username <user>', 'test account username (auto/browser)')
    .option('--password <password>', `test account password (or env ${PASSWORD_ENV})`)
    .addOption(
      new Option('--format <format>', 'report format')
        .choices(['text', 'json', 'junit'])
        .default('text'),
    )
    .option('--out <file>', 'write the report to a file instead of stdout')
    .option('--chromium <path>', 'Chromium executable for --login browser', '/usr/bin/chromium')
    .option('--verbose', 'text report: show evidence for passing checks too')
    .option('--quiet', 'no progress lines on stderr')
    .action(async (flags: ValidateFlags) => {
      process.exitCode = await validateCommand(
        {
          ...flags,
          password: flags.password ?? process.env[PASSWORD_ENV],
          clientSecret: flags.clientSecret ?? process.env[CLIENT_SECRET_ENV],
        },
        { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
      );
    });
}

import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { ValidatorError } from '../errors.ts';
import type { LoginDriver, LoginOutcome } from './driver.ts';

export interface ManualDriverOptions {
  input: Readable;
  output: Writable;
  username?: string;
}

/**
 * `--login manual`: a person signs in with their own browser. The browser will fail to open
 * business.google.com's page (or show Google's): the address in its address bar is what the
 * validator needs. The browser may have normalised it, which the evidence says.
 */
export function createManualDriver(options: ManualDriverOptions): LoginDriver {
  let rl: Interface | undefined;
  // Lines are buffered by the iterator, so input piped in ahead of the prompts is not lost.
  let lines: AsyncIterator<string> | undefined;
  let count = 0;
  return {
    name: 'manual',
    async authorize(request): Promise<LoginOutcome> {
      rl ??= createInterface({ input: options.input, terminal: false });
      lines ??= rl[Symbol.asyncIterator]();
      count++;
      const who = options.username ? ` as ${options.username}` : '';
      const choice = request.consent === 'deny' ? 'DENY / Cancel' : 'Allow';
      options.output.write(
        `\n[${count}] Open this URL in a browser, sign in${who} and choose "${choice}" if asked:\n\n  ${request.url}\n\n` +
          'Then paste the address the browser ends up at (https://business.google.com/…), or just press Enter if the provider showed an error page instead:\n> ',
      );
      const next = await lines.next();
      const steps = [`manual sign-in #${count}`];
      if (next.done) {
        // Nobody is left to answer: every later probe would "pass" or "fail" on silence
        // (near misses look refused, redirect URIs look broken). The run cannot judge.
        throw new ValidatorError(
          'login_failed',
          `standard input ended before an address was pasted (sign-in #${count})`,
          'run --login manual in an interactive terminal (stdin not redirected), or use --login auto / --login browser',
        );
      }
      const line = next.value.trim();
      if (line === '') {
        return {
          kind: 'stopped',
          code: 'no_redirect',
          message: 'the person reported an error page and no redirect',
          consentShown: undefined,
          steps,
        };
      }
      if (!request.stopAt(line)) {
        return {
          kind: 'stopped',
          code: 'not_a_redirect',
          message: `the pasted address is not a business.google.com redirect: ${line.slice(0, 200)}`,
          consentShown: undefined,
          steps,
        };
      }
      return {
        kind: 'redirect',
        location: line,
        capture: 'pasted from the browser address bar (normalised by the browser; not byte-exact)',
        consentShown: undefined,
        steps,
      };
    },
    async close() {
      rl?.close();
    },
  };
}

import type { Readable, Writable } from 'node:stream';
import { ValidatorError } from '../errors.ts';
import type { LoginMode } from '../types.ts';
import { createAutoDriver } from './auto-driver.ts';
import { createBrowserDriver } from './browser-driver.ts';
import type { LoginDriver } from './driver.ts';
import { createManualDriver } from './manual-driver.ts';

export interface CreateDriverOptions {
  mode: LoginMode;
  username?: string;
  password?: string;
  chromiumPath?: string;
  fetch?: typeof fetch;
  input?: Readable;
  output?: Writable;
}

export async function createLoginDriver(options: CreateDriverOptions): Promise<LoginDriver> {
  if (options.mode === 'manual') {
    return createManualDriver({
      input: options.input ?? process.stdin,
      output: options.output ?? process.stderr,
      username: options.username,
    });
  }
  if (options.username === undefined || options.password === undefined) {
    throw new ValidatorError(
      'bad_config',
      `--login ${options.mode} needs --username and --password for a test account`,
      'pass --username U --password P, or use --login manual to sign in yourself',
    );
  }
  const credentials = { username: options.username, password: options.password };
  if (options.mode === 'browser') {
    return createBrowserDriver({ ...credentials, executablePath: options.chromiumPath });
  }
  return createAutoDriver({ ...credentials, fetch: options.fetch });
}

/**
 * `npm run fuzz [-- --runs 2000]`: the fuzz suite (test/fuzz) with many more generated cases
 * than `npm test` runs. Exit code is vitest's.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { REPO_ROOT } from './child.ts';

const opts = new Command('fuzz')
  .description('Run the property-based fuzz suite with many cases.')
  .option('--runs <n>', 'generated cases per property', '2000')
  .parse()
  .opts<{ runs: string }>();

// vitest's CLI entry (its `bin`), next to its package.json.
const vitest = join(
  dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
);
const child = spawn(process.execPath, [vitest, 'run', 'test/fuzz'], {
  cwd: REPO_ROOT,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: opts.runs },
});
child.on('exit', (code) => {
  process.exitCode = code ?? 1;
});

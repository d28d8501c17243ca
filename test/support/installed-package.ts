import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PACKAGE_ROOT } from '../../wire/package-root.ts';

const run = promisify(execFile);
export const NODE = join(PACKAGE_ROOT, 'node_modules', '.bin', 'node');

/**
 * A directory outside the repository with bm-oauth-harness installed from its packed tarball
 * (built into a staging copy, never the repo's own dist/). Dependencies are linked from the
 * repository's lock-resolved node_modules, laid out flat as npm would hoist them, because a
 * real `npm install` would resolve fresh versions and need the network.
 */
export async function installPackageInTempApp(): Promise<{ work: string; app: string }> {
  const work = mkdtempSync(join(tmpdir(), 'bm-installed-'));
  const stage = join(work, 'stage');
  mkdirSync(stage);
  for (const entry of ['package.json', 'README.md', 'fixtures']) {
    if (existsSync(join(PACKAGE_ROOT, entry)))
      cpSync(join(PACKAGE_ROOT, entry), join(stage, entry), { recursive: true });
  }
  await run(NODE, [
    join(PACKAGE_ROOT, 'node_modules/typescript/bin/tsc'),
    '-p',
    join(PACKAGE_ROOT, 'tsconfig.build.json'),
    '--outDir',
    join(stage, 'dist'),
  ]);
  if (!existsSync(join(stage, 'dist/harness/intercept/preload.js')))
    throw new Error('build did not emit the interception preload');
  await run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: stage });
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack produced no tarball');
  const app = join(work, 'app');
  const modules = join(app, 'node_modules');
  mkdirSync(modules, { recursive: true });
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'some-agent', version: '1.0.0', private: true }),
  );
  await run('tar', ['-xzf', join(work, tarball), '-C', modules]);
  renameSync(join(modules, 'package'), join(modules, 'bm-oauth-harness'));
  for (const dep of readdirSync(join(PACKAGE_ROOT, 'node_modules'))) {
    if (dep.startsWith('.') || dep === 'bm-oauth-harness') continue;
    symlinkSync(join(PACKAGE_ROOT, 'node_modules', dep), join(modules, dep));
  }
  return { work, app };
}

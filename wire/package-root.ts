import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root, found by walking up to our own package.json. Sources run from the repo
 * (`wire/…`) and compiled code from `dist/wire/…`, so a fixed `../` depth would be wrong for
 * one of them.
 */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string };
      if (pkg.name === 'bm-oauth-harness') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('bm-oauth-harness: cannot find the package root');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();

export function fixturePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, 'fixtures', ...parts);
}

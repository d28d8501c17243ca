import { invalidArgument } from './google-errors.ts';

function camelCase(name: string): string {
  return name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9]*$/;
const FORBIDDEN = new Set(['constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty']);

function getPath(source: Record<string, unknown>, path: string[]): unknown {
  let cursor: unknown = source;
  for (const key of path) {
    if (typeof cursor !== 'object' || cursor === null || !Object.hasOwn(cursor, key)) {
      return undefined;
    }
    cursor = (cursor as Record<string, unknown>)[key];
  }
  return cursor;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let cursor = target;
  for (const key of path.slice(0, -1)) {
    if (!Object.hasOwn(cursor, key) || typeof cursor[key] !== 'object' || cursor[key] === null) {
      cursor[key] = {};
    }
    cursor = cursor[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete cursor[last];
  else cursor[last] = structuredClone(value);
}

/**
 * Applies a google.protobuf.FieldMask (`updateMask=a.b,c`) as Google's PATCH methods do: each
 * listed path is replaced by the request's value there, or cleared when the request leaves it
 * out. Without a mask, every top-level field present in the request replaces the resource's.
 */
export function applyUpdateMask(
  resource: Record<string, unknown>,
  patch: Record<string, unknown>,
  updateMask: string | undefined,
  options: { mutableRoots: readonly string[]; immutable: readonly string[] },
): string[] {
  const paths = updateMask
    ? updateMask
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => p.split('.').map(camelCase))
    : Object.keys(patch).map((k) => [camelCase(k)]);
  for (const path of paths) {
    const dotted = path.join('.');
    // Proto field names only: `__proto__`, `constructor`… would walk into Object.prototype.
    if (path.some((segment) => !FIELD_NAME.test(segment) || FORBIDDEN.has(segment))) {
      throw invalidArgument('update_mask', `Invalid field mask path "${dotted}".`);
    }
    if (options.immutable.includes(path[0]!)) {
      throw invalidArgument('update_mask', `Field ${dotted} is immutable and cannot be updated.`);
    }
    if (!options.mutableRoots.includes(path[0]!)) {
      throw invalidArgument('update_mask', `Invalid field mask path "${dotted}": no such field.`);
    }
  }
  for (const path of paths) setPath(resource, path, getPath(patch, path));
  return paths.map((p) => p.join('.'));
}

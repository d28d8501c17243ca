import { GoogleApiError } from './google-errors.ts';

/**
 * A small description of a proto3 message as Google's JSON front end sees it, enough to
 * reproduce its two parse-time errors: unknown fields and values of the wrong type. Field
 * paths in Google's messages use the proto (snake_case) names, e.g.
 * `message.suggestions[0].authentication_request.oauth.client_id`.
 */
export type Shape =
  | { kind: 'string' }
  | { kind: 'bool' }
  | { kind: 'enum'; typeName: string; values: readonly string[] }
  | { kind: 'message'; fields: Record<string, Shape> }
  | { kind: 'repeated'; of: Shape }
  /** Accepted as-is (e.g. rich cards, whose full schema the emulator does not check). */
  | { kind: 'any' };

export const str: Shape = { kind: 'string' };
export const bool: Shape = { kind: 'bool' };
export const any: Shape = { kind: 'any' };
export const repeated = (of: Shape): Shape => ({ kind: 'repeated', of });
export const message = (fields: Record<string, Shape>): Shape => ({ kind: 'message', fields });
export const enumOf = (typeName: string, values: readonly string[]): Shape => ({
  kind: 'enum',
  typeName,
  values,
});

export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function camelCase(name: string): string {
  return name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * Checks `value` against `shape` and returns a copy with field names in lowerCamelCase
 * (proto3 JSON accepts both spellings). Throws GoogleApiError INVALID_ARGUMENT with Google's
 * "Invalid JSON payload received." wording. `null` means "not set", as in proto3 JSON.
 */
export function parseShape(value: unknown, shape: Shape, path: string): unknown {
  if (value === null) return undefined;
  switch (shape.kind) {
    case 'any':
      return value;
    case 'string':
      if (typeof value !== 'string') throw invalidValue(path, 'TYPE_STRING', value);
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw invalidValue(path, 'TYPE_BOOL', value);
      return value;
    case 'enum':
      if (typeof value !== 'string' || !shape.values.includes(value)) {
        throw invalidValue(path, shape.typeName, value);
      }
      return value;
    case 'repeated':
      if (!Array.isArray(value))
        throw invalidValue(
          path,
          'repeated',
          value,
          'Proto field is not repeating, cannot start list.',
        );
      // proto3 JSON has no "unset" list item: Google rejects a null element.
      return value.map((item, i) => {
        if (item === null) throw invalidValue(`${path}[${i}]`, elementType(shape.of), item);
        return parseShape(item, shape.of, `${path}[${i}]`);
      });
    case 'message': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        throw invalidValue(path, 'TYPE_MESSAGE', value, 'Starting an object on a scalar field');
      }
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value)) {
        // Own properties only: `toString` or `__proto__` must be unknown names, not inherited ones.
        const name = Object.hasOwn(shape.fields, key) ? key : camelCase(key);
        const childShape = Object.hasOwn(shape.fields, name) ? shape.fields[name] : undefined;
        if (!childShape) {
          const description = `Invalid JSON payload received. Unknown name "${key}" at '${path}': Cannot find field.`;
          throw new GoogleApiError('INVALID_ARGUMENT', description, {
            fieldViolations: [{ field: path, description }],
          });
        }
        const parsed = parseShape(child, childShape, `${path}.${snakeCase(name)}`);
        if (parsed !== undefined) out[name] = parsed;
      }
      return out;
    }
  }
}

function elementType(shape: Shape): string {
  switch (shape.kind) {
    case 'string':
      return 'TYPE_STRING';
    case 'bool':
      return 'TYPE_BOOL';
    case 'enum':
      return shape.typeName;
    default:
      return 'TYPE_MESSAGE';
  }
}

function invalidValue(path: string, type: string, value: unknown, why?: string): GoogleApiError {
  const description = why
    ? `Invalid JSON payload received. ${why} at '${path}'`
    : `Invalid value at '${path}' (${type}), ${JSON.stringify(value)}`;
  return new GoogleApiError(
    'INVALID_ARGUMENT',
    `Invalid JSON payload received. ${description.replace('Invalid JSON payload received. ', '')}`,
    {
      fieldViolations: [{ field: path, description }],
    },
  );
}

import { existsSync, readFileSync } from 'node:fs';
import { fixturePath } from '../../wire/package-root.ts';

/** Conversational (Actions Builder) webhook requests shipped in fixtures/assistant/requests. */
export const ASSISTANT_REQUEST_FIXTURES = [
  'main-invocation',
  'handler-with-params',
  'health-check',
] as const;

export class AssistantFixtureError extends Error {
  readonly code = 'ASSISTANT_FIXTURE_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'AssistantFixtureError';
  }
}

/** Resolves a bundled fixture name (e.g. `health-check`) or a file path. */
export function resolveAssistantFixture(nameOrPath: string): string {
  if ((ASSISTANT_REQUEST_FIXTURES as readonly string[]).includes(nameOrPath)) {
    return fixturePath('assistant', 'requests', `${nameOrPath}.json`);
  }
  return nameOrPath;
}

/** Reads a JSON file; the raw text is kept so that it is sent byte for byte. */
export function readJsonFile(path: string): { raw: string; json: unknown } {
  if (!existsSync(path)) throw new AssistantFixtureError(`no such file: ${path}`);
  const raw = readFileSync(path, 'utf8');
  try {
    return { raw, json: JSON.parse(raw) };
  } catch (err) {
    throw new AssistantFixtureError(`${path} is not JSON: ${(err as Error).message}`);
  }
}

export function loadAssistantRequestFixture(nameOrPath: string): { raw: string; json: unknown } {
  return readJsonFile(resolveAssistantFixture(nameOrPath));
}

/**
 * Parses `--claims`: inline JSON, or `@file` / a path to a JSON file. Keys starting with `_`
 * (fixture comments) are dropped.
 */
export function parseClaimsArgument(value: string): Record<string, unknown> {
  const trimmed = value.trim();
  let parsed: unknown;
  if (trimmed.startsWith('{')) {
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      throw new AssistantFixtureError(`--claims is not valid JSON: ${(err as Error).message}`);
    }
  } else {
    parsed = readJsonFile(trimmed.replace(/^@/, '')).json;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AssistantFixtureError('--claims must be a JSON object');
  }
  return Object.fromEntries(Object.entries(parsed).filter(([key]) => !key.startsWith('_')));
}

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadUsers } from './accounts.ts';
import { loadClients } from './clients.ts';
import { MockProviderConfigError } from './errors.ts';
import type { MockProviderOptions } from './index.ts';

/**
 * The provider's JSON config file (see provider.config.example.json). Every key is
 * optional; `usersFile` / `clientsFile` are resolved relative to the config file.
 */
const KNOWN = new Set([
  '$comment',
  'port',
  'host',
  'issuer',
  'codeTtlSeconds',
  'accessTokenTtlSeconds',
  'refreshTokenTtlSeconds',
  'headlessLogin',
  'misbehave',
  'faults',
  'quiet',
  'eventLogSize',
  'bodyLimitBytes',
  'usersFile',
  'clientsFile',
]);

export function loadProviderConfigFile(file: string): MockProviderOptions {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new MockProviderConfigError(
      `cannot read config file ${file}: ${(cause as Error).message}`,
      { cause },
    );
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new MockProviderConfigError(`${file}: expected a JSON object`);
  }
  const config = raw as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!KNOWN.has(key)) throw new MockProviderConfigError(`${file}: unknown key "${key}"`);
  }
  const out: MockProviderOptions = {};
  const ints = [
    'port',
    'codeTtlSeconds',
    'accessTokenTtlSeconds',
    'refreshTokenTtlSeconds',
    'eventLogSize',
    'bodyLimitBytes',
  ] as const;
  for (const key of ints) {
    if (config[key] === undefined) continue;
    out[key] = parseIntOption(config[key], `${file}: "${key}"`, key === 'port' ? 0 : 1);
  }
  for (const key of ['host', 'issuer'] as const) {
    if (config[key] === undefined) continue;
    if (typeof config[key] !== 'string')
      throw new MockProviderConfigError(`${file}: "${key}" must be a string`);
    out[key] = config[key];
  }
  for (const key of ['headlessLogin', 'quiet'] as const) {
    if (config[key] === undefined) continue;
    if (typeof config[key] !== 'boolean')
      throw new MockProviderConfigError(`${file}: "${key}" must be true or false`);
    out[key] = config[key];
  }
  if (config.misbehave !== undefined)
    out.misbehave = config.misbehave as MockProviderOptions['misbehave'];
  if (config.faults !== undefined) {
    if (!Array.isArray(config.faults))
      throw new MockProviderConfigError(`${file}: "faults" must be an array`);
    out.faults = config.faults as MockProviderOptions['faults'];
  }
  const base = dirname(resolve(file));
  if (typeof config.usersFile === 'string') out.users = loadUsers(resolve(base, config.usersFile));
  if (typeof config.clientsFile === 'string')
    out.clients = loadClients(resolve(base, config.clientsFile));
  return out;
}

export function parseIntOption(value: unknown, what: string, min = 0, max = 2 ** 31): number {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new MockProviderConfigError(`${what} must be an integer from ${min} to ${max}`);
  }
  return n;
}

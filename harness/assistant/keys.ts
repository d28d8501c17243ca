import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fixturePath } from '../../wire/package-root.ts';

/**
 * One TEST ONLY key the emulator signs `google-assistant-signature` JWTs with. The fixture is
 * produced by scripts/generate-assistant-keys.ts; the certificate is what Google's
 * https://www.googleapis.com/oauth2/v1/certs serves per kid.
 */
export interface AssistantSigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: JsonWebKey & { kid: string; alg: string; use: string };
  certificatePem: string;
}

interface SigningKeyFile {
  _comment?: string;
  keys: {
    kid: string;
    privateJwk: JsonWebKey;
    publicJwk: JsonWebKey & { kid: string; alg: string; use: string };
    certificatePem: string;
  }[];
}

export class AssistantKeyFileError extends Error {
  readonly code = 'ASSISTANT_KEY_FILE_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'AssistantKeyFileError';
  }
}

export const DEFAULT_ASSISTANT_KEY_FILE = fixturePath('assistant', 'signing-keys.json');

const cache = new Map<string, AssistantSigningKey[]>();

/** Loads (once per path) the signing keys; the first key is the one used to sign. */
export function loadAssistantSigningKeys(file = DEFAULT_ASSISTANT_KEY_FILE): AssistantSigningKey[] {
  const cached = cache.get(file);
  if (cached) return cached;
  let parsed: SigningKeyFile;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as SigningKeyFile;
  } catch (err) {
    throw new AssistantKeyFileError(`cannot read Assistant signing keys from ${file}: ${err}`);
  }
  if (!Array.isArray(parsed.keys) || parsed.keys.length === 0) {
    throw new AssistantKeyFileError(`${file} has no "keys"`);
  }
  const keys = parsed.keys.map((entry) => ({
    kid: entry.kid,
    privateKey: createPrivateKey({ key: entry.privateJwk, format: 'jwk' }),
    publicKey: createPublicKey({ key: entry.publicJwk, format: 'jwk' }),
    publicJwk: entry.publicJwk,
    certificatePem: entry.certificatePem,
  }));
  cache.set(file, keys);
  return keys;
}

/** `{"<kid>": "-----BEGIN CERTIFICATE-----…"}` as served at /oauth2/v1/certs. */
export function assistantPemMap(keys = loadAssistantSigningKeys()): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [key.kid, key.certificatePem]));
}

/** `{"keys":[…]}` as served at /oauth2/v3/certs. */
export function assistantJwks(keys = loadAssistantSigningKeys()): {
  keys: AssistantSigningKey['publicJwk'][];
} {
  return { keys: keys.map((key) => ({ ...key.publicJwk })) };
}

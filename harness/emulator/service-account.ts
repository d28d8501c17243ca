import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fixturePath } from '../../wire/package-root.ts';

/** The fields of a service-account JSON key file that the emulator relies on. */
export interface ServiceAccountKey {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  token_uri: string;
}

export interface KnownServiceAccount {
  email: string;
  keyId: string;
  publicKey: KeyObject;
}

export const DEFAULT_SERVICE_ACCOUNT_FILE = fixturePath('service-account.json');

export function loadServiceAccountKey(file = DEFAULT_SERVICE_ACCOUNT_FILE): ServiceAccountKey {
  const key = JSON.parse(readFileSync(file, 'utf8')) as ServiceAccountKey;
  if (key.type !== 'service_account' || !key.private_key || !key.client_email) {
    throw new Error(`${file} is not a service-account key file`);
  }
  return key;
}

/** Keeps only the public half: the emulator never needs to sign as the service account. */
export function publicServiceAccount(key: ServiceAccountKey): KnownServiceAccount {
  return {
    email: key.client_email,
    keyId: key.private_key_id,
    publicKey: createPublicKey(key.private_key),
  };
}

import { readFileSync } from 'node:fs';
import { fixturePath } from '../wire/package-root.ts';
import { MockProviderConfigError } from './errors.ts';

/** Client metadata as oidc-provider takes it (RFC 7591 names). */
export interface MockClient {
  client_id: string;
  client_secret?: string;
  client_name?: string;
  token_endpoint_auth_method: 'client_secret_basic' | 'client_secret_post' | 'none';
  grant_types: string[];
  response_types: string[];
  redirect_uris: string[];
}

export function loadClients(file = fixturePath('clients.json')): MockClient[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { clients?: unknown };
  if (!Array.isArray(parsed.clients)) {
    throw new MockProviderConfigError(`${file}: expected {"clients": [...]}`);
  }
  return parsed.clients.map((c, i) => validateClient(c, `${file} clients[${i}]`));
}

function validateClient(value: unknown, where: string): MockClient {
  const c = value as Partial<MockClient> | null;
  if (!c || typeof c.client_id !== 'string' || !c.client_id) {
    throw new MockProviderConfigError(`${where}: "client_id" must be a non-empty string`);
  }
  if (!Array.isArray(c.redirect_uris) || c.redirect_uris.some((u) => typeof u !== 'string')) {
    throw new MockProviderConfigError(`${where}: "redirect_uris" must be an array of strings`);
  }
  const method = c.token_endpoint_auth_method ?? (c.client_secret ? 'client_secret_basic' : 'none');
  if (method !== 'none' && !c.client_secret) {
    throw new MockProviderConfigError(`${where}: ${method} needs a "client_secret"`);
  }
  return {
    client_id: c.client_id,
    ...(c.client_secret ? { client_secret: c.client_secret } : {}),
    ...(c.client_name ? { client_name: c.client_name } : {}),
    token_endpoint_auth_method: method,
    grant_types: c.grant_types ?? ['authorization_code', 'refresh_token'],
    response_types: c.response_types ?? ['code'],
    // Kept exactly as written: the trailing `?` and `&` matter (SPEC §2 step 2).
    redirect_uris: [...c.redirect_uris],
  };
}

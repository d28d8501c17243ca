import { importPKCS8, SignJWT } from 'jose';
import { loadServiceAccountKey } from '../service-account.ts';

export interface AssertionOverrides {
  aud?: string;
  iss?: string;
  scope?: string | null;
  iat?: number;
  exp?: number;
  kid?: string;
  privateKeyPem?: string;
}

/** Signs a JWT-bearer assertion with the fixture key, as google-auth-library does. */
export async function signAssertion(overrides: AssertionOverrides = {}): Promise<string> {
  const key = loadServiceAccountKey();
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {};
  const scope =
    overrides.scope === undefined
      ? 'https://www.googleapis.com/auth/businessmessages'
      : overrides.scope;
  if (scope !== null) claims.scope = scope;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: overrides.kid ?? key.private_key_id })
    .setIssuer(overrides.iss ?? key.client_email)
    .setAudience(overrides.aud ?? 'https://oauth2.googleapis.com/token')
    .setIssuedAt(overrides.iat ?? now)
    .setExpirationTime(overrides.exp ?? now + 3600)
    .sign(await importPKCS8(overrides.privateKeyPem ?? key.private_key, 'RS256'));
}

/** Gets an emulator access token for `scopes` through its token endpoint. */
export async function serviceAccountToken(
  emulatorUrl: string,
  scope = 'https://www.googleapis.com/auth/businessmessages https://www.googleapis.com/auth/businesscommunications',
): Promise<string> {
  const res = await fetch(`${emulatorUrl}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: await signAssertion({ scope }),
    }),
  });
  if (!res.ok) throw new Error(`token endpoint answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

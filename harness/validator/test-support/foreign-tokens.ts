import { createHash, randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/** TEST ONLY. Codes and ES256 ID tokens for the hand-written foreign provider. */
export interface IssuedCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string | undefined;
  scope: string;
  sub: string;
  expiresAt: number;
  used: boolean;
}

export const randomToken = (bytes = 24) => randomBytes(bytes).toString('base64url');

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export interface TokenSigner {
  jwks: { keys: JWK[] };
  idToken(claims: { iss: string; aud: string; sub: string; nonce?: string }): Promise<string>;
}

export async function createSigner(): Promise<TokenSigner> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = randomToken(8);
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  return {
    jwks: { keys: [jwk] },
    idToken: ({ iss, aud, sub, nonce }) =>
      new SignJWT(nonce ? { nonce } : {})
        .setProtectedHeader({ alg: 'ES256', kid })
        .setIssuer(iss)
        .setAudience(aud)
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey),
  };
}

/** Claims of the `google-assistant-signature` JWT (SPEC §3). `aud` is a plain string. */
export interface AssistantSignatureClaims {
  iss: string;
  aud: string;
  nbf: number;
  iat: number;
  exp: number;
  jti: string;
}

export const ASSISTANT_SIGNATURE_HEADER = 'google-assistant-signature';
export const ASSISTANT_ISSUERS = ['accounts.google.com', 'https://accounts.google.com'] as const;

import { errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { ASSISTANT_ISSUERS } from '../../wire/assistant.ts';

export interface AssistantVerifierOptions {
  /** Actions console project id: the only accepted `aud`. */
  projectId: string;
  keys: JWTVerifyGetKey;
  /** Clock skew allowed on exp/nbf/iat, in seconds. google-auth-library allows 300. */
  clockToleranceSeconds?: number;
}

export class AssistantSignatureError extends Error {
  readonly code = 'ASSISTANT_SIGNATURE_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AssistantSignatureError';
  }
}

/** Google's ID-token lifetime cap (google-auth-library's DEFAULT_MAX_TOKEN_LIFETIME_SECS_). */
const MAX_TOKEN_AGE = '1 day';

/**
 * Verifies `google-assistant-signature` (Actions on Google "Verify requests"): RS256 only, a
 * key Google serves, iss in {accounts.google.com, https://accounts.google.com}, aud equal to
 * the project id AS A STRING (Google sends a string; an array is not what was signed for
 * us), iat and exp required, iat not in the future.
 */
export function createAssistantVerifier(
  options: AssistantVerifierOptions,
): (token: string | undefined) => Promise<JWTPayload> {
  const clockTolerance = options.clockToleranceSeconds ?? 300;
  return async (token) => {
    if (!token) throw new AssistantSignatureError('google-assistant-signature header is missing');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, options.keys, {
        algorithms: ['RS256'],
        issuer: [...ASSISTANT_ISSUERS],
        audience: options.projectId,
        requiredClaims: ['iat', 'exp'],
        maxTokenAge: MAX_TOKEN_AGE,
        clockTolerance,
      }));
    } catch (err) {
      const reason =
        err instanceof errors.JOSEError ? `${err.code}: ${err.message}` : (err as Error).message;
      throw new AssistantSignatureError(reason, { cause: err });
    }
    if (typeof payload.aud !== 'string') {
      throw new AssistantSignatureError('aud must be a single project id string');
    }
    return payload;
  };
}

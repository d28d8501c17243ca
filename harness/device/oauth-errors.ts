import type { AuthErrorCode } from '../../wire/business-messages.ts';

/**
 * OAuth 2.0 authorization error codes (RFC 6749 §4.1.2.1) to the Business Messages
 * `AuthenticationErrorDetails.error` enum. Codes outside the RFC list map to
 * ERROR_UNSPECIFIED, as Google's enum has no other bucket.
 */
const MAP: Record<string, AuthErrorCode> = {
  invalid_request: 'INVALID_REQUEST',
  unauthorized_client: 'UNAUTHORIZED_CLIENT',
  access_denied: 'ACCESS_DENIED',
  unsupported_response_type: 'UNSUPPORTED_RESPONSE_TYPE',
  invalid_scope: 'INVALID_SCOPE',
  server_error: 'SERVER_ERROR',
  temporarily_unavailable: 'TEMPORARILY_UNAVAILABLE',
};

export function mapOAuthError(error: string): AuthErrorCode {
  return MAP[error] ?? 'ERROR_UNSPECIFIED';
}

/** The reverse, for fixtures and tests: every Business Messages code with its OAuth origin. */
export const AUTH_ERROR_CODES: readonly AuthErrorCode[] = [
  'ERROR_UNSPECIFIED',
  ...Object.values(MAP),
];

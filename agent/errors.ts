/** Errors of the reference agent; `code` is stable and `status` is what the webhook answers. */
export class AgentError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status = 500, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AgentError';
    this.code = code;
    this.status = status;
  }
}

/** The OAuth provider could not complete the sign-in (token exchange or userinfo). */
export class SignInError extends AgentError {
  /** `invalid_grant`, `temporarily_unavailable`, … — decides what the user is told. */
  readonly reason: 'invalid_grant' | 'temporarily_unavailable' | 'provider_error';
  constructor(reason: SignInError['reason'], message: string, options?: { cause?: unknown }) {
    super(`SIGN_IN_${reason.toUpperCase()}`, message, 502, options);
    this.name = 'SignInError';
    this.reason = reason;
  }
}

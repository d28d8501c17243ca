/**
 * The validator could not judge the provider: the harness or its configuration failed
 * (CLI exit code 2). `hint` tells the user what to do next.
 */
export type ValidatorErrorCode =
  | 'issuer_unreachable'
  | 'discovery_not_found'
  | 'login_failed'
  | 'browser_unavailable'
  | 'bad_config';

export class ValidatorError extends Error {
  readonly code: ValidatorErrorCode;
  readonly hint: string;

  constructor(
    code: ValidatorErrorCode,
    message: string,
    hint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ValidatorError';
    this.code = code;
    this.hint = hint;
  }
}

import type { HttpLoginStep } from './steps.ts';

/**
 * Why a login walk stopped without reaching `stopAt`. Codes are stable: callers (the virtual
 * device, the partner validator) map them to verdicts and to advice for the user.
 * - `login_form_not_found`: a page came back that has no login, consent or auto-post form
 * - `login_rejected`: the login form was shown again after the credentials were submitted
 * - `consent_choice_not_found`: a consent page without the wanted Allow/Deny control
 * - `too_many_steps`: more requests than `maxSteps` (redirect loop, endless interstitials)
 * - `http_error`: a 4xx/5xx response, or a redirect without a Location header
 * - `network_error`: the request itself failed (refused connection, DNS, TLS)
 * - `timeout`: the walk took longer than `timeoutMs`
 * - `form_post_response`: the provider answered with an auto-post form to the stop target
 *   instead of a redirect (response_mode=form_post), which the Business Messages flow can't use
 */
export type HttpLoginErrorCode =
  | 'login_form_not_found'
  | 'login_rejected'
  | 'consent_choice_not_found'
  | 'too_many_steps'
  | 'http_error'
  | 'network_error'
  | 'timeout'
  | 'form_post_response';

export interface HttpLoginErrorDetails {
  /** HTTP status of the last response, when there was one. */
  status?: number;
  /** Redacted URL of the last response. */
  url?: string;
  /** Visible text of the last page (redacted, truncated) — evidence for reports. */
  pageText?: string;
}

export class HttpLoginError extends Error {
  readonly code: HttpLoginErrorCode;
  readonly steps: HttpLoginStep[];
  readonly details: HttpLoginErrorDetails;

  constructor(
    code: HttpLoginErrorCode,
    message: string,
    steps: HttpLoginStep[],
    details: HttpLoginErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpLoginError';
    this.code = code;
    this.steps = steps;
    this.details = details;
  }
}

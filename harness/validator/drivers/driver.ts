/**
 * How the validator gets a person through the provider's sign-in: over HTTP (`auto`), in a
 * headless browser (`browser`) or by asking a real person (`manual`). Every driver stops at
 * the first navigation to Google's side and reports it without following it.
 */
export interface LoginRequest {
  url: string;
  consent: 'allow' | 'deny';
  stopAt: (url: string) => boolean;
}

export type LoginOutcome =
  | {
      kind: 'redirect';
      /** The stopping navigation; raw Location for `http`, possibly normalised otherwise. */
      location: string;
      /** How it was captured, said in evidence (a browser normalises URLs). */
      capture: string;
      /** Whether the driver saw and answered a consent page (undefined: unknown). */
      consentShown: boolean | undefined;
      steps: string[];
    }
  | {
      kind: 'stopped';
      /** HttpLoginError code (or the driver's equivalent). */
      code: string;
      message: string;
      status?: number;
      pageText?: string;
      consentShown: boolean | undefined;
      steps: string[];
    };

export interface LoginDriver {
  readonly name: 'auto' | 'browser' | 'manual';
  authorize(request: LoginRequest): Promise<LoginOutcome>;
  close(): Promise<void>;
}

/** Stopped outcomes that mean the harness could not sign in, rather than a provider verdict. */
export const LOGIN_TROUBLE = new Set([
  'login_form_not_found',
  'login_rejected',
  'consent_choice_not_found',
  'network_error',
  'timeout',
  'too_many_steps',
]);

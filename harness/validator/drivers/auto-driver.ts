import { HttpLoginError, httpLogin } from '../../login/http-login.ts';
import type { LoginDriver, LoginOutcome, LoginRequest } from './driver.ts';

export interface AutoDriverOptions {
  username: string;
  password: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** `--login auto`: the virtual device's HTTP login walker (harness/login). */
export function createAutoDriver(options: AutoDriverOptions): LoginDriver {
  return {
    name: 'auto',
    async authorize(request: LoginRequest): Promise<LoginOutcome> {
      try {
        const result = await httpLogin({
          authorizeUrl: request.url,
          username: options.username,
          password: options.password,
          consent: request.consent,
          stopAt: request.stopAt,
          fetch: options.fetch,
          timeoutMs: options.timeoutMs,
        });
        const steps = result.steps.map(
          (s) => `${s.method} ${s.url} → ${s.status} (${s.note ?? ''})`,
        );
        return {
          kind: 'redirect',
          location: result.location,
          capture:
            result.via === 'redirect'
              ? 'raw Location header (HTTP)'
              : `${result.via} target as written in the page (HTTP)`,
          consentShown: result.steps.some((s) => s.note?.startsWith('consent:')),
          steps,
        };
      } catch (error) {
        if (!(error instanceof HttpLoginError)) throw error;
        return {
          kind: 'stopped',
          code: error.code,
          message: error.message,
          status: error.details.status,
          pageText: error.details.pageText,
          consentShown: error.steps.some((s) => s.note?.startsWith('consent:')),
          steps: error.steps.map((s) => `${s.method} ${s.url} → ${s.status} (${s.note ?? ''})`),
        };
      }
    },
    async close() {},
  };
}

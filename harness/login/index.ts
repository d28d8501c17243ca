export {
  HttpLoginError,
  type HttpLoginErrorCode,
  type HttpLoginOptions,
  type HttpLoginResult,
  type HttpLoginStep,
  httpLogin,
} from './http-login.ts';
export type { HttpLoginErrorDetails } from './errors.ts';
export {
  type AnalysedPage,
  analysePage,
  type PageAction,
  type PageRequest,
} from './form-finder.ts';
export { createCookieFetch, type CookieFetch } from './cookie-fetch.ts';

// Public API of the partner validator and the generic HTTP login walker it shares with the
// virtual device.
export * from '../login/index.ts';
export { isGoogleSide } from './authorize.ts';
export { appendProblems, expectedPrefix, type ParsedCallback, parseCallback } from './callback.ts';
export { oidcDiscoveryUrl, rfc8414DiscoveryUrl } from './discovery.ts';
export { createAutoDriver } from './drivers/auto-driver.ts';
export { CHROMIUM_ARGS, createBrowserDriver, DEFAULT_CHROMIUM } from './drivers/browser-driver.ts';
export { type CreateDriverOptions, createLoginDriver } from './drivers/create-driver.ts';
export type { LoginDriver, LoginOutcome, LoginRequest } from './drivers/driver.ts';
export { createManualDriver } from './drivers/manual-driver.ts';
export { ValidatorError, type ValidatorErrorCode } from './errors.ts';
export { NEAR_MISS_REDIRECT_URIS } from './near-miss.ts';
export { renderJson } from './report/render-json.ts';
export { renderJunit } from './report/render-junit.ts';
export { renderText } from './report/render-text.ts';
export { type RunValidationOptions, runValidation } from './runner.ts';
export {
  CHECK_IDS,
  CHECK_STATUSES,
  type CheckId,
  type CheckResult,
  type CheckStatus,
  type LoginMode,
  type ValidationReport,
} from './types.ts';
export {
  type ReportFormat,
  renderReport,
  type ValidateFlags,
  validateCommand,
} from './validate-command.ts';

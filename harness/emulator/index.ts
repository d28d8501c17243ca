export * from './agent-directory.ts';
export * from './conversation-store.ts';
export * from './emulator.ts';
export * from './google-errors.ts';
export * from './harness-routes.ts';
export * from './message-rules.ts';
export {
  loadServiceAccountKey,
  type ServiceAccountKey,
  DEFAULT_SERVICE_ACCOUNT_FILE,
} from './service-account.ts';
export { GOOGLE_TOKEN_AUDIENCES, JWT_BEARER_GRANT } from './token-routes.ts';
export * from './harness-client.ts';
// The device and webhook signing are part of the emulator's public surface. Interception is
// not re-exported here: importing nock patches the process's HTTP stack, so it stays opt-in
// (`bm-oauth-harness/intercept`, or harness/intercept/install.ts).
export * from '../device/index.ts';
export * from '../webhook/index.ts';

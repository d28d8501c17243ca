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

// Public entry point of the bm-oauth-harness package.
export * from './wire/index.ts';
export * from './harness/start/start-harness.ts';
export * from './mock-provider/index.ts';
export * from './harness/emulator/index.ts';
export * from './agent/index.ts';
export * from './harness/assistant/index.ts';
export * from './harness/validator/index.ts';

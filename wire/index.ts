export * from './assistant.ts';
export * from './business-messages.ts';
export * from './defaults.ts';
export * from './redirect-uris.ts';

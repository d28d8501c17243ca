export * from './authorize-url.ts';
export * from './oauth-errors.ts';
export * from './redirect-capture.ts';
export * from './virtual-device.ts';

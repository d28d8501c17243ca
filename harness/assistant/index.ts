export * from './certs-router.ts';
export * from './keys.ts';
export * from './request-fixtures.ts';
export * from './send.ts';
export * from './sign.ts';
export * from './variants.ts';

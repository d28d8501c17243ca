export * from './delivery.ts';
export * from './envelope.ts';
export * from './handshake.ts';
export * from './signature.ts';
export * from './replay.ts';

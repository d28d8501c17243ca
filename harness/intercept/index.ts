export * from './install.ts';

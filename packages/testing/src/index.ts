export * from './conformance';
export * from './msw';
export * from './zod-keys';

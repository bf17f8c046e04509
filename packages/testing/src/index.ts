export * from './conformance';
export * from './emulators/oidc-provider';
export * from './msw';
export * from './zod-keys';

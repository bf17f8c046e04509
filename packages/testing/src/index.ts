export * from './conformance';
export * from './emulators/aliyun-dm';
export * from './emulators/oidc-provider';
export * from './faults';
export * from './msw';
export * from './zod-keys';

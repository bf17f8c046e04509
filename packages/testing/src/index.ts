export * from './conformance';
export * from './faults';
export * from './fuzz';
export * from './hostile-config';
export * from './id-token-forgery';
export * from './msw';
export * from './social-sign-in';
export * from './zod-keys';

export * from './conformance';
export * from './faults';
export * from './fuzz';
export * from './fuzz-sms';
export * from './id-token-forgery';
export * from './msw';
export * from './social-sign-in';
export * from './zod-keys';

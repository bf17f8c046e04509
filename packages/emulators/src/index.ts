export * from './aliyun-dm';
export * from './github-api';
export * from './google-api';
export * from './http-receiver';
export * from './oidc-provider';
export * from './sms-inbox';
export * from './smtp-sink';
export * from './tls-certificate';

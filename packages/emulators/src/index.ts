export * from './aliyun-dm';
export * from './apple';
export * from './azuread';
export * from './github-api';
export * from './google-api';
export * from './oidc-provider';
export * from './smtp-sink';
export * from './tls-certificate';

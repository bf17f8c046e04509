export * from './aliyun-dm';
export * from './discord';
export * from './github-api';
export * from './gitlab';
export * from './google-api';
export * from './oidc-provider';
export * from './smtp-sink';
export * from './tls-certificate';

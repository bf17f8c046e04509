export * from './aliyun-dm';
export * from './aliyun-sms';
export * from './apple';
export * from './aws-ses';
export * from './azuread';
export * from './discord';
export * from './email-api';
export {
  type EmulatorFault,
  emulatorFaultAt,
  emulatorFaultDescriptions,
  emulatorFaults,
  hasFaultSwitch,
  isEmulatorFault,
  rateLimitRetryAfterSeconds,
  setEmulatorFault,
  slowFaultDelayMs,
} from './emulator-faults';
export * from './entra-client-credentials';
export * from './facebook';
export * from './github-api';
export * from './gitlab';
export * from './google-api';
export * from './http-email';
export * from './http-receiver';
export * from './mailgun';
export * from './nested-profile';
export * from './official-connector';
export * from './oidc-custom-claims';
export * from './oidc-provider';
export * from './personas';
export * from './postmark';
export * from './provider-forwarding';
export * from './sendgrid';
export * from './sms-inbox';
export * from './smtp-sink';
export * from './tls-certificate';
export * from './twilio';
export * from './twitch';

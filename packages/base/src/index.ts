/**
 * The public API of @idplug/base: what connectors and @idplug/testing build on, nothing else.
 * Every change here shows in the API report (packages/base/api/base.api.md), checked in CI.
 */

// Aliyun: the RPC signature shared by Direct Mail and SMS.
export {
  type AliyunRpcCall,
  type AliyunRpcErrorFields,
  type AliyunRpcParameters,
  aliyunPercentEncode,
  aliyunRpcError,
  buildSignedAliyunRpcParameters,
  readAliyunRpcError,
  signAliyunRpcRequest,
} from './aliyun-rpc';
// Amazon SES: the regions with an endpoint (the SES connector's tests, SMTP's `ses-<region>` presets).
export { amazonSesRegions } from './amazon-ses-regions';
// Config: guards, readable invalid_config, fields shared by several connectors.
export { type ConfigGuard, formatZodError, loadConfig, parseConfig } from './config';
export {
  blankAsUnset,
  isLoopbackUrl,
  numberFromText,
  sendTimeoutConfigField,
  sendTimeoutDescription,
  timeoutOptionsOf,
  type UrlFieldOptions,
  urlConfigField,
} from './config-fields';
// Email: the email connector flow, templates, rendering and escaping.
export {
  defineEmailConnector,
  type EmailConnectorDefinition,
  type EmailSendContext,
} from './email/email-connector';
export { assertSingleEmailRecipient, singleLine } from './email/recipient';
export { escapeHtml, type RenderMode, renderTemplate } from './email/render';
export type { ChosenTemplate, ConfigEmailTemplate, RenderedEmail } from './email/template';
// Errors and secrets: the error table, and redaction of everything secret.
export {
  type ConnectorErrorData,
  type ConnectorErrorDetails,
  connectorError,
  mapOAuthErrorCode,
  type OAuthErrorFields,
  oauthError,
  readOAuthError,
  usageLimitExceededCode,
} from './errors';
// Form items many connectors share.
export {
  aliyunAccessKeyFormItems,
  scopeFormItem,
  selectFormItem,
  type TextFormItemOptions,
  templatesFormItem,
  textFormItem,
  timeoutFormItem,
} from './form-items';
// HTTP: the one client (deadline, body cap, retries, errors read from the body), and the
// `idplug:http` diagnostics channel it publishes each exchange on (redacted) for tracing.
export {
  createHttpClient,
  defaultTimeoutMs,
  excerptOf,
  type HttpClient,
  type HttpClientOptions,
  type HttpExchangeMessage,
  type HttpRequest,
  type HttpResponse,
  httpExchangeChannelName,
  parseRetryAfter,
  type RequestPurpose,
} from './http';
// Metadata: the package layout every connector shares.
export {
  type ConnectorMetadataDeclaration,
  connectorMetadata,
} from './metadata';
// Network: the optional `network` group every connector accepts (proxy, extra trusted roots).
export {
  type NetworkOptions,
  networkConfigGuard,
  networkFormItem,
  networkOf,
  withNetworkOption,
} from './network';
export { type ParameterValues, snakeCaseKeys } from './oauth/authorization';
export {
  authenticateClient,
  basicAuthorizationHeader,
  type ClientAuthMethod,
  type ClientCredentials,
  clientAuthMethodGuard,
  clientSecretCredentials,
} from './oauth/client-auth';
export {
  type CertificateThumbprintHeader,
  type ClientCertificate,
  type ClientCertificateProblem,
  certificateThumbprint,
  clientCertificateProblems,
} from './oauth/client-certificate';
// OpenID Connect: discovery, ID tokens, claims.
export {
  clearDiscoveryCache,
  discoverProvider,
  issuerRequiredBy,
  type ProviderMetadata,
} from './oauth/discovery';
export {
  clearJwksCache,
  defaultIdTokenAlgorithms,
  getRemoteJwks,
  hmacIdTokenAlgorithms,
  type IdTokenExpectations,
  type JwksOptions,
  listableIdTokenAlgorithms,
  verifyCodeFlowIdToken,
  verifyIdToken,
} from './oauth/id-token';
export {
  mergeUserInfoClaims,
  type OidcClaimMappingOptions,
  type OidcClaims,
  readBooleanClaim,
  socialUserInfoFromClaims,
} from './oauth/oidc-claims';
export { createRandomToken, type PkceMode, pkceModeGuard, pkceWanted } from './oauth/pkce';
export {
  mapProfileClaims,
  type ProfileMap,
  type ProfileMappingOptions,
  type ProfilePaths,
  profileMapGuard,
  profilePathsGuard,
  readProfilePath,
  socialUserInfoFromMappedClaims,
} from './oauth/profile-map';
export {
  type RequestHeaders,
  requestHeadersGuard,
  resolveRequestHeaders,
} from './oauth/request-headers';
export {
  claimsParameterOf,
  type IndividualClaimRequest,
  type RequestedClaims,
  requestedClaimsGuard,
} from './oauth/requested-claims';
export type { OAuthFlowSession } from './oauth/session';
// OAuth 2.0: the social connector flow, client authentication, tokens, user info.
export {
  defineOAuthConnector,
  type OAuthConnectorDefinition,
  type OAuthDirectSignInContext,
  type OAuthProvider,
  type OAuthRefreshContext,
  type OAuthUserInfoContext,
} from './oauth/social-connector';
export {
  authorizationCodeFlowConfigFields,
  clientCredentialFormItems,
  clientCredentialsOf,
  clientSecretConfigFields,
  customConfigField,
  parameterRecordGuard,
  pkceConfigField,
  privateKeyJwtConfigFields,
  requestHeadersConfigFields,
  requestHeadersFormItems,
  requestShapingOf,
  type StandardClientConfig,
  standardClientFormItems,
  standardFlowFormItems,
  timeoutConfigField,
  tokenRequestParametersConfigField,
  userInfoEndpointMethodConfigField,
} from './oauth/standard-connector-config';
export {
  type CodeExchange,
  exchangeAuthorizationCode,
  parseTokenResponse,
  refreshAccessToken,
  type TokenEndpoint,
  type TokenSet,
} from './oauth/token';
export { idText, optionalText } from './oauth/user-info';
export { requestUserInfo, type UserInfoRequest } from './oauth/user-info-request';
export {
  createSendMessage,
  definePasswordlessConnector,
  type PasswordlessConnectorDefinition,
  type PasswordlessSendContext,
} from './passwordless/send-message';
export {
  defaultEmailTemplates,
  emailTemplateGuard,
  templateListGuard,
} from './passwordless/templates-config';
export {
  type ProviderErrorAnswer,
  type ProviderErrorFields,
  type ProviderErrorRule,
  type ProviderErrorTable,
  providerErrorReader,
} from './provider-error-table';
export { connectThroughProxy } from './proxy-socket';
// HTTP email and SMS: the post to the operator's own receiver.
export {
  postToReceiver,
  type ReceiverPost,
  receiverConfigFields,
  receiverFormItems,
  receiverMessageBody,
} from './receiver-post';
export { SecretRedactor } from './secrets';
// SMS recipients: E.164 normalisation and masking (never a full number in an error).
export {
  maskPhoneNumber,
  maskPhoneNumberIn,
  maskPhoneNumberInError,
  type PhoneRecipient,
  readPhoneRecipient,
} from './sms/phone-number';
// SMS: the SMS connector flow and phone numbers.
export {
  assertSinglePhoneRecipient,
  type ChosenSmsTemplate,
  type ConfigSmsTemplate,
  defineSmsConnector,
  type RenderedSms,
  type SmsConnectorDefinition,
  type SmsSendContext,
} from './sms/sms-connector';
export { valueAtPath } from './value-at-path';
// HTTP email and SMS: the optional HMAC signature of what they post.
export {
  defaultSignatureToleranceSeconds,
  signingSecretConfigField,
  signWebhookBody,
  verifyWebhookSignature,
  webhookSignatureHeader,
} from './webhook-signature';

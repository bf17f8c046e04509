import { type ConnectorConfigFormItem, ConnectorConfigFormItemType } from '@logto/connector-kit';
import { z } from 'zod';
import {
  type ClientAuthMethod,
  type ClientCredentials,
  clientAuthMethodGuard,
  clientSecretJwtAlgorithmGuard,
  privateKeyJwtAlgorithmGuard,
} from './client-auth';
import { type RequestHeaders, requestHeadersGuard, resolveRequestHeaders } from './request-headers';

/**
 * The configuration pieces shared by the standard (provider-agnostic) OAuth 2.0 and OIDC
 * connectors, whose official counterparts (`@logto/connector-oauth`, `@logto/connector-oidc`) take
 * the same keys with the same meaning: the fixed code flow, client authentication, PKCE, extra
 * request parameters and the timeout. Each group is spread into a connector's `z.object` where
 * the connector lists those keys, so the key order (and the README table) stays the connector's.
 */

/** Extra request parameters: strings as before, numbers and booleans accepted as their text. */
export const parameterRecordGuard = z.record(z.union([z.string(), z.number(), z.boolean()]));

/** Fixed by the official guards; accepted for stored configs, nothing else is possible. */
export const authorizationCodeFlowConfigFields = {
  responseType: z
    .literal('code')
    .default('code')
    .describe(
      'Always `code` (the authorization code flow). Accepted so that configurations stored by the official connector keep working.',
    ),
  grantType: z
    .literal('authorization_code')
    .default('authorization_code')
    .describe(
      'Always `authorization_code`. Accepted so that configurations stored by the official connector keep working.',
    ),
};

/** RFC 6749 §2.3: the secret and how the client authenticates at the token endpoint. */
export const clientSecretConfigFields = {
  clientSecret: z
    .string()
    .optional()
    .describe(
      'The client secret; needed by the `client_secret_*` methods, not by `private_key_jwt` or `none`. Never appears in an error.',
    ),
  tokenEndpointAuthMethod: clientAuthMethodGuard.default('client_secret_post'),
  clientSecretJwtSigningAlgorithm: clientSecretJwtAlgorithmGuard.default('HS256'),
};

/** Sent with the authorization request AND the token requests (official behaviour). */
export const customConfigField = parameterRecordGuard.optional();

/** RFC 7636 PKCE S256. @default true */
export const pkceConfigField = z.boolean().default(true);

/** Extra token request parameters; cannot override code, redirect_uri, code_verifier... */
export const tokenRequestParametersConfigField = parameterRecordGuard
  .optional()
  .describe(
    'Extra token request parameters (code exchange and refresh), sent with the names as written and winning over `customConfig`. The grant, code, redirect URI, PKCE verifier and client credentials cannot be overridden.',
  );

/** `private_key_jwt` (RFC 7523, OIDC Core §9): the key, its `kid` and the signing algorithm. */
export const privateKeyJwtConfigFields = {
  /** A PKCS#8 PEM or a private JWK (JSON). */
  clientPrivateKey: z.string().optional(),
  /** The key's `kid`. */
  clientKeyId: z.string().optional(),
  /** @default 'RS256' */
  clientPrivateKeySigningAlgorithm: privateKeyJwtAlgorithmGuard
    .optional()
    .describe(
      'For `private_key_jwt`: the algorithm of the client assertion, matching the key type (RS*/PS* for RSA, ES* for EC, EdDSA for Ed25519). `RS256` when unset.',
    ),
};

/** The client keys of a standard connector's parsed config (`clientSecretConfigFields` and friends). */
export type StandardClientConfig = {
  clientId: string;
  clientSecret?: string | undefined;
  tokenEndpointAuthMethod: ClientAuthMethod;
  clientSecretJwtSigningAlgorithm: string;
  clientPrivateKey?: string | undefined;
  clientKeyId?: string | undefined;
  clientPrivateKeySigningAlgorithm?: string | undefined;
};

/** How the client authenticates at the token endpoint, from a standard connector's config. */
export const clientCredentialsOf = (config: StandardClientConfig): ClientCredentials => {
  const method = config.tokenEndpointAuthMethod;
  return {
    clientId: config.clientId,
    method,
    ...(config.clientSecret && { clientSecret: config.clientSecret }),
    ...(method === 'client_secret_jwt' && {
      signingAlgorithm: config.clientSecretJwtSigningAlgorithm,
    }),
    ...(method === 'private_key_jwt' && {
      ...(config.clientPrivateKeySigningAlgorithm && {
        signingAlgorithm: config.clientPrivateKeySigningAlgorithm,
      }),
      ...(config.clientPrivateKey && { privateKey: config.clientPrivateKey }),
      ...(config.clientKeyId && { keyId: config.clientKeyId }),
    }),
  };
};

/** The HTTP method of the user info request. @default 'GET' */
export const userInfoEndpointMethodConfigField = (description: string) =>
  z.enum(['GET', 'POST']).default('GET').describe(description);

/**
 * Extra headers for the token requests and the userinfo request (Twitch's `Client-Id`, an API
 * version header). See `requestHeadersGuard` for what is refused and why.
 */
export const requestHeadersConfigFields = {
  tokenHeaders: requestHeadersGuard
    .optional()
    .describe(
      'Extra headers on the token requests (code exchange and refresh), e.g. `{ "Client-Id": "{{clientId}}" }`. `{{clientId}}` is replaced by the client ID; the client secret is never substituted. `Authorization`, `Host`, `Content-Type`, `Content-Length` and hop-by-hop headers cannot be set.',
    ),
  userInfoHeaders: requestHeadersGuard
    .optional()
    .describe(
      'Extra headers on the user info request, e.g. `{ "Client-Id": "{{clientId}}" }` for Twitch. `{{clientId}}` is replaced by the client ID; the client secret is never substituted. `Authorization` (the access token), `Host`, `Content-Type`, `Content-Length` and hop-by-hop headers cannot be set.',
    ),
};

/** What a standard connector's config says about the shape of its token and userinfo requests. */
export const requestShapingOf = (config: {
  clientId: string;
  tokenHeaders?: RequestHeaders | undefined;
  userInfoHeaders?: RequestHeaders | undefined;
  userInfoEndpointMethod: 'GET' | 'POST';
}): {
  tokenHeaders?: Record<string, string>;
  userInfoHeaders?: Record<string, string>;
  userInfoMethod: 'GET' | 'POST';
} => {
  const tokenHeaders = resolveRequestHeaders(config.tokenHeaders, config);
  const userInfoHeaders = resolveRequestHeaders(config.userInfoHeaders, config);
  return {
    ...(tokenHeaders && { tokenHeaders }),
    ...(userInfoHeaders && { userInfoHeaders }),
    userInfoMethod: config.userInfoEndpointMethod,
  };
};

/** Milliseconds for each call to the provider, at most a minute. @default 10000 */
export const timeoutConfigField = (description: string) =>
  z.number().int().positive().max(60_000).optional().describe(description);

/**
 * The console's `clientId` and `clientSecret` fields, as every OAuth connector shows them; the
 * secret is confidential (the console masks it).
 */
export const clientCredentialFormItems = ({
  secretRequired,
}: {
  secretRequired: boolean;
}): ConnectorConfigFormItem[] => [
  {
    key: 'clientId',
    label: 'Client ID',
    type: ConnectorConfigFormItemType.Text,
    required: true,
    placeholder: '<client-id>',
  },
  {
    key: 'clientSecret',
    label: 'Client Secret',
    type: ConnectorConfigFormItemType.Text,
    required: secretRequired,
    placeholder: '<client-secret>',
    isConfidential: true,
  },
];

/** The console's form items for the client credentials, from `clientId` to `clientKeyId`. */
export const standardClientFormItems: ConnectorConfigFormItem[] = [
  // Optional secret: `none` and `private_key_jwt` clients have none.
  ...clientCredentialFormItems({ secretRequired: false }),
  {
    key: 'tokenEndpointAuthMethod',
    label: 'Token Endpoint Auth Method',
    type: ConnectorConfigFormItemType.Select,
    selectItems: [
      { title: 'client_secret_post', value: 'client_secret_post' },
      { title: 'client_secret_basic', value: 'client_secret_basic' },
      { title: 'client_secret_jwt', value: 'client_secret_jwt' },
      { title: 'private_key_jwt', value: 'private_key_jwt' },
      { title: 'none (public client)', value: 'none' },
    ],
    required: true,
    defaultValue: 'client_secret_post',
    description: 'How the client authenticates at the token endpoint (RFC 6749 §2.3).',
  },
  {
    key: 'clientSecretJwtSigningAlgorithm',
    label: 'Client Secret JWT Signing Algorithm',
    type: ConnectorConfigFormItemType.Select,
    selectItems: [
      { title: 'HS256', value: 'HS256' },
      { title: 'HS384', value: 'HS384' },
      { title: 'HS512', value: 'HS512' },
    ],
    showConditions: [{ targetKey: 'tokenEndpointAuthMethod', expectValue: 'client_secret_jwt' }],
    required: true,
    defaultValue: 'HS256',
    description: 'The signing algorithm of the client secret JWT.',
  },
  {
    key: 'clientPrivateKey',
    label: 'Client Private Key',
    type: ConnectorConfigFormItemType.MultilineText,
    showConditions: [{ targetKey: 'tokenEndpointAuthMethod', expectValue: 'private_key_jwt' }],
    required: false,
    placeholder: '-----BEGIN PRIVATE KEY-----',
    isConfidential: true,
    description: 'For private_key_jwt: a PKCS#8 PEM or a private JWK.',
  },
  {
    key: 'clientKeyId',
    label: 'Client Key ID',
    type: ConnectorConfigFormItemType.Text,
    showConditions: [{ targetKey: 'tokenEndpointAuthMethod', expectValue: 'private_key_jwt' }],
    required: false,
    description: 'For private_key_jwt: the `kid` of the key, when the provider needs it.',
  },
];

/** The console's last form items: the PKCE switch and `customConfig`. */
export const standardFlowFormItems: ConnectorConfigFormItem[] = [
  {
    key: 'pkce',
    label: 'PKCE',
    type: ConnectorConfigFormItemType.Switch,
    required: false,
    defaultValue: true,
    description: 'Send a PKCE (S256) challenge. Turn off only for a provider that rejects it.',
  },
  {
    key: 'customConfig',
    label: 'Custom Config',
    type: ConnectorConfigFormItemType.Json,
    required: false,
    defaultValue: {},
    description: 'Extra parameters sent with both the authorization and the token requests.',
  },
];

/** The console's JSON fields for `tokenHeaders` and `userInfoHeaders`. */
export const requestHeadersFormItems: ConnectorConfigFormItem[] = [
  {
    key: 'userInfoHeaders',
    label: 'User Info Headers',
    type: ConnectorConfigFormItemType.Json,
    required: false,
    placeholder: '{ "Client-Id": "{{clientId}}" }',
    description:
      'Extra headers on the user info request. `{{clientId}}` is replaced by the client ID (never the secret); Authorization, Host, Content-Type and Content-Length cannot be set.',
  },
  {
    key: 'tokenHeaders',
    label: 'Token Headers',
    type: ConnectorConfigFormItemType.Json,
    required: false,
    placeholder: '{ "Client-Id": "{{clientId}}" }',
    description:
      'Extra headers on the token requests. `{{clientId}}` is replaced by the client ID (never the secret); Authorization, Host, Content-Type and Content-Length cannot be set.',
  },
];

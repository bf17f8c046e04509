import {
  requestHeadersFormItems,
  standardClientFormItems,
  standardFlowFormItems,
} from '@idplug/base';
import {
  ConnectorConfigFormItemType,
  type ConnectorMetadata,
  ConnectorPlatform,
} from '@logto/connector-kit';

/** `@logto/connector-oidc`'s id and target: an operator swaps packages, not configs. */
export const metadata: ConnectorMetadata = {
  id: 'oidc',
  target: 'oidc',
  platform: ConnectorPlatform.Universal,
  name: {
    en: 'OIDC',
    'zh-CN': 'OIDC',
    'tr-TR': 'OIDC',
    ko: 'OIDC',
  },
  logo: './logo.svg',
  logoDark: null,
  description: {
    en: 'Sign in with any OpenID Connect provider (Okta, Keycloak, Entra ID, Auth0, another Logto...): discovery, PKCE and strict ID token validation.',
    'zh-CN':
      '使用任意 OpenID Connect 服务登录（Okta、Keycloak、Entra ID、Auth0、另一个 Logto……）：支持服务发现、PKCE 和严格的 ID Token 校验。',
    'tr-TR':
      'Herhangi bir OpenID Connect sağlayıcısıyla oturum açın (Okta, Keycloak, Entra ID, Auth0, başka bir Logto...): keşif, PKCE ve sıkı ID token doğrulaması.',
    ko: '모든 OpenID Connect 제공자(Okta, Keycloak, Entra ID, Auth0, 다른 Logto...)로 로그인합니다: 디스커버리, PKCE, 엄격한 ID 토큰 검증.',
  },
  readme: './README.md',
  configTemplate: './config.example.json',
  isStandard: true,
  formItems: [
    {
      key: 'issuer',
      label: 'Issuer',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: 'https://idp.example.com',
      description:
        "The provider's issuer. Endpoints and signing keys are then discovered from `/.well-known/openid-configuration`; endpoints set below still win.",
    },
    {
      key: 'authorizationEndpoint',
      label: 'Authorization Endpoint',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: '<authorization-endpoint>',
      description: 'Required without an issuer.',
    },
    {
      key: 'tokenEndpoint',
      label: 'Token Endpoint',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: '<token-endpoint>',
      description: 'Required without an issuer.',
    },
    {
      key: 'userInfoEndpoint',
      label: 'User Info Endpoint',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: '<user-info-endpoint>',
      description:
        'Optional. Its claims are merged into the ID token\'s. With an issuer, the discovered one is used unless "Fetch User Info" is off.',
    },
    ...standardClientFormItems,
    {
      key: 'scope',
      label: 'Scope',
      type: ConnectorConfigFormItemType.MultilineText,
      required: false,
      placeholder: 'openid profile email',
      description:
        'Space-separated scopes; `openid` is always added. `openid profile email` when empty.',
    },
    {
      key: 'acceptStringTypedBooleanClaims',
      label: 'Accept String-typed Boolean Claims',
      type: ConnectorConfigFormItemType.Switch,
      required: false,
      defaultValue: false,
      description:
        'Accept `"true"` for boolean claims such as `email_verified` and `phone_number_verified`, for providers that send strings.',
    },
    {
      key: 'trustUnverifiedEmail',
      label: 'Trust Unverified Email',
      type: ConnectorConfigFormItemType.Switch,
      required: false,
      defaultValue: false,
      description:
        'Use the `email` claim even when `email_verified` is missing or false. Enable only if you trust the provider to verify emails.',
    },
    {
      key: 'idTokenVerificationConfig',
      label: 'ID Token Verification Config',
      type: ConnectorConfigFormItemType.Json,
      required: false,
      // `{}` is valid with an issuer (the JWKS is discovered). The official connector prefilled
      // `{ "jwksUri": "<jwks-uri>" }`, which is not a URL: saved unchanged it would be refused.
      defaultValue: {},
      placeholder: '{ "jwksUri": "https://idp.example.com/.well-known/jwks.json" }',
      description:
        '`jwksUri` (required without an issuer), e.g. `{ "jwksUri": "https://idp.example.com/.well-known/jwks.json" }`, and optionally `issuer`, `algorithms` (asymmetric ones by default; list `HS256` to accept ID tokens signed with the client secret), `clockTolerance`, `maxTokenAge`.',
    },
    {
      key: 'trustedAudiences',
      label: 'Trusted Audiences',
      type: ConnectorConfigFormItemType.Json,
      required: false,
      placeholder: '["https://api.idp.example.com"]',
      description:
        'Audiences an ID token may name besides the client ID, for a provider that adds its own. Any other extra audience is rejected.',
    },
    {
      key: 'authRequestOptionalConfig',
      label: 'Authentication Request Optional Config',
      type: ConnectorConfigFormItemType.Json,
      required: false,
      defaultValue: {},
      description:
        '`prompt`, `maxAge`, `uiLocales`, `loginHint`, `acrValues`, `display`, `responseMode`, `idTokenHint`.',
    },
    {
      key: 'fetchUserInfo',
      label: 'Fetch User Info',
      type: ConnectorConfigFormItemType.Switch,
      required: false,
      description:
        'Call the user info endpoint (configured or discovered). Off: sign in from the ID token alone.',
    },
    {
      key: 'profileMap',
      label: 'Profile Map',
      type: ConnectorConfigFormItemType.Json,
      required: false,
      placeholder: '{ "email": ["email", "preferred_username", "upn"] }',
      description:
        'For a provider that does not use the standard claims: where `id`, `email`, `phone`, `name`, `avatar`, `emailVerified`, `phoneVerified` are, each a dot path (`data.attributes.email`) or a list of fallback paths. Unmapped fields are read as usual.',
    },
    {
      key: 'requestedClaims',
      label: 'Requested Claims',
      type: ConnectorConfigFormItemType.Json,
      required: false,
      placeholder: '{ "id_token": { "email": null } }',
      description:
        'The OIDC `claims` request parameter (OIDC Core §5.5), for a provider that releases a claim only when it is asked for by name.',
    },
    ...requestHeadersFormItems,
    {
      key: 'pkce',
      label: 'PKCE',
      type: ConnectorConfigFormItemType.Select,
      selectItems: [
        { title: 'Auto (from discovery)', value: 'auto' },
        { title: 'Always', value: 'always' },
        { title: 'Never', value: 'never' },
      ],
      required: false,
      defaultValue: 'auto',
      description:
        'Send a PKCE (S256) challenge: auto follows the discovery document (`code_challenge_methods_supported`); never only for a provider that rejects it.',
    },
    // The PKCE switch is replaced by the select above.
    ...standardFlowFormItems.filter((item) => item.key !== 'pkce'),
  ],
  isTokenStorageSupported: true,
};

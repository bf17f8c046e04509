import { clientCredentialFormItems, scopeFormItem } from '@idplug/base';
import {
  ConnectorConfigFormItemType,
  type ConnectorMetadata,
  ConnectorPlatform,
} from '@logto/connector-kit';

/**
 * Google's OpenID Connect endpoints, as its discovery document lists them
 * (https://accounts.google.com/.well-known/openid-configuration). They are fixed: the connector
 * does not fetch the discovery document on a sign-in.
 */
export type GoogleEndpoints = {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userinfoEndpoint: string;
  jwksUri: string;
  /** The `iss` values an ID token may carry. */
  issuers: readonly string[];
};

export const googleEndpoints: GoogleEndpoints = Object.freeze({
  authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenEndpoint: 'https://oauth2.googleapis.com/token',
  userinfoEndpoint: 'https://openidconnect.googleapis.com/v1/userinfo',
  jwksUri: 'https://www.googleapis.com/oauth2/v3/certs',
  // https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken:
  // "The value of iss in the ID token is equal to https://accounts.google.com or accounts.google.com."
  issuers: Object.freeze(['https://accounts.google.com', 'accounts.google.com']),
});

/** The official connector's default scope. */
export const defaultScope = 'openid profile email';

/** Google supports `none`, `consent` and `select_account`, not `login`. */
const selectablePrompts = ['none', 'consent', 'select_account'] as const;

/**
 * Same id, target and platform as `@logto/connector-google` (connector-kit's
 * `GoogleConnector.factoryId` / `.target`): Logto's sign-in experience enables One Tap and checks
 * its CSRF cookie by that id, and the console shows its One Tap card (which writes `oneTap`) for
 * it. `oneTap` is therefore deliberately not a form item, as in the official connector.
 */
export const metadata: ConnectorMetadata = {
  id: 'google-universal',
  target: 'google',
  platform: ConnectorPlatform.Universal,
  name: {
    en: 'Google',
    'zh-CN': 'Google',
    'tr-TR': 'Google',
    ko: 'Google',
  },
  logo: './logo.svg',
  logoDark: null,
  description: {
    en: 'Sign in with Google: verified ID tokens, One Tap and offline access.',
    'zh-CN': '使用 Google 登录：校验 ID 令牌，支持 One Tap 与离线访问。',
  },
  readme: './README.md',
  configTemplate: './config.example.json',
  formItems: [
    ...clientCredentialFormItems({ secretRequired: true }),
    scopeFormItem({
      placeholder: defaultScope,
      description:
        'Scopes separated by spaces. `openid` is always requested: the connector verifies the ID token Google returns with it.',
    }),
    {
      key: 'prompts',
      type: ConnectorConfigFormItemType.MultiSelect,
      label: 'Prompts',
      required: false,
      selectItems: selectablePrompts.map((value) => ({ value })),
      defaultValue: ['select_account'],
      description: '`none` cannot be combined with another prompt.',
    },
    {
      key: 'offlineAccess',
      type: ConnectorConfigFormItemType.Switch,
      label: 'Refresh access token',
      required: false,
      defaultValue: false,
      description:
        'Request offline access (`access_type=offline`) so Google issues a refresh token. The connector adds the `consent` prompt, without which Google issues a refresh token only on the first consent.',
    },
    {
      key: 'hd',
      type: ConnectorConfigFormItemType.Text,
      label: 'Hosted domain',
      required: false,
      placeholder: 'example.com',
      description:
        'Only accept accounts of this Google Workspace domain (`*` for any Workspace domain). Sent to Google as a hint AND checked against the `hd` claim of every ID token.',
    },
  ],
  isTokenStorageSupported: true,
};

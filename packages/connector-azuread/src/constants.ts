import { clientCredentialFormItems } from '@idplug/base';
import {
  ConnectorConfigFormItemType,
  type ConnectorMetadata,
  ConnectorPlatform,
} from '@logto/connector-kit';

/** The global cloud, the official connector's form default for `cloudInstance`. */
export const globalCloudInstance = 'https://login.microsoftonline.com';

/** The official connector's default scope; `openid profile offline_access` are always added. */
export const defaultScope = 'User.Read';

/**
 * What MSAL adds to every authorization request the official connector builds, in MSAL's order
 * (after the requested scopes): the ID token, the profile claims (`oid`, `tid`...) and a refresh
 * token. https://learn.microsoft.com/entra/identity-platform/scopes-oidc#openid-connect-scopes
 */
export const requiredScopes = ['openid', 'profile', 'offline_access'] as const;

/**
 * The tenant of every personal Microsoft account (MSA): the `tid` of their ID tokens.
 * https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference#payload-claims
 */
export const consumersTenantId = '9188040d-6c67-4c5b-b112-36a304b66dad';

export type Cloud = {
  /** Where ID tokens of this cloud say they come from (`iss` is `<issuerOrigin>/<tid>/v2.0`). */
  issuerOrigins: readonly string[];
  /** Microsoft Graph of this cloud. */
  graphOrigin: string;
};

/**
 * Microsoft's clouds by sign-in host: the `iss` host of their tokens and their Graph host.
 * https://learn.microsoft.com/graph/deployments#microsoft-graph-and-graph-explorer-service-root-endpoints
 * https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud
 * (US Government DoD shares login.microsoftonline.us but uses dod-graph.microsoft.us: set
 * `graphApiUrl` for it.)
 */
const globalCloud: Cloud = {
  issuerOrigins: ['https://login.microsoftonline.com'],
  graphOrigin: 'https://graph.microsoft.com',
};
const chinaCloud: Cloud = {
  issuerOrigins: ['https://login.partner.microsoftonline.cn', 'https://login.chinacloudapi.cn'],
  graphOrigin: 'https://microsoftgraph.chinacloudapi.cn',
};
export const cloudsByHost: Readonly<Record<string, Cloud>> = {
  'login.microsoftonline.com': globalCloud,
  'login.microsoft.com': globalCloud,
  'login.windows.net': globalCloud,
  'login.microsoftonline.us': {
    issuerOrigins: ['https://login.microsoftonline.us'],
    graphOrigin: 'https://graph.microsoft.us',
  },
  'login.partner.microsoftonline.cn': chinaCloud,
  'login.chinacloudapi.cn': chinaCloud,
};

/**
 * Same id, target and platform as `@logto/connector-azuread`, and its form items (the same keys
 * in the same order), then this connector's optional additions.
 */
export const metadata: ConnectorMetadata = {
  id: 'azuread-universal',
  target: 'azuread',
  platform: ConnectorPlatform.Universal,
  name: {
    en: 'Microsoft',
    'zh-CN': 'Microsoft',
    'tr-TR': 'Microsoft',
    ko: 'Microsoft',
  },
  logo: './logo.svg',
  logoDark: null,
  description: {
    en: 'Sign in with a Microsoft Entra ID (Azure AD) work or school account, or a personal Microsoft account.',
    'zh-CN': '使用 Microsoft Entra ID（Azure AD）工作或学校账号，或个人 Microsoft 账号登录。',
    'tr-TR':
      'Microsoft Entra ID (Azure AD) iş veya okul hesabıyla ya da kişisel Microsoft hesabıyla oturum açın.',
    ko: 'Microsoft Entra ID(Azure AD) 회사 또는 학교 계정이나 개인 Microsoft 계정으로 로그인합니다.',
  },
  readme: './README.md',
  configTemplate: './config.example.json',
  formItems: [
    ...clientCredentialFormItems({ secretRequired: true }),
    {
      key: 'cloudInstance',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      label: 'Cloud Instance',
      placeholder: globalCloudInstance,
      defaultValue: globalCloudInstance,
      description:
        'The sign-in host of your Microsoft cloud: https://login.microsoftonline.com (global), https://login.microsoftonline.us (US Government) or https://login.chinacloudapi.cn (China, 21Vianet).',
    },
    {
      key: 'tenantId',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      label: 'Tenant ID',
      placeholder: '<tenant-id>',
      description:
        'Your directory (tenant) ID or a verified domain of it for a single-tenant app; `organizations` (any work or school account), `consumers` (personal accounts) or `common` (both) for a multi-tenant app.',
    },
    {
      key: 'prompts',
      type: ConnectorConfigFormItemType.MultiSelect,
      required: false,
      label: 'Prompts',
      selectItems: ['none', 'consent', 'select_account', 'login'].map((value) => ({ value })),
    },
    {
      key: 'scopes',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      label: 'Scopes',
      placeholder: '<scope1> <scope2>',
      description:
        'Scopes requested besides `User.Read` (Graph `/me`), separated by spaces. `openid profile offline_access` are always added.',
    },
    {
      key: 'subjectSource',
      type: ConnectorConfigFormItemType.Select,
      required: false,
      label: 'User ID source',
      defaultValue: 'graph',
      selectItems: [
        { value: 'graph', title: 'Microsoft Graph user id (as the official connector)' },
        { value: 'oidc', title: "The ID token's subject (sub)" },
      ],
      description:
        'Which identifier links a Microsoft account to a Logto user. Keep `graph` on an existing installation: changing it unlinks every user who signed in before.',
    },
    {
      key: 'requireVerifiedEmailDomain',
      type: ConnectorConfigFormItemType.Switch,
      required: false,
      label: 'Only emails of verified domains',
      defaultValue: false,
      description:
        "Use the Graph `mail` as the email only when the ID token's `xms_edov` claim says the email domain's owner is verified (add the optional claim `xms_edov` to the app's ID token). Recommended for multi-tenant apps.",
    },
  ],
  isTokenStorageSupported: true,
};

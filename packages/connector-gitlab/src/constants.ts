import { clientCredentialFormItems, scopeFormItem } from '@idplug/base';
import {
  ConnectorConfigFormItemType,
  type ConnectorMetadata,
  ConnectorPlatform,
} from '@logto/connector-kit';

/** Logto's official GitLab connector's id and target: an operator swaps packages, not configs. */
export const metadata: ConnectorMetadata = {
  id: 'gitlab-universal',
  target: 'gitlab',
  platform: ConnectorPlatform.Universal,
  name: { en: 'GitLab' },
  logo: './logo.svg',
  logoDark: null,
  description: {
    en: 'Sign in with a GitLab account (gitlab.com or self-managed GitLab).',
    'zh-CN': '使用 GitLab 账号登录（gitlab.com 或自托管 GitLab）。',
    'tr-TR': 'GitLab hesabıyla oturum açın (gitlab.com veya kendi barındırdığınız GitLab).',
    ko: 'GitLab 계정으로 로그인합니다 (gitlab.com 또는 자체 관리형 GitLab).',
  },
  readme: './README.md',
  configTemplate: './config.example.json',
  formItems: [
    ...clientCredentialFormItems({ secretRequired: true }),
    scopeFormItem({
      placeholder: 'openid profile email',
      description:
        '`openid` is always added. `profile` gives the name and avatar, `email` the email address; `openid` alone when empty.',
    }),
    {
      key: 'baseUrl',
      type: ConnectorConfigFormItemType.Text,
      label: 'Self-managed GitLab URL',
      required: false,
      placeholder: 'https://gitlab.example.com',
      description:
        'Only for self-managed GitLab: the address of your instance. Empty for gitlab.com.',
    },
  ],
  isTokenStorageSupported: true,
};

export const gitlabDotCom = 'https://gitlab.com';

/** Where a GitLab instance serves OAuth, OIDC and the REST API (https://docs.gitlab.com/integration/openid_connect_provider/). */
export type GitlabEndpoints = {
  /** The OIDC issuer: the instance's address. */
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userInfoEndpoint: string;
  /** `GET /api/v4/user`, for an instance that returns no ID token. */
  apiUserEndpoint: string;
};

export const gitlabEndpoints = (baseUrl: string): GitlabEndpoints => {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    issuer: base,
    authorizationEndpoint: `${base}/oauth/authorize`,
    tokenEndpoint: `${base}/oauth/token`,
    userInfoEndpoint: `${base}/oauth/userinfo`,
    apiUserEndpoint: `${base}/api/v4/user`,
  };
};

/** Like the official connector: `openid` by default, and added to any configured scope. */
export const defaultScope = 'openid';
export const requiredScopes = ['openid'] as const;

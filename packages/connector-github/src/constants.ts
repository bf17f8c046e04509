import { clientCredentialFormItems, scopeFormItem } from '@idplug/base';
import {
  ConnectorConfigFormItemType,
  type ConnectorMetadata,
  ConnectorPlatform,
} from '@logto/connector-kit';

/** Logto's official GitHub connector's id and target: an operator swaps packages, not configs. */
export const metadata: ConnectorMetadata = {
  id: 'github-universal',
  target: 'github',
  platform: ConnectorPlatform.Universal,
  name: {
    en: 'GitHub',
    'zh-CN': 'GitHub',
    'tr-TR': 'GitHub',
    ko: 'GitHub',
  },
  logo: './logo.svg',
  logoDark: './logo-dark.svg',
  description: {
    en: 'Sign in with a GitHub account (github.com or GitHub Enterprise Server).',
    'zh-CN': '使用 GitHub 账号登录（github.com 或 GitHub Enterprise Server）。',
    'tr-TR': 'GitHub hesabıyla oturum açın (github.com veya GitHub Enterprise Server).',
    ko: 'GitHub 계정으로 로그인합니다 (github.com 또는 GitHub Enterprise Server).',
  },
  readme: './README.md',
  configTemplate: './config.example.json',
  formItems: [
    ...clientCredentialFormItems({ secretRequired: true }),
    scopeFormItem({
      placeholder: 'read:user user:email',
      description:
        'Space-separated GitHub scopes. `read:user user:email` when empty; the email scope lets a private, verified email be used.',
    }),
    {
      key: 'enterpriseUrl',
      type: ConnectorConfigFormItemType.Text,
      label: 'GitHub Enterprise Server URL',
      required: false,
      placeholder: 'https://github.example.com',
      description:
        'Only for GitHub Enterprise Server: the address of your instance. Empty for github.com.',
    },
  ],
  isTokenStorageSupported: true,
};

/** Where GitHub is, for github.com or a GitHub Enterprise Server instance. */
export type GithubEndpoints = {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userEndpoint: string;
  emailsEndpoint: string;
  /** RFC 9207 `iss` GitHub adds to the callback. */
  issuer: string;
};

export const githubDotComEndpoints: GithubEndpoints = {
  authorizationEndpoint: 'https://github.com/login/oauth/authorize',
  tokenEndpoint: 'https://github.com/login/oauth/access_token',
  userEndpoint: 'https://api.github.com/user',
  emailsEndpoint: 'https://api.github.com/user/emails',
  issuer: 'https://github.com/login/oauth',
};

/** GitHub Enterprise Server serves OAuth under `/login/oauth` and the REST API under `/api/v3`. */
export const enterpriseEndpoints = (baseUrl: string): GithubEndpoints => {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    authorizationEndpoint: `${base}/login/oauth/authorize`,
    tokenEndpoint: `${base}/login/oauth/access_token`,
    userEndpoint: `${base}/api/v3/user`,
    emailsEndpoint: `${base}/api/v3/user/emails`,
    issuer: `${base}/login/oauth`,
  };
};

export const defaultScope = 'read:user user:email';

import { clientCredentialFormItems, scopeFormItem } from '@idplug/base';
import {
  ConnectorConfigFormItemType,
  type ConnectorMetadata,
  ConnectorPlatform,
} from '@logto/connector-kit';

/**
 * The official connector pins v13.0, which Facebook retired in 2024 (a version lasts two years
 * after the next one's release; calls to a retired one are served by the oldest live version).
 * v24.0 (October 2025) is served until at least two years after v25.0's release.
 */
export const defaultApiVersion = 'v24.0';

/** Logto's official Facebook connector's id and target: an operator swaps packages, not configs. */
export const metadata: ConnectorMetadata = {
  id: 'facebook-universal',
  target: 'facebook',
  platform: ConnectorPlatform.Universal,
  name: { en: 'Facebook', 'zh-CN': 'Facebook', 'tr-TR': 'Facebook', ko: 'Facebook' },
  logo: './logo.svg',
  logoDark: null,
  description: {
    en: 'Sign in with a Facebook account.',
    'zh-CN': '使用 Facebook 账号登录。',
    'tr-TR': 'Facebook hesabıyla oturum açın.',
    ko: 'Facebook 계정으로 로그인합니다.',
  },
  readme: './README.md',
  configTemplate: './config.example.json',
  formItems: [
    ...clientCredentialFormItems({ secretRequired: true }),
    scopeFormItem({
      placeholder: 'email,public_profile',
      description: 'Permissions to ask for. `email,public_profile` when empty.',
    }),
    {
      key: 'apiVersion',
      type: ConnectorConfigFormItemType.Text,
      label: 'Graph API version',
      required: false,
      placeholder: defaultApiVersion,
      description: `The Graph API version of every call. ${defaultApiVersion} when empty.`,
    },
  ],
  isTokenStorageSupported: true,
};

/** Where Facebook is: the login dialog's host and the Graph API's. */
export type FacebookHosts = { dialogBaseUrl: string; graphBaseUrl: string };

export const facebookHosts: FacebookHosts = {
  dialogBaseUrl: 'https://www.facebook.com',
  graphBaseUrl: 'https://graph.facebook.com',
};

/** https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow */
export const facebookEndpoints = (hosts: FacebookHosts, apiVersion: string) => ({
  authorizationEndpoint: `${hosts.dialogBaseUrl}/${apiVersion}/dialog/oauth`,
  tokenEndpoint: `${hosts.graphBaseUrl}/${apiVersion}/oauth/access_token`,
  meEndpoint: `${hosts.graphBaseUrl}/${apiVersion}/me`,
});

export const defaultScope = 'email,public_profile';
/** Requested explicitly, as the official connector does (Graph API v2.4+ returns only `id` otherwise). */
export const profileFields = 'id,name,email,picture';

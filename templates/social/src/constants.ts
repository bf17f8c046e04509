import {
  ConnectorConfigFormItemType,
  type ConnectorMetadata,
  ConnectorPlatform,
} from '@logto/connector-kit';

/**
 * What Logto shows and stores. Keep `id` and `target` stable once published: Logto keys stored
 * configs by `id` and users' identities by `target`.
 */
export const metadata: ConnectorMetadata = {
  id: '__id__',
  target: '__target__',
  platform: ConnectorPlatform.Universal,
  name: { en: '__displayName__' },
  logo: './logo.svg',
  logoDark: null,
  description: { en: 'Sign in with a __displayName__ account.' },
  readme: './README.md',
  configTemplate: './config.example.json',
  formItems: [
    {
      key: 'clientId',
      type: ConnectorConfigFormItemType.Text,
      label: 'Client ID',
      required: true,
      placeholder: '<client-id>',
      description: 'The client ID of the OAuth app registered at __displayName__.',
    },
    {
      key: 'clientSecret',
      type: ConnectorConfigFormItemType.Text,
      label: 'Client Secret',
      required: true,
      placeholder: '<client-secret>',
      isConfidential: true,
      description: 'The client secret of that OAuth app.',
    },
    {
      key: 'scope',
      type: ConnectorConfigFormItemType.Text,
      label: 'Scope',
      required: false,
      placeholder: '__scope__',
      description: 'Space-separated scopes; `__scope__` when empty.',
    },
  ],
  isTokenStorageSupported: true,
};

/** Where __displayName__ is (its OAuth 2.0 documentation names these). */
export const endpoints = {
  authorizationEndpoint: '__authorizationEndpoint__',
  tokenEndpoint: '__tokenEndpoint__',
  userInfoEndpoint: '__userInfoEndpoint__',
};

export const defaultScope = '__scope__';

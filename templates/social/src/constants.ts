import { clientCredentialFormItems, connectorMetadata } from '@idplug/base';
import {
  ConnectorConfigFormItemType,
  type ConnectorMetadata,
  ConnectorPlatform,
} from '@logto/connector-kit';

/**
 * What Logto shows and stores. Keep `id` and `target` stable once published: Logto keys stored
 * configs by `id` and users' identities by `target`.
 */
export const metadata: ConnectorMetadata = connectorMetadata({
  id: '__id__',
  target: '__target__',
  platform: ConnectorPlatform.Universal,
  name: { en: '__displayName__' },
  description: { en: 'Sign in with a __displayName__ account.' },
  formItems: [
    // The console's client ID and (confidential, masked) client secret fields.
    ...clientCredentialFormItems({ secretRequired: true }),
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
});

/** Where __displayName__ is (its OAuth 2.0 documentation names these). */
export const endpoints = {
  authorizationEndpoint: '__authorizationEndpoint__',
  tokenEndpoint: '__tokenEndpoint__',
  userInfoEndpoint: '__userInfoEndpoint__',
};

export const defaultScope = '__scope__';

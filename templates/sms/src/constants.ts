import { connectorMetadata, templatesFormItem, textFormItem } from '@idplug/base';
import { type ConnectorMetadata, ConnectorPlatform } from '@logto/connector-kit';

/**
 * What Logto shows and stores. Keep `id` and `target` stable once published: Logto keys stored
 * configs by `id`.
 */
export const metadata: ConnectorMetadata = connectorMetadata({
  id: '__id__',
  target: '__target__',
  platform: ConnectorPlatform.Universal,
  name: { en: '__displayName__' },
  description: { en: 'Send verification texts through __displayName__.' },
  formItems: [
    textFormItem('apiKey', 'API key', '<api-key>', {
      required: true,
      isConfidential: true,
      description: 'An API key of your __displayName__ account allowed to send messages.',
    }),
    textFormItem('sender', 'Sender', 'Example', {
      required: true,
      description: 'The sender ID or number registered at __displayName__.',
    }),
    templatesFormItem({
      defaultValue: [{ usageType: 'Generic', content: 'Your verification code is {{code}}.' }],
      description:
        'One template per usage type (`SignIn`, `Register`, `ForgotPassword`, `Generic`, ...), with `{{code}}` in `content`; `Generic` is the fallback.',
    }),
  ],
});

/** Where __displayName__'s send API is (its documentation names it). */
export const endpoints = {
  sendEndpoint: '__sendEndpoint__',
};

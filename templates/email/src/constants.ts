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
  description: { en: 'Send verification emails through __displayName__.' },
  formItems: [
    textFormItem('apiKey', 'API key', '<api-key>', {
      required: true,
      isConfidential: true,
      description: 'An API key of your __displayName__ account allowed to send email.',
    }),
    textFormItem('fromAddress', 'From address', 'no-reply@example.com', {
      required: true,
      description: 'The sender address, verified at __displayName__.',
    }),
    textFormItem('fromName', 'From name', 'Example', {
      description: 'The sender name shown to recipients.',
    }),
    templatesFormItem({
      defaultValue: [
        {
          usageType: 'Generic',
          subject: 'Your verification code',
          content: 'Your verification code is {{code}}.',
          contentType: 'text/plain',
        },
      ],
      description:
        'One template per usage type (`SignIn`, `Register`, `ForgotPassword`, `Generic`, ...): `subject`, `content` with `{{code}}`, and `contentType` `text/html` or `text/plain`. Logto’s own email templates, when set, come first; `Generic` is the fallback.',
    }),
  ],
});

/** Where __displayName__'s send API is (its documentation names it). */
export const endpoints = {
  sendEndpoint: '__sendEndpoint__',
};

import {
  ConnectorConfigFormItemType,
  type ConnectorMetadata,
  ConnectorPlatform,
} from '@logto/connector-kit';

/**
 * What Logto shows and stores. Keep `id` and `target` stable once published: Logto keys stored
 * configs by `id`.
 */
export const metadata: ConnectorMetadata = {
  id: 'postmark-email',
  target: 'postmark',
  platform: ConnectorPlatform.Universal,
  name: { en: 'Postmark' },
  logo: './logo.svg',
  logoDark: null,
  description: { en: 'Send verification emails through Postmark.' },
  readme: './README.md',
  configTemplate: './config.example.json',
  formItems: [
    {
      key: 'apiKey',
      type: ConnectorConfigFormItemType.Text,
      label: 'API key',
      required: true,
      placeholder: '<api-key>',
      isConfidential: true,
      description: 'An API key of your Postmark account allowed to send email.',
    },
    {
      key: 'fromAddress',
      type: ConnectorConfigFormItemType.Text,
      label: 'From address',
      required: true,
      placeholder: 'no-reply@example.com',
      description: 'The sender address, verified at Postmark.',
    },
    {
      key: 'fromName',
      type: ConnectorConfigFormItemType.Text,
      label: 'From name',
      required: false,
      placeholder: 'Example',
      description: 'The sender name shown to recipients.',
    },
    {
      key: 'templates',
      type: ConnectorConfigFormItemType.Json,
      label: 'Templates',
      required: true,
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
    },
  ],
};

/** Where Postmark's send API is (its documentation names it). */
export const endpoints = {
  sendEndpoint: 'https://postmark.example.com/v1/email/send',
};

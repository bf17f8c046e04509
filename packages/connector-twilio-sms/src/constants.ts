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
  id: 'twilio-short-message-service',
  target: 'twilio-sms',
  platform: ConnectorPlatform.Universal,
  name: { en: 'Twilio SMS' },
  logo: './logo.svg',
  logoDark: null,
  description: { en: 'Send verification texts through Twilio SMS.' },
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
      description: 'An API key of your Twilio SMS account allowed to send messages.',
    },
    {
      key: 'sender',
      type: ConnectorConfigFormItemType.Text,
      label: 'Sender',
      required: true,
      placeholder: 'Example',
      description: 'The sender ID or number registered at Twilio SMS.',
    },
    {
      key: 'templates',
      type: ConnectorConfigFormItemType.Json,
      label: 'Templates',
      required: true,
      defaultValue: [{ usageType: 'Generic', content: 'Your verification code is {{code}}.' }],
      description:
        'One template per usage type (`SignIn`, `Register`, `ForgotPassword`, `Generic`, ...), with `{{code}}` in `content`; `Generic` is the fallback.',
    },
  ],
};

/** Where Twilio SMS's send API is (its documentation names it). */
export const endpoints = {
  sendEndpoint: 'https://api.twilio.com/2010-04-01/Accounts/{accountSid}/Messages.json',
};

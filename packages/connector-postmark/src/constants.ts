import { ConnectorConfigFormItemType, type ConnectorMetadata } from '@logto/connector-kit';

export const providerName = 'Postmark';
/** https://postmarkapp.com/developer/api/overview#endpoint-url */
export const apiOrigin = 'https://api.postmarkapp.com';
/** The default transactional stream of every server. */
export const defaultMessageStream = 'outbound';

/** Logto's official Postmark connector's id and target: an operator swaps packages, not configs. */
export const metadata: ConnectorMetadata = {
  id: 'postmark-mail',
  target: 'postmark-mail',
  platform: null,
  name: { en: 'Postmark', 'zh-CN': 'Postmark' },
  logo: './logo.svg',
  logoDark: null,
  description: {
    en: 'Send verification emails through Postmark, with its templates or with your own.',
    'zh-CN': '通过 Postmark 发送验证邮件，可使用 Postmark 模板或自定义模板。',
  },
  readme: './README.md',
  configTemplate: './config.example.json',
  formItems: [
    {
      key: 'serverToken',
      label: 'Server API token',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      isConfidential: true,
      placeholder: '<server-api-token>',
    },
    {
      key: 'fromEmail',
      label: 'From email',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      placeholder: 'no-reply@example.com',
    },
    {
      key: 'templates',
      label: 'Templates',
      type: ConnectorConfigFormItemType.Json,
      required: true,
      defaultValue: ['SignIn', 'Register', 'ForgotPassword', 'Generic'].map((usageType) => ({
        usageType,
        templateAlias: `logto-${usageType.toLowerCase()}`,
      })),
    },
    {
      key: 'messageStream',
      label: 'Message stream',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: 'outbound',
    },
    {
      key: 'endpoint',
      label: 'API origin override',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: 'https://postmark-proxy.internal',
    },
    {
      key: 'timeout',
      label: 'Timeout (ms)',
      type: ConnectorConfigFormItemType.Number,
      required: false,
      placeholder: '10000',
    },
  ],
};

import { ConnectorConfigFormItemType, type ConnectorMetadata } from '@logto/connector-kit';

export const providerName = 'HTTP email endpoint';

/** Logto's official HTTP email connector's id and target: an operator swaps packages, not configs. */
export const metadata: ConnectorMetadata = {
  id: 'http-email',
  target: 'http-email',
  platform: null,
  name: { en: 'HTTP Email' },
  logo: './logo.svg',
  logoDark: null,
  description: {
    en: 'Send email through your own HTTP endpoint: Logto posts the message data, your server renders and sends it.',
    'zh-CN': '通过你自己的 HTTP 端点发送邮件：Logto 提交消息数据，由你的服务渲染并发送。',
  },
  readme: './README.md',
  configTemplate: './config.example.json',
  formItems: [
    {
      key: 'endpoint',
      label: 'Endpoint',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      placeholder: 'https://mailer.example.com/logto',
      description: 'Every message is POSTed here as JSON: `{ to, type, payload, ip? }`.',
    },
    {
      key: 'authorization',
      label: 'Authorization header',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      isConfidential: true,
      placeholder: 'Bearer <your-token>',
      tooltip: 'Sent as the Authorization header; check it on your server.',
    },
    {
      key: 'signingSecret',
      label: 'Signing secret',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      isConfidential: true,
      placeholder: '<at least 16 random characters>',
      description:
        'Optional. Signs every request (`x-idplug-signature: t=<unix seconds>,v1=<HMAC-SHA256 hex>`) so your server can refuse forged and replayed calls.',
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

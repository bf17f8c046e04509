import {
  connectorMetadata,
  sendTimeoutDescription,
  textFormItem,
  timeoutFormItem,
} from '@idplug/base';
import type { ConnectorMetadata } from '@logto/connector-kit';

export const providerName = 'HTTP email endpoint';

/** Logto's official HTTP email connector's id and target: an operator swaps packages, not configs. */
export const metadata: ConnectorMetadata = connectorMetadata({
  id: 'http-email',
  target: 'http-email',
  name: { en: 'HTTP Email' },
  description: {
    en: 'Send email through your own HTTP endpoint: Logto posts the message data, your server renders and sends it.',
    'zh-CN': '通过你自己的 HTTP 端点发送邮件：Logto 提交消息数据，由你的服务渲染并发送。',
  },
  formItems: [
    textFormItem('endpoint', 'Endpoint', 'https://mailer.example.com/logto', {
      required: true,
      description: 'Every message is POSTed here as JSON: `{ to, type, payload, ip? }`.',
    }),
    textFormItem('authorization', 'Authorization header', 'Bearer <your-token>', {
      isConfidential: true,
      tooltip: 'Sent as the Authorization header; check it on your server.',
    }),
    textFormItem('signingSecret', 'Signing secret', '<at least 16 random characters>', {
      isConfidential: true,
      description:
        'Optional. Signs every request (`x-idplug-signature: t=<unix seconds>,v1=<HMAC-SHA256 hex>`) so your server can refuse forged and replayed calls.',
    }),
    timeoutFormItem(sendTimeoutDescription),
  ],
});

import {
  connectorMetadata,
  receiverFormItems,
  sendTimeoutDescription,
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
    ...receiverFormItems('https://mailer.example.com/logto'),
    timeoutFormItem(sendTimeoutDescription),
  ],
});

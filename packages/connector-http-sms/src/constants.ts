import { connectorMetadata, receiverFormItems, timeoutFormItem } from '@idplug/base';
import type { ConnectorMetadata } from '@logto/connector-kit';

export const providerName = 'HTTP SMS endpoint';

/** Logto's official HTTP SMS connector's id and target: an operator swaps packages, not configs. */
export const metadata: ConnectorMetadata = connectorMetadata({
  id: 'http-sms',
  target: 'http-sms',
  name: { en: 'HTTP SMS' },
  logoDark: './logo-dark.svg',
  description: {
    en: 'Send SMS through your own HTTP endpoint (an SMPP gateway, an in-house service, any provider).',
    'zh-CN': '通过你自己的 HTTP 接口发送短信。',
    'tr-TR': 'SMS mesajlarını kendi HTTP uç noktanız üzerinden gönderin.',
    ko: '직접 운영하는 HTTP 엔드포인트로 SMS를 보냅니다.',
  },
  formItems: [
    ...receiverFormItems('https://example.com/your-http-sms-endpoint'),
    timeoutFormItem('How long one call may take before it fails. 10000 when empty.'),
  ],
});

import {
  connectorMetadata,
  sendTimeoutDescription,
  templatesFormItem,
  textFormItem,
  timeoutFormItem,
} from '@idplug/base';
import type { ConnectorMetadata } from '@logto/connector-kit';

export const providerName = 'Postmark';
/** https://postmarkapp.com/developer/api/overview#endpoint-url */
export const apiOrigin = 'https://api.postmarkapp.com';
/** The default transactional stream of every server. */
export const defaultMessageStream = 'outbound';

/** Logto's official Postmark connector's id and target: an operator swaps packages, not configs. */
export const metadata: ConnectorMetadata = connectorMetadata({
  id: 'postmark-mail',
  target: 'postmark-mail',
  name: { en: 'Postmark', 'zh-CN': 'Postmark' },
  description: {
    en: 'Send verification emails through Postmark, with its templates or with your own.',
    'zh-CN': '通过 Postmark 发送验证邮件，可使用 Postmark 模板或自定义模板。',
  },
  formItems: [
    textFormItem('serverToken', 'Server API token', '<server-api-token>', {
      required: true,
      isConfidential: true,
    }),
    textFormItem('fromEmail', 'From email', 'no-reply@example.com', { required: true }),
    templatesFormItem({
      defaultValue: ['SignIn', 'Register', 'ForgotPassword', 'Generic'].map((usageType) => ({
        usageType,
        templateAlias: `logto-${usageType.toLowerCase()}`,
      })),
    }),
    textFormItem('messageStream', 'Message stream', 'outbound'),
    textFormItem('endpoint', 'API origin override', 'https://postmark-proxy.internal'),
    timeoutFormItem(sendTimeoutDescription),
  ],
});

import {
  connectorMetadata,
  defaultEmailTemplates,
  selectFormItem,
  sendTimeoutDescription,
  templatesFormItem,
  textFormItem,
  timeoutFormItem,
} from '@idplug/base';
import type { ConnectorMetadata } from '@logto/connector-kit';

export const providerName = 'SendGrid';

/** Mail Send v3 (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send). */
export const mailSendPath = '/v3/mail/send';

/**
 * SendGrid's API origins: the global one, and the EU one for subusers with EU data residency
 * (https://www.twilio.com/docs/sendgrid/for-developers/sending-email/data-residency).
 */
export const apiOrigins = {
  global: 'https://api.sendgrid.com',
  eu: 'https://api.eu.sendgrid.com',
} as const;

/** The official templates name the content type `type`. */
const defaultTemplates = defaultEmailTemplates.map(({ usageType, ...template }) => ({
  usageType,
  type: 'text/plain',
  ...template,
}));

/** Logto's official SendGrid connector's id and target: an operator swaps packages, not configs. */
export const metadata: ConnectorMetadata = connectorMetadata({
  id: 'sendgrid-email-service',
  target: 'sendgrid-mail',
  name: { en: 'SendGrid Email', 'zh-CN': 'SendGrid 邮件' },
  description: {
    en: 'Send verification emails through Twilio SendGrid, including EU data residency.',
    'zh-CN': '通过 Twilio SendGrid 发送验证邮件，支持欧盟数据驻留。',
  },
  formItems: [
    textFormItem('apiKey', 'API key', 'SG.xxxxxxxx', { required: true, isConfidential: true }),
    textFormItem('fromEmail', 'From email', 'no-reply@example.com', { required: true }),
    textFormItem('fromName', 'From name', 'Example'),
    selectFormItem(
      'region',
      'Region',
      [
        { value: 'global', title: 'Global (api.sendgrid.com)' },
        { value: 'eu', title: 'EU data residency (api.eu.sendgrid.com)' },
      ],
      'global',
    ),
    templatesFormItem({ defaultValue: defaultTemplates }),
    textFormItem('endpoint', 'API origin override', 'https://sendgrid-proxy.internal'),
    timeoutFormItem(sendTimeoutDescription),
  ],
});

import {
  ConnectorConfigFormItemType,
  type ConnectorMetadata,
  TemplateType,
} from '@logto/connector-kit';

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

const defaultTemplates = [
  [TemplateType.SignIn, 'Your sign-in code', 'Your sign-in verification code is {{code}}.'],
  [TemplateType.Register, 'Your sign-up code', 'Your sign-up verification code is {{code}}.'],
  [
    TemplateType.ForgotPassword,
    'Your password reset code',
    'Your password reset code is {{code}}.',
  ],
  [TemplateType.Generic, 'Your verification code', 'Your verification code is {{code}}.'],
].map(([usageType, subject, content]) => ({
  usageType,
  type: 'text/plain',
  subject,
  content: `${content} It expires in 10 minutes.`,
}));

/** Logto's official SendGrid connector's id and target: an operator swaps packages, not configs. */
export const metadata: ConnectorMetadata = {
  id: 'sendgrid-email-service',
  target: 'sendgrid-mail',
  platform: null,
  name: { en: 'SendGrid Email', 'zh-CN': 'SendGrid 邮件' },
  logo: './logo.svg',
  logoDark: null,
  description: {
    en: 'Send verification emails through Twilio SendGrid, including EU data residency.',
    'zh-CN': '通过 Twilio SendGrid 发送验证邮件，支持欧盟数据驻留。',
  },
  readme: './README.md',
  configTemplate: './config.example.json',
  formItems: [
    {
      key: 'apiKey',
      label: 'API key',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      isConfidential: true,
      placeholder: 'SG.xxxxxxxx',
    },
    {
      key: 'fromEmail',
      label: 'From email',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      placeholder: 'no-reply@example.com',
    },
    {
      key: 'fromName',
      label: 'From name',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: 'Example',
    },
    {
      key: 'region',
      label: 'Region',
      type: ConnectorConfigFormItemType.Select,
      required: false,
      selectItems: [
        { value: 'global', title: 'Global (api.sendgrid.com)' },
        { value: 'eu', title: 'EU data residency (api.eu.sendgrid.com)' },
      ],
      defaultValue: 'global',
    },
    {
      key: 'templates',
      label: 'Templates',
      type: ConnectorConfigFormItemType.Json,
      required: true,
      defaultValue: defaultTemplates,
    },
    {
      key: 'endpoint',
      label: 'API origin override',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: 'https://sendgrid-proxy.internal',
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

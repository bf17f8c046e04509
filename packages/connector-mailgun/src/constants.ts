import {
  connectorMetadata,
  selectFormItem,
  sendTimeoutDescription,
  textFormItem,
  timeoutFormItem,
} from '@idplug/base';
import {
  ConnectorConfigFormItemType,
  type ConnectorMetadata,
  TemplateType,
} from '@logto/connector-kit';

export const providerName = 'Mailgun';

/** https://documentation.mailgun.com/docs/mailgun/api-reference/#base-url */
export const regionOrigins = {
  us: 'https://api.mailgun.net',
  eu: 'https://api.eu.mailgun.net',
} as const;

const defaultDeliveries = Object.fromEntries(
  [
    [TemplateType.SignIn, 'Your sign-in code'],
    [TemplateType.Register, 'Your sign-up code'],
    [TemplateType.ForgotPassword, 'Your password reset code'],
    [TemplateType.Generic, 'Your verification code'],
  ].map(([usageType, subject]) => [
    usageType,
    { subject, html: '<p>Your verification code is <strong>{{code}}</strong>.</p>' },
  ]),
);

/** Logto's official Mailgun connector's id and target: an operator swaps packages, not configs. */
export const metadata: ConnectorMetadata = connectorMetadata({
  id: 'mailgun-email',
  target: 'mailgun-email',
  name: { en: 'Mailgun', 'zh-CN': 'Mailgun' },
  description: {
    en: 'Send verification emails through Mailgun, in its US or EU region.',
    'zh-CN': '通过 Mailgun（美国或欧盟区域）发送验证邮件。',
  },
  formItems: [
    selectFormItem(
      'region',
      'Region',
      [
        { value: 'us', title: 'US (api.mailgun.net)' },
        { value: 'eu', title: 'EU (api.eu.mailgun.net)' },
      ],
      'us',
    ),
    textFormItem('endpoint', 'Mailgun endpoint', 'https://api.mailgun.net'),
    textFormItem('domain', 'Domain', 'mg.example.com', { required: true }),
    textFormItem('apiKey', 'API key', '<mailgun-api-key>', {
      required: true,
      isConfidential: true,
    }),
    textFormItem('from', 'From', 'Example <no-reply@mg.example.com>', { required: true }),
    {
      key: 'deliveries',
      label: 'Deliveries',
      type: ConnectorConfigFormItemType.Json,
      required: true,
      defaultValue: defaultDeliveries,
    },
    timeoutFormItem(sendTimeoutDescription),
  ],
});

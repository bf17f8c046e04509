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
export const metadata: ConnectorMetadata = {
  id: 'mailgun-email',
  target: 'mailgun-email',
  platform: null,
  name: { en: 'Mailgun', 'zh-CN': 'Mailgun' },
  logo: './logo.svg',
  logoDark: null,
  description: {
    en: 'Send verification emails through Mailgun, in its US or EU region.',
    'zh-CN': '通过 Mailgun（美国或欧盟区域）发送验证邮件。',
  },
  readme: './README.md',
  configTemplate: './config.example.json',
  formItems: [
    {
      key: 'region',
      label: 'Region',
      type: ConnectorConfigFormItemType.Select,
      required: false,
      selectItems: [
        { value: 'us', title: 'US (api.mailgun.net)' },
        { value: 'eu', title: 'EU (api.eu.mailgun.net)' },
      ],
      defaultValue: 'us',
    },
    {
      key: 'endpoint',
      label: 'Mailgun endpoint',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: 'https://api.mailgun.net',
    },
    {
      key: 'domain',
      label: 'Domain',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      placeholder: 'mg.example.com',
    },
    {
      key: 'apiKey',
      label: 'API key',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      isConfidential: true,
      placeholder: '<mailgun-api-key>',
    },
    {
      key: 'from',
      label: 'From',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      placeholder: 'Example <no-reply@mg.example.com>',
    },
    {
      key: 'deliveries',
      label: 'Deliveries',
      type: ConnectorConfigFormItemType.Json,
      required: true,
      defaultValue: defaultDeliveries,
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

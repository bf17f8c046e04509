import { templatesFormItem } from '@idplug/base';
import {
  type ConnectorConfigFormItem,
  ConnectorConfigFormItemType,
  type ConnectorMetadata,
} from '@logto/connector-kit';
import { presetSelectItems } from './presets';

const codeTemplate = (usageType: string, subject: string, what: string) => ({
  usageType,
  contentType: 'text/plain',
  subject,
  content: `Your ${what} is {{code}}. The code will remain active for 10 minutes.`,
});

/** The official connector's default templates, one per usage type Logto sends. */
const defaultTemplates = [
  codeTemplate('SignIn', 'Your sign-in code', 'sign-in verification code'),
  codeTemplate('Register', 'Your sign-up code', 'sign-up verification code'),
  codeTemplate('ForgotPassword', 'Your password reset code', 'password change verification code'),
  codeTemplate('OrganizationInvitation', 'Your invitation code', 'organization invitation code'),
  codeTemplate('Generic', 'Your verification code', 'verification code'),
  codeTemplate('UserPermissionValidation', 'Your verification code', 'permission validation code'),
  codeTemplate('BindNewIdentifier', 'Your verification code', 'new identifier binding code'),
  codeTemplate('MfaVerification', 'Your verification code', 'MFA verification code'),
  codeTemplate('BindMfa', 'Your 2-step verification code', '2-step verification setup code'),
];

const switchItem = (key: string, label: string, description: string): ConnectorConfigFormItem => ({
  key,
  label,
  type: ConnectorConfigFormItemType.Switch,
  required: false,
  defaultValue: false,
  description,
});

const numberItem = (key: string, label: string, placeholder: string): ConnectorConfigFormItem => ({
  key,
  label,
  type: ConnectorConfigFormItemType.Number,
  required: false,
  placeholder,
});

/** Logto's official SMTP connector's id and target: an operator swaps packages, not configs. */
export const metadata: ConnectorMetadata = {
  id: 'simple-mail-transfer-protocol',
  target: 'smtp',
  platform: null,
  name: {
    en: 'SMTP',
    'zh-CN': 'SMTP',
    'tr-TR': 'SMTP',
    ko: 'SMTP',
  },
  logo: './logo.svg',
  logoDark: null,
  description: {
    en: 'Send verification emails through any SMTP server, over a small pool of reused connections.',
    'zh-CN': '通过任意 SMTP 服务器发送验证邮件，复用少量连接。',
    'tr-TR':
      'Doğrulama e-postalarını herhangi bir SMTP sunucusu üzerinden, yeniden kullanılan az sayıda bağlantıyla gönderin.',
    ko: '재사용되는 소수의 연결로 모든 SMTP 서버를 통해 인증 이메일을 보냅니다.',
  },
  readme: './README.md',
  configTemplate: './config.example.json',
  formItems: [
    {
      // Optional and first: with a preset, Host and Port may stay empty (the official form's
      // "required" on them would make the console refuse such a config).
      key: 'preset',
      label: 'Preset',
      type: ConnectorConfigFormItemType.Select,
      required: false,
      selectItems: presetSelectItems,
      description:
        'A known service fills Host, Port and Secure: leave Host and Port empty to use its values. A Host or Port you type wins; Secure follows the port.',
    },
    {
      key: 'host',
      label: 'Host',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: 'smtp.example.com',
      description: 'Required unless a preset gives it.',
    },
    {
      key: 'port',
      label: 'Port',
      type: ConnectorConfigFormItemType.Number,
      required: false,
      placeholder: '587',
      description:
        '587 for STARTTLS (leave Secure off), 465 for implicit TLS (turn Secure on). Required unless a preset gives it.',
    },
    {
      key: 'auth',
      label: 'Auth',
      type: ConnectorConfigFormItemType.Json,
      required: true,
      defaultValue: { type: 'login', user: '<username>', pass: '<password>' },
      description:
        '`{"user", "pass"}` for a login, `{"type": "oauth2", ...}` for XOAUTH2 (Microsoft 365: `tenantId`, `clientId` and `clientSecret`, or `privateKey` and `certificate` as PEM text with `\\n` line breaks), `{}` for a relay that authorizes by IP address.',
    },
    {
      key: 'fromEmail',
      label: 'From Email',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      placeholder: '"Example" <no-reply@example.com>',
    },
    {
      key: 'replyTo',
      label: 'Reply To',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: 'support@example.com',
    },
    templatesFormItem({
      defaultValue: defaultTemplates,
      description:
        'Used when Logto has no localized email template for the message. A usage type without a template falls back to `Generic`.',
    }),
    switchItem('logger', 'Logger', 'Log SMTP operations.'),
    switchItem('debug', 'Debug', 'Log the SMTP conversation (credentials are masked).'),
    switchItem('disableFileAccess', 'Disable File Access', 'Refuse file paths as content.'),
    switchItem('disableUrlAccess', 'Disable URL Access', 'Refuse URLs as content.'),
    {
      key: 'name',
      label: 'Name',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: 'logto.example.com',
      description: 'The host name sent with EHLO. Defaults to this machine’s name.',
    },
    {
      key: 'localAddress',
      label: 'Local Address',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: '<local_address>',
    },
    numberItem('connectionTimeout', 'Connection Timeout', '10000 (ms, the default)'),
    numberItem('greetingTimeout', 'Greeting Timeout', '10000 (ms, the default)'),
    numberItem('socketTimeout', 'Socket Timeout', '20000 (ms of inactivity, the default)'),
    numberItem('dnsTimeout', 'DNS Timeout', '10000 (ms, the default)'),
    {
      key: 'secure',
      label: 'Secure',
      type: ConnectorConfigFormItemType.Switch,
      required: false,
      defaultValue: false,
      description: 'Implicit TLS from the first byte (port 465). Off for STARTTLS (port 587).',
    },
    {
      key: 'tls',
      label: 'TLS',
      type: ConnectorConfigFormItemType.Json,
      required: false,
      defaultValue: {},
      description: 'Node.js TLS options, e.g. `{"ca": "-----BEGIN CERTIFICATE-----..."}`.',
    },
    {
      key: 'servername',
      label: 'Servername',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: 'smtp.example.com',
      description: 'The name the server certificate is checked against when Host is an IP address.',
    },
    {
      key: 'ignoreTLS',
      label: 'Ignore TLS',
      type: ConnectorConfigFormItemType.Switch,
      required: false,
    },
    {
      key: 'requireTLS',
      label: 'Require TLS',
      type: ConnectorConfigFormItemType.Switch,
      required: false,
      description: 'Refuse to send if the server does not offer STARTTLS.',
    },
    {
      key: 'customHeaders',
      label: 'Custom Headers',
      type: ConnectorConfigFormItemType.Json,
      required: false,
      defaultValue: {},
      description: 'Headers added to every message; keys and values are strings.',
    },
    {
      key: 'pool',
      label: 'Connection Pool',
      type: ConnectorConfigFormItemType.Json,
      required: false,
      defaultValue: { maxConnections: 5 },
      description:
        '`maxConnections` (5), `maxMessages` per connection (100), `idleTimeout` ms (15000), optional `rateLimit` messages per `rateDelta` ms.',
    },
    {
      key: 'dkim',
      label: 'DKIM',
      type: ConnectorConfigFormItemType.Json,
      required: false,
      description:
        'Sign messages: `{"domainName": "example.com", "keySelector": "mail", "privateKey": "-----BEGIN PRIVATE KEY-----..."}`.',
    },
  ],
};

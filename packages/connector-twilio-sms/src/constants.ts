import { connectorMetadata, templatesFormItem, textFormItem, timeoutFormItem } from '@idplug/base';
import { ConnectorConfigFormItemType, type ConnectorMetadata } from '@logto/connector-kit';

export const providerName = 'Twilio';
/** Twilio's REST API (https://www.twilio.com/docs/usage/api). */
export const defaultApiBase = 'https://api.twilio.com';

/** The Message resource's create URL (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource). */
export const messagesUrl = (apiBase: string, accountSid: string): string =>
  `${apiBase.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`;

const defaultTemplates = [
  ['SignIn', 'sign-in verification code'],
  ['Register', 'sign-up verification code'],
  ['ForgotPassword', 'password reset code'],
  ['Generic', 'verification code'],
].map(([usageType, what]) => ({
  usageType,
  content: `Your ${what} is {{code}}. It expires in 10 minutes.`,
}));

/** Logto's official Twilio connector's id and target: an operator swaps packages, not configs. */
export const metadata: ConnectorMetadata = connectorMetadata({
  id: 'twilio-short-message-service',
  target: 'twilio-sms',
  name: {
    en: 'Twilio SMS Service',
    'zh-CN': 'Twilio 短信服务',
    'tr-TR': 'Twilio SMS Servisi',
    ko: 'Twilio SMS 서비스',
  },
  description: {
    en: 'Send verification texts through Twilio Programmable Messaging.',
    'zh-CN': '通过 Twilio 可编程短信发送验证短信。',
    'tr-TR': 'Doğrulama mesajlarını Twilio Programmable Messaging ile gönderin.',
    ko: 'Twilio Programmable Messaging으로 인증 문자를 보냅니다.',
  },
  formItems: [
    textFormItem('accountSID', 'Account SID', 'ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', {
      required: true,
    }),
    textFormItem('authToken', 'Auth Token', '<auth-token>', {
      required: true,
      isConfidential: true,
    }),
    textFormItem(
      'fromMessagingServiceSID',
      'From Messaging Service SID',
      'MGxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      { required: true },
    ),
    {
      key: 'disableRiskCheck',
      label: 'Disable risk check',
      type: ConnectorConfigFormItemType.Switch,
      required: false,
      defaultValue: false,
      description:
        "Whether to disable Twilio's built-in risk check (SMS pumping protection). Enabled by default. See https://www.twilio.com/docs/messaging/api/message-resource",
    },
    templatesFormItem({
      defaultValue: defaultTemplates,
      description:
        'One per usage type (SignIn, Register, ForgotPassword, Generic, ...), with {{code}} in `content`; `Generic` is the fallback.',
    }),
    timeoutFormItem('How long one send may take before it fails. 10000 when empty.'),
  ],
});

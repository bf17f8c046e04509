import {
  aliyunAccessKeyFormItems,
  connectorMetadata,
  templatesFormItem,
  textFormItem,
  timeoutFormItem,
} from '@idplug/base';
import { ConnectorConfigFormItemType, type ConnectorMetadata } from '@logto/connector-kit';

export const providerName = 'Aliyun SMS';
/** Short Message Service's endpoint (https://help.aliyun.com/zh/sms/developer-reference/api-dysmsapi-2017-05-25-endpoint). */
export const defaultEndpoint = 'https://dysmsapi.aliyuncs.com/';
/** SendSms's RPC API version. */
export const apiVersion = '2017-05-25';
/** The official connector's region; SMS is one global service behind one endpoint. */
export const regionId = 'cn-hangzhou';

const usageTypes = [
  'SignIn',
  'Register',
  'ForgotPassword',
  'OrganizationInvitation',
  'Generic',
  'UserPermissionValidation',
  'BindNewIdentifier',
  'MfaVerification',
  'BindMfa',
];

/** Logto's official Aliyun SMS connector's id and target: an operator swaps packages, not configs. */
export const metadata: ConnectorMetadata = connectorMetadata({
  id: 'aliyun-short-message-service',
  target: 'aliyun-sms',
  name: {
    en: 'Aliyun Short Message Service',
    'zh-CN': '阿里云短信服务',
    'tr-TR': 'Aliyun SMS Servisi',
    ko: 'Aliyun Short 메세지 서비스',
  },
  description: {
    en: 'Send verification texts through Alibaba Cloud Short Message Service, in mainland China and abroad.',
    'zh-CN': '通过阿里云短信服务发送国内和国际验证短信。',
    'tr-TR': 'Doğrulama mesajlarını Alibaba Cloud SMS ile gönderin.',
    ko: 'Alibaba Cloud SMS로 인증 문자를 보냅니다.',
  },
  formItems: [
    ...aliyunAccessKeyFormItems,
    textFormItem('signName', 'Signature Name', '<signature-name>', { required: true }),
    templatesFormItem({
      defaultValue: usageTypes.map((usageType) => ({ usageType, templateCode: '<template-code>' })),
      description: // biome-ignore lint/suspicious/noTemplateCurlyInString: Aliyun's template variable syntax
        'One per usage type, `Generic` the fallback. `templateCode` is one code, or `{ "china": "<code>", "overseas": "<code>" }` for different mainland and international templates. Templates take `${code}`.',
    }),
    {
      key: 'strictPhoneRegionNumberCheck',
      label: 'Strict Phone Region Number Check',
      type: ConnectorConfigFormItemType.Switch,
      required: false,
      defaultValue: false,
      description:
        "When on, a number is mainland Chinese only with its country code (+86, 0086 or 86). Turn on with care if your users' numbers were stored without a country code.",
    },
    timeoutFormItem('How long one send may take before it fails. 10000 when empty.'),
  ],
});

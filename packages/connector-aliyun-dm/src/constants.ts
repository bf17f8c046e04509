import {
  aliyunAccessKeyFormItems,
  connectorMetadata,
  defaultEmailTemplates,
  templatesFormItem,
  textFormItem,
  timeoutFormItem,
} from '@idplug/base';
import { ConnectorConfigFormItemType, type ConnectorMetadata } from '@logto/connector-kit';

/** Direct Mail's RPC API version. */
export const apiVersion = '2015-11-23';
export const providerName = 'Aliyun Direct Mail';

/**
 * Direct Mail's regions and public endpoints, as listed in "Direct Mail: API endpoints"
 * (https://www.alibabacloud.com/help/en/direct-mail/api-endpoints and
 * https://www.alibabacloud.com/help/en/direct-mail/api-dm-2015-11-23-endpoint). Each has a VPC
 * twin, `dm-vpc.<region>.aliyuncs.com`, reachable only from the same region: set `endpoint`.
 *
 * `ap-southeast-2` is Alibaba Cloud's Australia (Sydney) region. The official connector labels it
 * "United States (formerly Sydney)", copying an older page; the current endpoint table lists it as
 * "Australia (Sydney), closed". It stays selectable so existing configs keep working.
 */
export const regions = {
  'cn-hangzhou': { title: 'China (Hangzhou)', host: 'dm.aliyuncs.com' },
  'ap-southeast-1': { title: 'Singapore', host: 'dm.ap-southeast-1.aliyuncs.com' },
  'ap-southeast-2': {
    title: 'Australia (Sydney), closed to new senders',
    host: 'dm.ap-southeast-2.aliyuncs.com',
  },
  'eu-central-1': { title: 'Germany (Frankfurt)', host: 'dm.eu-central-1.aliyuncs.com' },
  'us-east-1': { title: 'US (Virginia)', host: 'dm.us-east-1.aliyuncs.com' },
} as const;

export type RegionId = keyof typeof regions;
export const regionIds = Object.keys(regions) as [RegionId, ...RegionId[]];
export const defaultRegionId: RegionId = 'cn-hangzhou';

export const regionEndpoint = (regionId: RegionId): string => `https://${regions[regionId].host}/`;

/**
 * SingleSendMail's `FromAlias`: "shorter than 15 characters" in the English reference, "at most 15"
 * in the Chinese one and in the `InvalidFromAlias.Malformed` message. 15 is accepted, so a config
 * that works with the official connector keeps working.
 */
export const maxFromAliasLength = 15;

/** Logto's official Aliyun DM connector's id and target: an operator swaps packages, not configs. */
export const metadata: ConnectorMetadata = connectorMetadata({
  id: 'aliyun-direct-mail',
  target: 'aliyun-dm',
  name: {
    en: 'Aliyun Direct Mail',
    'zh-CN': '阿里云邮件推送',
    'tr-TR': 'Aliyun Direct Mail',
    ko: 'Aliyun Direct Mail',
  },
  description: {
    en: 'Send verification emails through Alibaba Cloud Direct Mail, in any of its regions.',
    'zh-CN': '通过阿里云邮件推送（任一地域）发送验证邮件。',
    'tr-TR': 'Doğrulama e-postalarını Alibaba Cloud Direct Mail ile gönderin.',
    ko: 'Alibaba Cloud Direct Mail로 인증 이메일을 보냅니다.',
  },
  formItems: [
    ...aliyunAccessKeyFormItems,
    {
      key: 'regionId',
      label: 'Region',
      type: ConnectorConfigFormItemType.Select,
      required: false,
      defaultValue: defaultRegionId,
      selectItems: regionIds.map((value) => ({ value, title: regions[value].title })),
      description:
        'The Direct Mail region where the sender address was created: an address only sends through its own region.',
    },
    textFormItem('accountName', 'Sender address (Account Name)', 'no-reply@mail.example.com', {
      required: true,
      description: 'A verified sender address of the Direct Mail console, of the "triggered" type.',
    }),
    textFormItem('fromAlias', 'From Alias', 'Example', {
      description: `The sender name recipients see, at most ${maxFromAliasLength} characters.`,
    }),
    textFormItem('replyToAddress', 'Reply-To address', 'support@example.com', {
      description:
        "Where replies go. A template's own Reply-To wins. Empty: no Reply-To, unless `useConsoleReplyTo` is on.",
    }),
    {
      key: 'useConsoleReplyTo',
      label: 'Use the Reply-To address verified in the console',
      type: ConnectorConfigFormItemType.Switch,
      required: false,
      defaultValue: false,
    },
    textFormItem('endpoint', 'Custom endpoint', 'https://dm-vpc.cn-hangzhou.aliyuncs.com/', {
      description:
        "Only for a VPC endpoint or a proxy: replaces the region's public endpoint. Empty for the public one.",
    }),
    timeoutFormItem('How long one send may take before it fails. 10000 when empty.'),
    templatesFormItem({
      defaultValue: defaultEmailTemplates,
      description:
        'One per usage type (SignIn, Register, ForgotPassword, Generic, ...): usageType, subject, content with {{code}}; optional contentType ("text/html" or "text/plain") and replyTo.',
    }),
  ],
});

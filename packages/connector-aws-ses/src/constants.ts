import {
  connectorMetadata,
  defaultEmailTemplates,
  sendTimeoutDescription,
  templatesFormItem,
  textFormItem,
  timeoutFormItem,
} from '@idplug/base';
import type { ConnectorMetadata } from '@logto/connector-kit';

export const providerName = 'Amazon SES';
/** SigV4's name for SES (v1 and v2 alike). */
export const signingService = 'ses';
/** SES v2 SendEmail (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html). */
export const sendEmailPath = '/v2/email/outbound-emails';

/** `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-northwest-1`, ... */
export const regionPattern = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

/** `https://email.<region>.amazonaws.com` (`.amazonaws.com.cn` in the China regions). */
export const regionEndpoint = (region: string): string =>
  `https://email.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;

/** Logto's official AWS SES connector's id and target: an operator swaps packages, not configs. */
export const metadata: ConnectorMetadata = connectorMetadata({
  id: 'aws-ses-mail',
  target: 'aws-ses',
  name: { en: 'AWS SES', 'zh-CN': 'AWS SES' },
  logoDark: './logo-dark.svg',
  description: {
    en: 'Send verification emails through Amazon Simple Email Service (SES v2), without the AWS SDK.',
    'zh-CN': '通过 Amazon Simple Email Service（SES v2）发送验证邮件，无需 AWS SDK。',
  },
  formItems: [
    textFormItem('accessKeyId', 'Access key ID', 'AKIA...', { required: true }),
    textFormItem('accessKeySecret', 'Access key secret', '<access-key-secret>', {
      required: true,
      isConfidential: true,
    }),
    textFormItem('region', 'Region', 'us-east-1', { required: true }),
    textFormItem('emailAddress', 'Email address', 'no-reply@example.com'),
    textFormItem(
      'emailAddressIdentityArn',
      'Email address identity ARN',
      'arn:aws:ses:...:identity/example.com',
    ),
    textFormItem(
      'feedbackForwardingEmailAddress',
      'Feedback forwarding email address',
      'bounces@example.com',
    ),
    textFormItem(
      'feedbackForwardingEmailAddressIdentityArn',
      'Feedback forwarding email address identity ARN',
      'arn:aws:ses:...:identity/example.com',
    ),
    textFormItem('configurationSetName', 'Configuration set name', '<configuration-set-name>'),
    templatesFormItem({ defaultValue: defaultEmailTemplates }),
    textFormItem(
      'endpoint',
      'Endpoint override',
      'https://vpce-....email.us-east-1.vpce.amazonaws.com',
    ),
    timeoutFormItem(sendTimeoutDescription),
  ],
});

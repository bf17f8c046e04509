import {
  blankAsUnset,
  emailTemplateGuard,
  sendTimeoutConfigField,
  templateListGuard,
  urlConfigField,
} from '@idplug/base';
import { z } from 'zod';
import { regionPattern } from './constants';

/**
 * The configuration: every config `@logto/connector-aws-ses` accepts (accessKeyId,
 * accessKeySecret, region, emailAddress, emailAddressIdentityArn, feedbackForwardingEmailAddress,
 * feedbackForwardingEmailAddressIdentityArn, configurationSetName, templates) means the same here.
 * `endpoint` and `timeout` are new and optional. Emptied optional fields count as unset.
 */

/** The Admin Console saves an emptied text field as `""`: read it as "not set". */

const optionalText = (description: string) =>
  z.preprocess(blankAsUnset, z.string().trim().optional()).describe(description);

export const awsSesConfigGuard = z.object({
  accessKeyId: z
    .string()
    .describe('The access key ID of an IAM user or role allowed `ses:SendEmail`.'),
  accessKeySecret: z.string().describe("That access key's secret. Never appears in an error."),
  region: z
    .string()
    .trim()
    .regex(regionPattern, 'must be an AWS region such as us-east-1')
    .describe('The SES region where the sender identity is verified, such as `us-east-1`.'),
  emailAddress: optionalText('The From address (or `Name <address>`), a verified identity.'),
  emailAddressIdentityArn: optionalText(
    'The ARN of the sending identity, when it belongs to another account (sending authorization).',
  ),
  feedbackForwardingEmailAddress: optionalText('Where bounces and complaints are forwarded.'),
  feedbackForwardingEmailAddressIdentityArn: optionalText(
    'The ARN of the feedback forwarding identity (sending authorization).',
  ),
  configurationSetName: optionalText(
    'The configuration set to send with (event publishing, IP pools).',
  ),
  templates: templateListGuard(emailTemplateGuard).describe(
    'One per usage type (SignIn, Register, ForgotPassword, Generic, ...): usageType, subject, content with {{code}}; optional contentType ("text/html" or "text/plain") and replyTo.',
  ),
  endpoint: z
    .preprocess(blankAsUnset, urlConfigField().optional())
    .describe(
      "Replaces the region's endpoint: a VPC interface endpoint, a proxy or a local emulator. Requests are still signed for `region`.",
    ),
  timeout: sendTimeoutConfigField(),
});

export type AwsSesConfig = z.infer<typeof awsSesConfigGuard>;

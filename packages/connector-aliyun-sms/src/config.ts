import { timeoutConfigField, urlConfigField } from '@idplug/base';
import { z } from 'zod';

/**
 * The configuration: every key of `@logto/connector-aliyun-sms` (accessKeyId, accessKeySecret,
 * signName, templates, strictPhoneRegionNumberCheck) means the same here; `endpoint` and
 * `timeout` are new and optional. The official guard also insists on Register, SignIn and
 * ForgotPassword templates; here every usage type falls back to `Generic`, so fewer are needed.
 */

/**
 * The official template `type` (Aliyun's template categories: 0 notification, 1 promotion,
 * 2 verification code, 6 international, 7 pure number). Accepted and kept; SendSms does not take it.
 */
const templateTypeGuard = z.union([
  z.literal(0),
  z.literal(1),
  z.literal(2),
  z.literal(6),
  z.literal(7),
]);

export const templateGuard = z.object({
  type: templateTypeGuard.optional(),
  usageType: z.string(),
  /** One template code, or one for mainland China numbers and one for the rest of the world. */
  templateCode: z.string().or(z.object({ china: z.string(), overseas: z.string() })),
});

export type AliyunSmsTemplate = z.infer<typeof templateGuard>;

export const aliyunSmsConfigGuard = z.object({
  accessKeyId: z
    .string()
    .describe('The AccessKey ID of a RAM user granted `AliyunDysmsFullAccess` (or SendSms).'),
  accessKeySecret: z
    .string()
    .describe("That RAM user's AccessKey secret. Never appears in an error."),
  signName: z.string().describe('The approved signature (签名) shown at the start of every text.'),
  templates: z.array(templateGuard),
  strictPhoneRegionNumberCheck: z
    .boolean()
    .optional()
    .describe(
      'Treat a number as mainland Chinese only when it carries the country code (`+86`, `0086` or `86`). Off when unset: an 11-digit number starting with 1 is mainland Chinese too.',
    ),
  endpoint: urlConfigField()
    .optional()
    .describe('Replaces `https://dysmsapi.aliyuncs.com/` (a proxy or a local emulator).'),
  timeout: timeoutConfigField('Milliseconds one send may take. Default `10000`.'),
});

export type AliyunSmsConfig = z.infer<typeof aliyunSmsConfigGuard>;

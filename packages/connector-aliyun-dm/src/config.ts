import {
  blankAsUnset,
  emailTemplateGuard,
  sendTimeoutConfigField,
  templateListGuard,
} from '@idplug/base';
import { z } from 'zod';
import { maxFromAliasLength, regionIds } from './constants';

/**
 * The configuration: every config `@logto/connector-aliyun-dm` accepts (accessKeyId,
 * accessKeySecret, regionId, accountName, fromAlias, templates) means the same here. New options
 * are optional. Stricter than the official guard in two places only, both configs Direct Mail
 * itself refuses at send time: a `fromAlias` longer than Aliyun's limit, and a template list
 * without the `Generic` template every other usage type falls back to.
 */

/** The Admin Console saves an emptied text field as `""`: read it as "not set". */

const characterCount = (text: string) => [...text].length;

export const fromAliasGuard = z
  .string()
  .refine((alias) => !/[\r\n]/.test(alias), 'must be one line')
  .refine(
    (alias) => characterCount(alias) <= maxFromAliasLength,
    `Aliyun Direct Mail accepts at most ${maxFromAliasLength} characters`,
  );

/**
 * A template: base's email template. `contentType` decides `HtmlBody` or `TextBody`; a template's
 * `replyTo` (handlebars allowed) wins over `replyToAddress`.
 */
export const templateGuard = emailTemplateGuard;

export const aliyunDmConfigGuard = z.object({
  accessKeyId: z
    .string()
    .describe(
      'The AccessKey ID of a RAM user granted `AliyunDirectMailFullAccess`. An empty one is refused at send time.',
    ),
  accessKeySecret: z
    .string()
    .describe("That RAM user's AccessKey secret. Never appears in an error."),
  regionId: z.enum(regionIds).optional(),
  /** The sender address, verified in the Direct Mail console. */
  accountName: z.string(),
  fromAlias: fromAliasGuard.optional(),
  templates: templateListGuard(templateGuard),
  /** Replaces the region's public endpoint: a VPC endpoint (`https://dm-vpc.<region>.aliyuncs.com/`) or a proxy. */
  endpoint: z.preprocess(
    blankAsUnset,
    z
      .string()
      .url()
      .refine((url) => /^https?:\/\//i.test(url), 'must be an http(s) URL')
      .optional(),
  ),
  /** Reply-To of every message whose template has none. */
  replyToAddress: z.preprocess(blankAsUnset, z.string().email().optional()),
  /** Sends `ReplyToAddress=true`: Direct Mail adds the reply-to address verified in its console. */
  useConsoleReplyTo: z
    .boolean()
    .optional()
    .describe(
      'Sends `ReplyToAddress=true`, so that Direct Mail adds the reply-to address verified for the sender address in its console. Only for messages that get no Reply-To from their template or `replyToAddress`. Off when unset.',
    ),
  /** Milliseconds one send may take. @default 10000 */
  timeout: sendTimeoutConfigField(),
});

export type AliyunDmConfig = z.infer<typeof aliyunDmConfigGuard>;

import {
  blankAsUnset,
  sendTimeoutConfigField,
  templateListGuard,
  urlConfigField,
} from '@idplug/base';
import { z } from 'zod';

/**
 * The configuration: every config `@logto/connector-postmark` accepts (serverToken, fromEmail,
 * templates of `{ usageType, templateAlias }`, Postmark-side templates) means the same here. A
 * template may instead hold `subject` and `content`, rendered here and sent through `/email`;
 * `messageStream`, `endpoint` and `timeout` are new and optional.
 */

/** The Admin Console saves an emptied text field as `""`: read it as "not set". */

export const postmarkTemplateGuard = z
  .object({
    usageType: z.string(),
    /** A template kept at Postmark, filled with Logto's payload as its model. */
    templateAlias: z.string().optional(),
    subject: z.string().optional(),
    content: z.string().optional(),
    contentType: z.enum(['text/html', 'text/plain']).optional(),
    replyTo: z.string().optional(),
  })
  .refine(
    ({ templateAlias, subject, content }) =>
      templateAlias !== undefined || (subject !== undefined && content !== undefined),
    { message: 'A template needs a templateAlias, or a subject and a content' },
  );

export const postmarkConfigGuard = z.object({
  serverToken: z
    .string()
    .describe(
      "The server's API token (Servers → your server → API Tokens). Never appears in an error.",
    ),
  fromEmail: z
    .string()
    .describe('A confirmed Sender Signature, or an address of a verified domain.'),
  templates: templateListGuard(postmarkTemplateGuard).describe(
    'One per usage type (SignIn, Register, ForgotPassword, Generic, ...): usageType with either templateAlias (a Postmark template, filled with the payload) or subject and content with {{code}}.',
  ),
  messageStream: z
    .preprocess(blankAsUnset, z.string().optional())
    .describe(
      'The Postmark message stream ID to send through. "outbound" (the default transactional stream) when empty.',
    ),
  endpoint: z
    .preprocess(blankAsUnset, urlConfigField().optional())
    .describe('Replaces the API origin (a proxy or a local emulator). Empty for Postmark itself.'),
  timeout: sendTimeoutConfigField(),
});

export type PostmarkConfig = z.infer<typeof postmarkConfigGuard>;

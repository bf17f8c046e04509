import {
  blankAsUnset,
  sendTimeoutConfigField,
  templateListGuard,
  urlConfigField,
} from '@idplug/base';
import { z } from 'zod';

/**
 * The configuration: every config `@logto/connector-sendgrid-email` accepts (apiKey, fromEmail,
 * fromName, templates with `type`) means the same here; `region`, `endpoint` and `timeout` are
 * new and optional.
 */

/** The Admin Console saves an emptied text field as `""`: read it as "not set". */

export const sendGridTemplateGuard = z.object({
  usageType: z.string(),
  /** The official connector's name for the content type. */
  type: z.enum(['text/plain', 'text/html']).optional(),
  /** Base's name for the same thing; `type` wins when both are set. */
  contentType: z.enum(['text/plain', 'text/html']).optional(),
  subject: z.string(),
  content: z.string(),
  replyTo: z.string().optional(),
});

export const sendGridConfigGuard = z.object({
  apiKey: z
    .string()
    .describe('A SendGrid API key with the "Mail Send" permission. Never appears in an error.'),
  fromEmail: z
    .string()
    .describe(
      'A verified Sender Identity (single sender or an address of an authenticated domain).',
    ),
  fromName: z.string().optional().describe('The sender name recipients see.'),
  templates: templateListGuard(sendGridTemplateGuard).describe(
    'One per usage type (SignIn, Register, ForgotPassword, Generic, ...): usageType, type ("text/plain" or "text/html"), subject, content with {{code}}.',
  ),
  region: z
    .preprocess(blankAsUnset, z.enum(['global', 'eu']).optional())
    .describe(
      'Where the API key lives: "eu" sends through `api.eu.sendgrid.com` (EU data residency subusers). "global" when empty.',
    ),
  endpoint: z
    .preprocess(blankAsUnset, urlConfigField().optional())
    .describe('Replaces the API origin (a proxy or a local emulator). Empty for SendGrid itself.'),
  timeout: sendTimeoutConfigField(),
});

export type SendGridConfig = z.infer<typeof sendGridConfigGuard>;
export type SendGridTemplate = z.infer<typeof sendGridTemplateGuard>;

import { blankAsUnset, sendTimeoutConfigField, urlConfigField } from '@idplug/base';
import { z } from 'zod';

/**
 * The configuration: every config `@logto/connector-mailgun` accepts (endpoint, domain, apiKey,
 * from, deliveries keyed by usage type) means the same here. `region`, `timeout` and an endpoint
 * outside `*.mailgun.net` (a proxy or a local emulator) are new and optional.
 */

/** The Admin Console saves an emptied text field as `""`: read it as "not set". */

/** A message written here: `html` (and optionally `text`) with `{{code}}`. */
const htmlDeliveryGuard = z.object({
  html: z.string(),
  text: z.string().optional(),
  subject: z.string().optional(),
  replyTo: z.string().optional(),
});

/** A template stored at Mailgun, filled with `variables` and Logto's payload. */
const templateDeliveryGuard = z.object({
  template: z.string(),
  variables: z.record(z.unknown()).optional(),
  subject: z.string().optional(),
  replyTo: z.string().optional(),
});

export const deliveryGuard = z.union([htmlDeliveryGuard, templateDeliveryGuard]);

export const mailgunConfigGuard = z.object({
  endpoint: z
    .preprocess(blankAsUnset, urlConfigField().optional())
    .describe(
      'The API origin, e.g. `https://api.eu.mailgun.net`; wins over `region`. Also a proxy or a local emulator.',
    ),
  region: z
    .preprocess(blankAsUnset, z.enum(['us', 'eu']).optional())
    .describe(
      'The region of the sending domain: "eu" sends through `api.eu.mailgun.net`. "us" when empty.',
    ),
  domain: z.string().describe('The sending domain, as listed under Sending → Domains.'),
  apiKey: z
    .string()
    .describe('A Mailgun API key (or a domain sending key). Never appears in an error.'),
  from: z
    .string()
    .describe('The From header: `no-reply@mg.example.com` or `Example <no-reply@mg.example.com>`.'),
  deliveries: z
    // No delivery is required (the official connector's guard requires none): a usage type with
    // neither its own delivery nor `Generic` fails that send as template_not_found.
    .record(deliveryGuard)
    .describe(
      'Keyed by usage type (SignIn, Register, ForgotPassword, Generic, ...): `{ subject, html, text?, replyTo? }` written here, or `{ template, variables?, subject?, replyTo? }` for a Mailgun template.',
    ),
  timeout: sendTimeoutConfigField(),
});

export type MailgunConfig = z.infer<typeof mailgunConfigGuard>;
export type MailgunDelivery = z.infer<typeof deliveryGuard>;

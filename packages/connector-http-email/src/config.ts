import {
  blankAsUnset,
  sendTimeoutConfigField,
  signingSecretConfigField,
  urlConfigField,
} from '@idplug/base';
import { z } from 'zod';

/**
 * The configuration: `endpoint` and `authorization` mean what they mean in
 * `@logto/connector-http-email`; the rest is optional and new.
 */

/** The Admin Console saves an emptied text field as `""`: read it as "not set". */

export const httpEmailConfigGuard = z.object({
  // Plain http:// is allowed anywhere: the official connector posts to any URL, and an in-house
  // mailer on a private network is the common case.
  endpoint: urlConfigField({ allowHttp: true }).describe(
    'The URL every message is POSTed to as JSON (`{ to, type, payload, ip? }`).',
  ),
  authorization: z
    .string()
    .optional()
    .describe(
      'Sent as the `Authorization` header (for example `Bearer <token>`) for your server to check. Never appears in an error.',
    ),
  signingSecret: z.preprocess(blankAsUnset, signingSecretConfigField),
  /** Milliseconds one send may take. @default 10000 */
  timeout: sendTimeoutConfigField(),
});

export type HttpEmailConfig = z.infer<typeof httpEmailConfigGuard>;

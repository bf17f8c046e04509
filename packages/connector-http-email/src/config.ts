import {
  blankAsUnset,
  receiverConfigFields,
  sendTimeoutConfigField,
  signingSecretConfigField,
} from '@idplug/base';
import { z } from 'zod';

/**
 * The configuration: `endpoint` and `authorization` mean what they mean in
 * `@logto/connector-http-email`; the rest is optional and new.
 */

/** The Admin Console saves an emptied text field as `""`: read it as "not set". */

export const httpEmailConfigGuard = z.object({
  ...receiverConfigFields,
  signingSecret: z.preprocess(blankAsUnset, signingSecretConfigField),
  /** Milliseconds one send may take. @default 10000 */
  timeout: sendTimeoutConfigField(),
});

export type HttpEmailConfig = z.infer<typeof httpEmailConfigGuard>;

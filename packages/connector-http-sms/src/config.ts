import { receiverConfigFields, signingSecretConfigField, timeoutConfigField } from '@idplug/base';
import { z } from 'zod';

/**
 * The configuration: `@logto/connector-http-sms`'s `endpoint` and `authorization` mean the same
 * here; `signingSecret` and `timeout` are new and optional. The endpoint may be plain `http://`
 * (an in-house gateway on a private network), as with the official connector.
 */
export const httpSmsConfigGuard = z.object({
  ...receiverConfigFields,
  signingSecret: signingSecretConfigField,
  timeout: timeoutConfigField('Milliseconds one call may take. Default `10000`.'),
});

export type HttpSmsConfig = z.infer<typeof httpSmsConfigGuard>;

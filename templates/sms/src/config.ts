import { type ConfigSmsTemplate, templateListGuard, timeoutConfigField } from '@idplug/base';
import { z } from 'zod';

/** A template as @idplug/base's SMS plumbing reads it. */
const templateGuard = z.object({
  usageType: z.string().min(1),
  content: z.string(),
}) satisfies z.ZodType<ConfigSmsTemplate>;

/**
 * The connector's configuration. `.describe()` documents keys that have no form item; `pnpm run docs`
 * puts every key into the README's configuration table.
 */
export const __camelName__ConfigGuard = z.object({
  apiKey: z.string().min(1),
  sender: z.string().min(1),
  templates: templateListGuard(templateGuard),
  timeout: timeoutConfigField('Milliseconds for each call to __displayName__. Default `10000`.'),
});

export type __Name__Config = z.infer<typeof __camelName__ConfigGuard>;

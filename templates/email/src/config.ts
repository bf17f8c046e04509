import { type ConfigEmailTemplate, templateListGuard, timeoutConfigField } from '@idplug/base';
import { z } from 'zod';

/** A template as @idplug/base's email plumbing reads it. */
const templateGuard = z.object({
  usageType: z.string().min(1),
  subject: z.string(),
  content: z.string(),
  contentType: z.enum(['text/html', 'text/plain']).optional(),
}) satisfies z.ZodType<ConfigEmailTemplate>;

/**
 * The connector's configuration. `.describe()` documents keys that have no form item; `pnpm run docs`
 * puts every key into the README's configuration table.
 */
export const __camelName__ConfigGuard = z.object({
  apiKey: z.string().min(1),
  fromAddress: z.string().email(),
  fromName: z.string().optional(),
  templates: templateListGuard(templateGuard),
  timeout: timeoutConfigField('Milliseconds for each call to __displayName__. Default `10000`.'),
});

export type __Name__Config = z.infer<typeof __camelName__ConfigGuard>;

import { z } from 'zod';

/** A template as @idplug/base's email plumbing reads it. */
const templateGuard = z.object({
  usageType: z.string().min(1),
  subject: z.string(),
  content: z.string(),
  contentType: z.enum(['text/html', 'text/plain']).optional(),
});

/**
 * The connector's configuration. `.describe()` documents keys that have no form item; `pnpm run docs`
 * puts every key into the README's configuration table.
 */
export const postmarkConfigGuard = z.object({
  apiKey: z.string().min(1),
  fromAddress: z.string().email(),
  fromName: z.string().optional(),
  templates: z.array(templateGuard).min(1),
  timeout: z
    .number()
    .int()
    .positive()
    .max(60_000)
    .optional()
    .describe('Milliseconds for each call to Postmark. Default `10000`.'),
});

export type PostmarkConfig = z.infer<typeof postmarkConfigGuard>;

import { z } from 'zod';

/**
 * The connector's configuration. `.describe()` documents keys that have no form item; `pnpm run docs`
 * puts every key into the README's configuration table.
 */
export const aliyunSmsConfigGuard = z.object({
  apiKey: z.string().min(1),
  sender: z.string().min(1),
  templates: z.array(z.object({ usageType: z.string().min(1), content: z.string() })).min(1),
  timeout: z
    .number()
    .int()
    .positive()
    .max(60_000)
    .optional()
    .describe('Milliseconds for each call to Aliyun SMS. Default `10000`.'),
});

export type AliyunSmsConfig = z.infer<typeof aliyunSmsConfigGuard>;

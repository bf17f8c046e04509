import { z } from 'zod';

/**
 * The connector's configuration. `.describe()` documents keys that have no form item; `pnpm run docs`
 * puts every key into the README's configuration table.
 */
export const __camelName__ConfigGuard = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  scope: z.string().optional(),
  pkce: z
    .boolean()
    .default(true)
    .describe('Send a PKCE (S256) challenge; turn off only if __displayName__ rejects it.'),
  timeout: z
    .number()
    .int()
    .positive()
    .max(60_000)
    .optional()
    .describe('Milliseconds for each call to __displayName__. Default `10000`.'),
});

export type __Name__Config = z.infer<typeof __camelName__ConfigGuard>;

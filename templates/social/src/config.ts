import { pkceConfigField, timeoutConfigField } from '@idplug/base';
import { z } from 'zod';

/**
 * The connector's configuration. `.describe()` documents keys whose form item has no description
 * (the client credentials come from @idplug/base's `clientCredentialFormItems`) or that have no
 * form item; `pnpm run docs` puts every key into the README's configuration table.
 */
export const __camelName__ConfigGuard = z.object({
  clientId: z
    .string()
    .min(1)
    .describe('The client ID of the OAuth app registered at __displayName__.'),
  clientSecret: z.string().min(1).describe('The client secret of that OAuth app.'),
  scope: z.string().optional(),
  pkce: pkceConfigField.describe(
    'Send a PKCE (S256) challenge; turn off only if __displayName__ rejects it.',
  ),
  timeout: timeoutConfigField('Milliseconds for each call to __displayName__. Default `10000`.'),
});

export type __Name__Config = z.infer<typeof __camelName__ConfigGuard>;

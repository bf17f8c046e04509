import { timeoutConfigField } from '@idplug/base';
import { z } from 'zod';

/** The official connector's config (clientId, clientSecret, scope), plus an optional timeout. */
export const discordConfigGuard = z.object({
  clientId: z.string().min(1).describe("The Discord application's client ID."),
  clientSecret: z
    .string()
    .min(1)
    .describe("The application's client secret. Never appears in an error."),
  scope: z
    .string()
    .optional()
    .describe(
      'Space-separated Discord scopes. `identify email` when empty; add `guilds` to get the ids of the servers the user is in (`rawData.guildIds`).',
    ),
  timeout: timeoutConfigField(
    'Milliseconds each call to Discord may take, retries included (at most 60000). 10000 when unset.',
  ),
});

export type DiscordConfig = z.infer<typeof discordConfigGuard>;

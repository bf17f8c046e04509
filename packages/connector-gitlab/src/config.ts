import { timeoutConfigField, urlConfigField } from '@idplug/base';
import { z } from 'zod';

/**
 * The official connector's config (clientId, clientSecret, scope), plus optional additions.
 * `baseUrl` must be https (plain http for loopback only); a value `new URL` cannot parse is
 * `invalid_config`, never an exception (urlConfigField).
 */
export const gitlabConfigGuard = z.object({
  clientId: z.string().min(1).describe("The GitLab application's ID."),
  clientSecret: z.string().min(1).describe("The application's secret. Never appears in an error."),
  scope: z
    .string()
    .optional()
    .describe(
      'Space-separated GitLab scopes; `openid` is always added. `openid` when empty; add `profile` for the name and avatar and `email` for the email.',
    ),
  baseUrl: urlConfigField()
    .optional()
    .or(z.literal('').transform(() => undefined))
    .describe('Only for self-managed GitLab: the address of your instance. Empty for gitlab.com.'),
  /** GitLab accepts PKCE S256 (https://docs.gitlab.com/api/oauth2/#authorization-code-with-proof-key-for-code-exchange-pkce). */
  pkce: z.boolean().default(true).describe('Send a PKCE (S256) code challenge on every sign-in.'),
  timeout: timeoutConfigField(
    'Milliseconds each call to GitLab may take, retries included (at most 60000). 10000 when unset.',
  ),
});

export type GitlabConfig = z.infer<typeof gitlabConfigGuard>;

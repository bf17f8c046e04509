import { urlConfigField } from '@idplug/base';
import { z } from 'zod';

/**
 * The official connector's config (clientId, clientSecret, scope), plus optional additions.
 * `enterpriseUrl` must be https; plain http is accepted for loopback only (local emulators).
 */
export const githubConfigGuard = z.object({
  clientId: z.string().min(1).describe("The OAuth App's (or GitHub App's) client ID."),
  clientSecret: z.string().min(1).describe("The app's client secret. Never appears in an error."),
  scope: z.string().optional(),
  enterpriseUrl: urlConfigField()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** GitHub has accepted PKCE S256 since July 2025; turn off for an older Enterprise Server. */
  pkce: z
    .boolean()
    .default(true)
    .describe(
      'Send a PKCE (S256) code challenge on every sign-in. Turn off only for a GitHub Enterprise Server too old to accept it.',
    ),
  /** Milliseconds for each call to GitHub. */
  timeout: z
    .number()
    .int()
    .positive()
    .max(60_000)
    .optional()
    .describe(
      'Milliseconds each call to GitHub may take, retries included (at most 60000). 10000 when unset.',
    ),
});

export type GithubConfig = z.infer<typeof githubConfigGuard>;

import { z } from 'zod';

const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

/**
 * The official connector's config (clientId, clientSecret, scope), plus optional additions.
 * `enterpriseUrl` must be https; plain http is accepted for loopback only (local emulators).
 */
export const githubConfigGuard = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  scope: z.string().optional(),
  enterpriseUrl: z
    .string()
    .url()
    .refine((value) => {
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url));
    }, 'must be an https:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** GitHub has accepted PKCE S256 since July 2025; turn off for an older Enterprise Server. */
  pkce: z.boolean().default(true),
  /** Milliseconds for each call to GitHub. */
  timeout: z.number().int().positive().max(60_000).optional(),
});

export type GithubConfig = z.infer<typeof githubConfigGuard>;

import { z } from 'zod';
import { defaultScope } from './constants';

/**
 * The config of connector-kit's `GoogleConnector.configGuard` (clientId, clientSecret, scope,
 * prompts, oneTap, offlineAccess), same keys and meaning, plus an optional `hd`. Stricter in one
 * place the issue asks for: `none` together with another prompt is refused, because Google answers
 * such a request with a 400 (OIDC Core §3.1.2.1: "If this parameter contains none with any other
 * value, an error is returned").
 */

const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** connector-kit's `OidcPrompt` values. Google ignores `login`; it is accepted as the official connector does. */
export const promptGuard = z.enum(['none', 'login', 'consent', 'select_account']);
export type Prompt = z.infer<typeof promptGuard>;

const promptsGuard = z
  .array(promptGuard)
  .optional()
  .superRefine((prompts, context) => {
    if (prompts?.includes('none') && prompts.some((prompt) => prompt !== 'none')) {
      context.addIssue({
        code: z.ZodIssueCode.custom,
        message: `\`none\` cannot be combined with other prompts (got ${prompts.join(', ')}); Google refuses such a request. Keep only \`none\`, or remove it`,
      });
    }
  });

/** connector-kit's `googleOneTapConfigGuard`; written by Logto console's One Tap card, read by Logto core. */
const oneTapGuard = z
  .object({
    isEnabled: z.boolean().optional(),
    autoSelect: z.boolean().optional(),
    closeOnTapOutside: z.boolean().optional(),
    itpSupport: z.boolean().optional(),
  })
  .passthrough();

/** A domain name (`example.com`) or `*` (any Google Workspace domain). */
const hostedDomainGuard = z.preprocess(
  blankToUndefined,
  z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      /^(\*|(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})$/,
      'must be a domain name such as example.com, or * for any Google Workspace domain',
    )
    .optional(),
);

export const googleConfigGuard = z.object({
  clientId: z
    .string()
    .min(1, 'Required')
    .describe(
      'The OAuth client ID (`….apps.googleusercontent.com`); ID tokens and One Tap credentials must be issued to it.',
    ),
  clientSecret: z
    .string()
    .min(1, 'Required')
    .describe('The OAuth client secret. Never appears in an error.'),
  /** Space-separated; blank means the default. `openid` is always added. */
  scope: z.preprocess(blankToUndefined, z.string().optional()),
  prompts: promptsGuard,
  oneTap: oneTapGuard
    .optional()
    .describe(
      "One Tap settings (`isEnabled`, `autoSelect`, `closeOnTapOutside`, `itpSupport`), set in the One Tap card of Logto's console and read by Logto's sign-in experience. One Tap credentials are verified like any ID token, `hd` included.",
    ),
  offlineAccess: z.boolean().optional(),
  /** Google Workspace hosted domain: sent as `hd` and enforced on the ID token's `hd` claim. */
  hd: hostedDomainGuard,
});

export type GoogleConfig = z.infer<typeof googleConfigGuard>;

export const scopeOf = (config: GoogleConfig): string => config.scope ?? defaultScope;

/**
 * The `prompt` value for a config: the configured prompts, de-duplicated, plus `consent` when
 * offline access is on. Google issues a refresh token only when the person sees the consent screen
 * (https://developers.google.com/identity/protocols/oauth2/web-server#offline); with `none` no
 * screen may be shown, so `consent` is not added then.
 */
export const promptOf = (config: GoogleConfig): string | undefined => {
  const prompts = [...new Set(config.prompts ?? [])];
  if (config.offlineAccess && !prompts.includes('none') && !prompts.includes('consent')) {
    prompts.push('consent');
  }
  return prompts.length > 0 ? prompts.join(' ') : undefined;
};

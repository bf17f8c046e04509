import { timeoutConfigField } from '@idplug/base';
import { z } from 'zod';
import { defaultApiVersion } from './constants';

/** The official connector's config (clientId, clientSecret, scope), plus optional additions. */
export const facebookConfigGuard = z.object({
  clientId: z.string().min(1).describe("The Facebook app's App ID."),
  clientSecret: z.string().min(1).describe("The app's App Secret. Never appears in an error."),
  scope: z
    .string()
    .optional()
    .describe('Comma- or space-separated permissions. `email,public_profile` when empty.'),
  apiVersion: z
    .string()
    .trim()
    .regex(/^v\d{1,3}\.\d{1,2}$/, 'must be a Graph API version such as v24.0')
    // The console stores an emptied field as '': the default then.
    .or(z.literal('').transform(() => defaultApiVersion))
    .default(defaultApiVersion)
    .describe(
      `The Graph API version of every call (https://developers.facebook.com/docs/graph-api/changelog). ${defaultApiVersion} when unset.`,
    ),
  /**
   * https://developers.facebook.com/docs/graph-api/guides/secure-requests#appsecret_proof: a
   * proof made with this app's secret for a token of this app is always valid, so sending it
   * changes nothing for an app that does not require it, and lets an app with "Require App
   * Secret" on sign in (the official connector's calls fail there).
   */
  appSecretProof: z
    .boolean()
    .default(true)
    .describe(
      'Send appsecret_proof (HMAC-SHA256 of the access token keyed with the App Secret) on every Graph API call, as apps with "Require App Secret" need.',
    ),
  timeout: timeoutConfigField(
    'Milliseconds each call to Facebook may take, retries included (at most 60000). 10000 when unset.',
  ),
});

export type FacebookConfig = z.infer<typeof facebookConfigGuard>;

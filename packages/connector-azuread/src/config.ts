import { timeoutConfigField, urlConfigField } from '@idplug/base';
import { z } from 'zod';
import { globalCloudInstance } from './constants';

/**
 * The official connector's config (clientId, clientSecret, cloudInstance, tenantId, prompts,
 * scopes), same keys and meaning, plus optional additions. Every check here only adds zod issues:
 * Logto's console runs this guard itself, and a throw there would be a 500.
 */

const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** The three multi-tenant endpoints (https://learn.microsoft.com/entra/identity-platform/v2-protocols#endpoints). */
export const multiTenantKeywords = ['common', 'organizations', 'consumers'] as const;
export type MultiTenantKeyword = (typeof multiTenantKeywords)[number];

export const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const domainPattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

const tenantIdGuard = z
  .string()
  .trim()
  .min(1, 'Required')
  .refine(
    (value) =>
      multiTenantKeywords.includes(value.toLowerCase() as MultiTenantKeyword) ||
      guidPattern.test(value) ||
      domainPattern.test(value),
    'must be a directory (tenant) ID, a verified domain of the tenant (contoso.onmicrosoft.com), or common, organizations or consumers',
  )
  .transform((value) =>
    multiTenantKeywords.includes(value.toLowerCase() as MultiTenantKeyword)
      ? value.toLowerCase()
      : value,
  );

export const azureAdConfigGuard = z.object({
  clientId: z
    .string()
    .trim()
    .min(1, 'Required')
    .describe("The app registration's Application (client) ID."),
  clientSecret: z
    .string()
    .min(1, 'Required')
    .describe("A client secret's Value (not its Secret ID). Never appears in an error."),
  cloudInstance: z
    .preprocess(blankToUndefined, urlConfigField().optional())
    .transform((value) => (value ?? globalCloudInstance).replace(/\/+$/, ''))
    .describe(
      'The sign-in host of your Microsoft cloud; https://login.microsoftonline.com when empty.',
    ),
  tenantId: tenantIdGuard.describe(
    'A directory (tenant) ID or verified domain (single tenant), or common, organizations or consumers.',
  ),
  prompts: z
    .array(z.enum(['none', 'consent', 'select_account', 'login']))
    .optional()
    .describe('Sent as `prompt`, separated by spaces, as the official connector does.'),
  scopes: z
    .preprocess(blankToUndefined, z.string().optional())
    .describe('Scopes requested besides `User.Read`, separated by spaces.'),
  subjectSource: z
    .enum(['graph', 'oidc'])
    .default('graph')
    .describe(
      "`graph`: the user's Microsoft Graph `id`, as the official connector. `oidc`: the ID token's `sub`. Changing it on an existing installation unlinks every existing user.",
    ),
  requireVerifiedEmailDomain: z
    .boolean()
    .default(false)
    .describe(
      "Return the email only when the ID token's `xms_edov` claim is true (the email domain's owner is verified). Recommended for multi-tenant apps.",
    ),
  graphApiUrl: z
    .preprocess(blankToUndefined, urlConfigField().optional())
    .describe(
      "Microsoft Graph's address; derived from `cloudInstance` when empty. Set https://dod-graph.microsoft.us for US Government DoD.",
    ),
  timeout: timeoutConfigField(
    'Milliseconds each call to Microsoft may take, retries included (at most 60000). 10000 when unset.',
  ),
});

export type AzureAdConfig = z.infer<typeof azureAdConfigGuard>;

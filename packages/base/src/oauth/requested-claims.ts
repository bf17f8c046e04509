import { z } from 'zod';

/**
 * OIDC Core §5.5: the `claims` authorization request parameter, which asks for individual claims
 * in the ID token or from the userinfo endpoint (`{ "id_token": { "email": null } }`), beyond what
 * the scopes release. Providers that put the email only where it is asked for by name (Entra ID's
 * optional claims, Keycloak's claim parameter support) need it. Taken as a JSON object, or its
 * text; each claim is `null` or `{ essential, value, values }` (§5.5.1) with plain values, so the
 * parameter stays small and flat whatever an operator types.
 */

const maxClaimsPerTarget = 50;
const claimValueGuard = z.union([z.string().max(500), z.number(), z.boolean()]);

const individualClaimRequestGuard = z
  .object({
    essential: z.boolean().optional(),
    value: claimValueGuard.optional(),
    values: z.array(claimValueGuard).max(20).optional(),
  })
  .strict()
  .nullable();

const claimsOfTargetGuard = z
  .record(z.string().min(1).max(100), individualClaimRequestGuard)
  .refine(
    (claims) => Object.keys(claims).length <= maxClaimsPerTarget,
    `at most ${maxClaimsPerTarget} claims`,
  );

const requestedClaimsObjectGuard = z
  .object({ id_token: claimsOfTargetGuard.optional(), userinfo: claimsOfTargetGuard.optional() })
  .strict();

/** OIDC Core §5.5.1: `null` (the default request), or how the claim is wanted. */
export type IndividualClaimRequest = {
  essential?: boolean | undefined;
  value?: string | number | boolean | undefined;
  values?: Array<string | number | boolean> | undefined;
} | null;

/** The `claims` request parameter's members this client sends. */
export type RequestedClaims = {
  id_token?: Record<string, IndividualClaimRequest> | undefined;
  userinfo?: Record<string, IndividualClaimRequest> | undefined;
};

const parseJsonObject = (text: string, context: z.RefinementCtx): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    context.addIssue({
      code: z.ZodIssueCode.custom,
      message: 'must be JSON such as {"id_token":{"email":null}}',
    });
    return z.NEVER;
  }
};

/** The `requestedClaims` config value: an object with `id_token` and/or `userinfo`, or its JSON. */
export const requestedClaimsGuard = z.union([
  requestedClaimsObjectGuard,
  z
    .string()
    .max(10_000, 'at most 10000 characters')
    .transform(parseJsonObject)
    .pipe(requestedClaimsObjectGuard),
]);

/** The `claims` parameter's value, or `undefined` when nothing is requested. */
export const claimsParameterOf = (claims: RequestedClaims | undefined): string | undefined =>
  claims && (claims.id_token || claims.userinfo) ? JSON.stringify(claims) : undefined;

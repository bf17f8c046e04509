/**
 * The OIDC emulator (oidc-provider.ts) as the providers that do not use the standard claims
 * answer, for the claim-mapping quirks: accounts whose email is in `preferred_username` and `upn`
 * (Entra ID's v1 tokens) with `email_verified` the string `"true"` (LinkedIn), and one whose
 * profile is nested under `data` (`{ data: { id, attributes: { email } } }`). `upn` and `data` are
 * released under the `email` scope; the `claims` request parameter (OIDC Core §5.5) is honoured.
 */
import {
  type OidcEmulator,
  type OidcEmulatorClaims,
  type OidcEmulatorOptions,
  startOidcEmulator,
} from './oidc-provider';

export const customClaimsOidcAccounts: Record<string, OidcEmulatorClaims> = {
  'user-upn': {
    name: 'Ada Upn',
    preferred_username: 'ada@contoso.example',
    upn: 'ada@contoso.example',
    email_verified: 'true',
  },
  'user-nested': {
    data: {
      id: 'nested-5580',
      attributes: { email: 'nested@claims.example', email_verified: 'true', name: 'Nesta Claims' },
    },
  },
};

export const customClaimsByScope: Record<string, string[]> = {
  email: ['email', 'email_verified', 'upn', 'data'],
};

export const startCustomClaimsOidcEmulator = (
  options: OidcEmulatorOptions = {},
): Promise<OidcEmulator> =>
  startOidcEmulator({
    accounts: customClaimsOidcAccounts,
    claimsByScope: customClaimsByScope,
    claimsParameter: true,
    ...options,
  });

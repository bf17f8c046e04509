import {
  connectorError,
  defineOAuthConnector,
  formatZodError,
  getRemoteJwks,
  verifyCodeFlowIdToken,
} from '@idplug/base';
import {
  ConnectorErrorCodes,
  type CreateConnector,
  type SocialConnector,
} from '@logto/connector-kit';
import { azureAdConfigGuard } from './config';
import { metadata } from './constants';
import { readGraphError } from './microsoft-errors';
import { graphUserGuard, toSocialUserInfo } from './profile';
import { resolveAzureAd } from './provider';
import {
  assertTenantAllowed,
  claimedTenantId,
  issuerOf,
  type Tenant,
  tenantIdOfDomain,
} from './tenant';

/**
 * Microsoft Entra ID: the v2.0 authorization code flow (PKCE S256, nonce), the ID token verified
 * against the tenant's issuer, and the profile from Microsoft Graph `/me`, whose `id` is the user
 * id the official connector returns. https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 */

const providerName = 'Microsoft';

const createAzureAdConnector: CreateConnector<SocialConnector> = defineOAuthConnector({
  metadata,
  configGuard: azureAdConfigGuard,
  providerName,
  resolveProvider: resolveAzureAd,

  fetchUserInfo: async ({ config, http, provider, tokens, session }) => {
    const tid = claimedTenantId(tokens.id_token);
    const configuredTenantId = await configuredTenantIdOf(provider.tenant, () =>
      tenantIdOfDomain(
        http,
        provider.discoveryUrl,
        provider.issuerOrigins,
        provider.readProviderError,
      ),
    );
    assertTenantAllowed(provider.tenant, tid, configuredTenantId);
    const { claims } = await verifyCodeFlowIdToken(
      tokens,
      session,
      getRemoteJwks(provider.jwksUri, http),
      {
        // A pinned tenant's own issuer; for common/organizations/consumers the token's `tid`
        // in the issuer template (assertTenantAllowed has checked which tenants may sign in).
        issuer: provider.issuerOrigins.map((origin) => issuerOf(origin, configuredTenantId ?? tid)),
        audience: config.clientId,
        providerName,
      },
    );
    const me = await http.request({
      url: provider.meEndpoint,
      purpose: 'userinfo',
      headers: { authorization: `Bearer ${tokens.access_token}` },
      readProviderError: readGraphError,
    });
    const user = graphUserGuard.safeParse(me.body);
    if (!user.success) {
      throw connectorError(
        ConnectorErrorCodes.InvalidResponse,
        `Microsoft Graph's /me answer is not usable: ${formatZodError(user.error)}`,
        { provider: providerName },
      );
    }
    return toSocialUserInfo(user.data, claims, me.body, config);
  },
});

/** The tenant id a GUID or domain configuration pins, `undefined` for a multi-tenant one. */
const configuredTenantIdOf = async (
  tenant: Tenant,
  discover: () => Promise<string>,
): Promise<string | undefined> =>
  tenant.kind === 'id' ? tenant.tenantId : tenant.kind === 'domain' ? discover() : undefined;

export default createAzureAdConnector;

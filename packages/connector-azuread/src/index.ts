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
import { type AzureAdConfig, azureAdConfigGuard } from './config';
import { type Cloud, cloudsByHost, defaultScope, metadata, requiredScopes } from './constants';
import { readMicrosoftError } from './microsoft-errors';
import { graphUserGuard, toSocialUserInfo } from './profile';
import {
  assertTenantAllowed,
  claimedTenantId,
  issuerOf,
  type Tenant,
  tenantIdOfDomain,
  tenantOf,
} from './tenant';

/**
 * Microsoft Entra ID: the v2.0 authorization code flow (PKCE S256, nonce), the ID token verified
 * against the tenant's issuer, and the profile from Microsoft Graph `/me`, whose `id` is the user
 * id the official connector returns. https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 */

const providerName = 'Microsoft';

/** A cloud this connector does not know (a local emulator) issues tokens under its own origin. */
const cloudOf = (cloudInstance: string): Cloud =>
  cloudsByHost[new URL(cloudInstance).host] ?? {
    issuerOrigins: [new URL(cloudInstance).origin],
    graphOrigin: 'https://graph.microsoft.com',
  };

const resolveAzureAd = (config: AzureAdConfig) => {
  const authority = `${config.cloudInstance}/${encodeURIComponent(config.tenantId)}`;
  const cloud = cloudOf(config.cloudInstance);
  const graphBase = (config.graphApiUrl ?? cloud.graphOrigin).replace(/\/+$/, '');
  return {
    authorizationEndpoint: `${authority}/oauth2/v2.0/authorize`,
    tokenEndpoint: `${authority}/oauth2/v2.0/token`,
    client: {
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      method: 'client_secret_post' as const,
    },
    // The official connector asks for `User.Read` plus the configured scopes, and MSAL appends
    // `openid profile offline_access`; a sign-in request's own scope replaces the first part.
    scope: [
      ...new Set([defaultScope, ...(config.scopes?.split(/\s+/).filter(Boolean) ?? [])]),
    ].join(' '),
    requiredScopes,
    appendRequiredScopes: true,
    pkce: true,
    nonce: true,
    authorizationParameters: {
      prompt: config.prompts && config.prompts.length > 0 ? config.prompts.join(' ') : undefined,
    },
    readProviderError: readMicrosoftError,
    tenant: tenantOf(config.tenantId),
    issuerOrigins: cloud.issuerOrigins,
    jwksUri: `${authority}/discovery/v2.0/keys`,
    discoveryUrl: `${authority}/v2.0/.well-known/openid-configuration`,
    meEndpoint: `${graphBase}/v1.0/me`,
  };
};

const createAzureAdConnector: CreateConnector<SocialConnector> = defineOAuthConnector({
  metadata,
  configGuard: azureAdConfigGuard,
  providerName,
  httpOptions: (config) => (config.timeout ? { timeoutMs: config.timeout } : {}),
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
      getRemoteJwks(provider.jwksUri, { timeoutMs: http.timeoutMs }),
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

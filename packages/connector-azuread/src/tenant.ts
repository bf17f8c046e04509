import { connectorError, type HttpClient } from '@idplug/base';
import { ConnectorErrorCodes } from '@logto/connector-kit';
import { decodeJwt } from 'jose';
import { guidPattern, type MultiTenantKeyword, multiTenantKeywords } from './config';
import { consumersTenantId } from './constants';

/**
 * Which `iss` (and `tid`) an ID token of the configured tenant may carry. Microsoft's v2.0 issuer
 * is `https://login.microsoftonline.com/{tid}/v2.0`, a template: the multi-tenant endpoints'
 * discovery documents publish it with `{tenantid}` in it, and a relying party must put the
 * token's own `tid` there, or any tenant's token would pass a "starts with" check.
 * https://learn.microsoft.com/entra/identity-platform/access-tokens#validate-the-issuer
 */

export type Tenant =
  | { kind: 'multi'; keyword: MultiTenantKeyword }
  | { kind: 'id'; tenantId: string }
  | { kind: 'domain'; domain: string };

export const tenantOf = (tenantId: string): Tenant =>
  multiTenantKeywords.includes(tenantId as MultiTenantKeyword)
    ? { kind: 'multi', keyword: tenantId as MultiTenantKeyword }
    : guidPattern.test(tenantId)
      ? { kind: 'id', tenantId: tenantId.toLowerCase() }
      : { kind: 'domain', domain: tenantId.toLowerCase() };

const rejected = (reason: string) =>
  connectorError(
    ConnectorErrorCodes.SocialIdTokenInvalid,
    `The ID token from Microsoft was rejected: ${reason}`,
    { provider: 'Microsoft' },
  );

/** The `tid` the (not yet verified) token claims: only used to pick the issuer to verify against. */
export const claimedTenantId = (idToken: string | undefined): string => {
  if (!idToken) {
    throw rejected('the token response has no `id_token`');
  }
  let tid: unknown;
  try {
    tid = decodeJwt(idToken).tid;
  } catch {
    throw rejected('it is not a well-formed signed JWT');
  }
  if (typeof tid !== 'string' || !guidPattern.test(tid)) {
    throw rejected('it has no tenant id (`tid`)');
  }
  return tid.toLowerCase();
};

/**
 * The tenants whose tokens this configuration accepts. `consumers` is the personal-account
 * tenant only; `organizations` every tenant but that one; `common` any tenant; a GUID or domain
 * exactly that tenant.
 */
export const assertTenantAllowed = (tenant: Tenant, tid: string, configuredTenantId?: string) => {
  if (tenant.kind === 'multi') {
    if (tenant.keyword === 'consumers' && tid !== consumersTenantId) {
      throw rejected('it is for a work or school account, and this connector is for `consumers`');
    }
    if (tenant.keyword === 'organizations' && tid === consumersTenantId) {
      throw rejected('it is for a personal account, and this connector is for `organizations`');
    }
    return;
  }
  if (tid !== configuredTenantId) {
    throw rejected(`it was issued by tenant ${tid}, not by the configured tenant`);
  }
};

/** The issuer of tenant `tid` in a cloud whose tokens name `issuerOrigin`. */
export const issuerOf = (issuerOrigin: string, tid: string) => `${issuerOrigin}/${tid}/v2.0`;

/** `{tid}` of an issuer `<origin>/{tid}/v2.0`, when it is one. */
const tenantIdInIssuer = (issuer: string, origin: string): string | undefined => {
  const prefix = `${origin}/`;
  const suffix = '/v2.0';
  if (!issuer.startsWith(prefix) || !issuer.endsWith(suffix)) {
    return undefined;
  }
  const tenantId = issuer.slice(prefix.length, -suffix.length);
  return guidPattern.test(tenantId) ? tenantId.toLowerCase() : undefined;
};

const tenantIdByDiscoveryUrl = new Map<string, { tenantId: string; expiresAt: number }>();
const discoveryTtlMs = 60 * 60_000;

/** For tests: forget the tenant ids learned from discovery documents. */
export const clearTenantDiscoveryCache = () => tenantIdByDiscoveryUrl.clear();

/**
 * A domain tenant's id, from its discovery document's `issuer` (cached per process for an hour,
 * so a warm sign-in fetches nothing). Microsoft answers an unknown domain with AADSTS90002, which
 * the error table reports as `invalid_config`.
 */
export const tenantIdOfDomain = async (
  http: HttpClient,
  discoveryUrl: string,
  issuerOrigins: readonly string[],
  readProviderError: Parameters<HttpClient['request']>[0]['readProviderError'],
): Promise<string> => {
  const cached = tenantIdByDiscoveryUrl.get(discoveryUrl);
  if (cached && cached.expiresAt > Date.now()) {
    return cached.tenantId;
  }
  const { body } = await http.request({
    url: discoveryUrl,
    purpose: 'discovery',
    ...(readProviderError && { readProviderError }),
  });
  const issuer = (body as { issuer?: unknown } | undefined)?.issuer;
  const tenantId =
    typeof issuer === 'string'
      ? issuerOrigins.map((origin) => tenantIdInIssuer(issuer, origin)).find(Boolean)
      : undefined;
  if (!tenantId) {
    throw connectorError(
      ConnectorErrorCodes.InvalidResponse,
      `The discovery document at ${discoveryUrl} names no tenant issuer of this cloud`,
      { provider: 'Microsoft' },
    );
  }
  tenantIdByDiscoveryUrl.set(discoveryUrl, {
    tenantId,
    expiresAt: Date.now() + discoveryTtlMs,
  });
  return tenantId;
};

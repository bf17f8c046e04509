import { ConnectorErrorCodes } from '@logto/connector-kit';
import { z } from 'zod';
import { formatZodError } from '../config';
import { connectorError } from '../errors';
import type { HttpClient } from '../http';

/**
 * OpenID Provider discovery (OpenID Connect Discovery 1.0 §4): fetched from
 * `<issuer>/.well-known/openid-configuration`, checked (§4.3: the document's `issuer` must be the
 * configured one), and cached per process so a warm sign-in does not fetch it again.
 *
 * The document is public and its request carries no credential, so a redirect within the same
 * origin is followed; a redirect to another origin is refused (its answer would be trusted as the
 * provider's). See `redirectPolicyOf`. RFC 9207's `authorization_response_iss_parameter_supported`
 * is read here and enforced on the callback (`issuerRequiredBy`).
 */

const providerMetadataGuard = z
  .object({
    issuer: z.string().url(),
    authorization_endpoint: z.string().url(),
    token_endpoint: z.string().url().optional(),
    userinfo_endpoint: z.string().url().optional(),
    jwks_uri: z.string().url(),
    end_session_endpoint: z.string().url().optional(),
    code_challenge_methods_supported: z.array(z.string()).optional(),
    token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
    id_token_signing_alg_values_supported: z.array(z.string()).optional(),
    authorization_response_iss_parameter_supported: z.boolean().optional(),
  })
  .passthrough();

export type ProviderMetadata = z.infer<typeof providerMetadataGuard>;

/**
 * RFC 9207 §2.4 (and §3): a provider whose metadata says
 * `authorization_response_iss_parameter_supported: true` puts `iss` in every authorization
 * response, so a client MUST refuse a response without it.
 */
export const issuerRequiredBy = (metadata: ProviderMetadata | undefined): boolean =>
  metadata?.authorization_response_iss_parameter_supported === true;

/** @default one hour */
export const defaultDiscoveryTtlMs = 60 * 60_000;

const cache = new Map<string, { metadata: ProviderMetadata; expiresAt: number }>();
const inFlight = new Map<string, Promise<ProviderMetadata>>();

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

export const discoveryUrlOf = (issuer: string): string =>
  `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;

/** For tests: forget every cached discovery document. */
export const clearDiscoveryCache = () => {
  cache.clear();
  inFlight.clear();
};

export const discoverProvider = async (
  http: HttpClient,
  issuer: string,
  ttlMs = defaultDiscoveryTtlMs,
): Promise<ProviderMetadata> => {
  const cached = cache.get(issuer);
  if (cached && cached.expiresAt > Date.now()) {
    return cached.metadata;
  }
  // Concurrent sign-ins on a cold process share one fetch.
  const pending = inFlight.get(issuer);
  if (pending) {
    return pending;
  }
  const fetching = (async () => {
    const response = await http.request({ url: discoveryUrlOf(issuer), purpose: 'discovery' });
    const result = providerMetadataGuard.safeParse(response.body);
    if (!result.success) {
      throw connectorError(
        ConnectorErrorCodes.InvalidResponse,
        `The discovery document of ${issuer} is not usable: ${formatZodError(result.error)}`,
        { provider: hostOf(issuer), stage: 'discovery' },
      );
    }
    if (result.data.issuer !== issuer) {
      throw connectorError(
        ConnectorErrorCodes.InvalidConfig,
        `The discovery document at ${discoveryUrlOf(issuer)} names issuer ${result.data.issuer}, not the configured ${issuer}; set \`issuer\` to exactly the provider's issuer`,
        { provider: hostOf(issuer), stage: 'discovery' },
      );
    }
    cache.set(issuer, { metadata: result.data, expiresAt: Date.now() + ttlMs });
    return result.data;
  })();
  inFlight.set(issuer, fetching);
  try {
    return await fetching;
  } finally {
    inFlight.delete(issuer);
  }
};

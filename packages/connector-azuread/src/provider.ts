import { clientSecretCredentials } from '@idplug/base';
import type { AzureAdConfig } from './config';
import { type Cloud, cloudsByHost, defaultScope, requiredScopes } from './constants';
import { readMicrosoftError } from './microsoft-errors';
import { tenantOf } from './tenant';

/**
 * Where Microsoft is for one config: the authority `<cloudInstance>/<tenantId>` the official
 * connector hands MSAL, its v2.0 endpoints, the cloud's issuer and Graph hosts.
 * https://learn.microsoft.com/entra/identity-platform/v2-protocols#endpoints
 */

/** A cloud this connector does not know (a local emulator) issues tokens under its own origin. */
const cloudOf = (cloudInstance: string): Cloud => {
  const { host, origin } = new URL(cloudInstance);
  return Object.hasOwn(cloudsByHost, host)
    ? (cloudsByHost[host] as Cloud)
    : { issuerOrigins: [origin], graphOrigin: 'https://graph.microsoft.com' };
};

export const resolveAzureAd = (config: AzureAdConfig) => {
  const authority = `${config.cloudInstance}/${encodeURIComponent(config.tenantId)}`;
  const cloud = cloudOf(config.cloudInstance);
  const graphBase = (config.graphApiUrl ?? cloud.graphOrigin).replace(/\/+$/, '');
  return {
    authorizationEndpoint: `${authority}/oauth2/v2.0/authorize`,
    tokenEndpoint: `${authority}/oauth2/v2.0/token`,
    client: clientSecretCredentials(config, 'client_secret_post'),
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

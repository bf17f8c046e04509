import { createHmac } from 'node:crypto';
import { clientSecretCredentials } from '@idplug/base';
import type { FacebookConfig } from './config';
import { defaultScope, type FacebookHosts, facebookEndpoints, profileFields } from './constants';
import { readFacebookError } from './errors';

/** What one config resolves to: the versioned endpoints, the client and Facebook's error reader. */
export type FacebookProvider = ReturnType<typeof facebookEndpoints> & {
  client: { clientId: string; clientSecret: string; method: 'client_secret_post' };
  scope: string;
  pkce: false;
  nonce: false;
  readProviderError: typeof readFacebookError;
};

export const facebookProviderResolver =
  (hosts: FacebookHosts) =>
  (config: FacebookConfig): FacebookProvider => ({
    ...facebookEndpoints(hosts, config.apiVersion),
    // The official connector sends the credentials as parameters (client_secret_post).
    client: clientSecretCredentials(config, 'client_secret_post'),
    scope: config.scope?.trim() || defaultScope,
    pkce: false,
    nonce: false,
    readProviderError: readFacebookError,
  });

/** https://developers.facebook.com/docs/graph-api/guides/secure-requests#appsecret_proof */
export const appSecretProofOf = (accessToken: string, appSecret: string): string =>
  createHmac('sha256', appSecret).update(accessToken).digest('hex');

/** `/me` with the fields named (as the official connector does) and, when on, the proof. */
export const meUrlOf = (
  provider: FacebookProvider,
  config: FacebookConfig,
  accessToken: string,
) => {
  const url = new URL(provider.meEndpoint);
  url.searchParams.set('fields', profileFields);
  if (config.appSecretProof) {
    url.searchParams.set('appsecret_proof', appSecretProofOf(accessToken, config.clientSecret));
  }
  return url.href;
};

import { defineOAuthConnector } from '@idplug/base';
import type { CreateConnector, SocialConnector } from '@logto/connector-kit';
import { oidcConfigGuard } from './config';
import { metadata } from './constants';
import { userInfoFromTokens } from './id-token';
import { providerNameOf, resolveOidcProvider } from './provider';

const createOidcConnector: CreateConnector<SocialConnector> = defineOAuthConnector({
  metadata,
  configGuard: oidcConfigGuard,
  providerName: 'OpenID Provider',
  httpOptions: (config) => ({
    providerName: providerNameOf(config),
    ...(config.timeout && { timeoutMs: config.timeout }),
  }),
  resolveProvider: resolveOidcProvider,
  fetchUserInfo: async ({ config, http, tokens, session, provider, fetchProfile }) =>
    userInfoFromTokens({
      config,
      http,
      tokens,
      session,
      provider,
      providerName: providerNameOf(config),
      fetchProfile,
    }),
});

export default createOidcConnector;

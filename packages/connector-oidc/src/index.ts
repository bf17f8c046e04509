import { defineOAuthConnector } from '@idplug/base';
import type { CreateConnector, SocialConnector } from '@logto/connector-kit';
import { ensureOpenidScope, oidcConfigGuard } from './config';
import { metadata } from './constants';
import { userInfoFromTokens } from './id-token';
import { providerNameOf, resolveOidcProvider } from './provider';

const createCodeFlowConnector = defineOAuthConnector({
  metadata,
  configGuard: oidcConfigGuard,
  providerName: 'OpenID Provider',
  httpOptions: (config) => ({
    providerName: providerNameOf(config),
    ...(config.timeout && { timeoutMs: config.timeout }),
  }),
  resolveProvider: async (config, http) => (await resolveOidcProvider(config, http)).oauth,
  fetchUserInfo: async ({ config, http, tokens, session }) =>
    userInfoFromTokens({
      config,
      http,
      tokens,
      session,
      // Cached by now: no second discovery request.
      provider: await resolveOidcProvider(config, http),
      providerName: providerNameOf(config),
    }),
});

const createOidcConnector: CreateConnector<SocialConnector> = async (options) => {
  const connector = await createCodeFlowConnector(options);
  return {
    ...connector,
    // A scope asked for by the sign-in request must still contain `openid` (OIDC Core §3.1.2.1).
    getAuthorizationUri: async (payload, setSession) =>
      connector.getAuthorizationUri(
        typeof payload.scope === 'string'
          ? { ...payload, scope: ensureOpenidScope(payload.scope) }
          : payload,
        setSession,
      ),
  };
};

export default createOidcConnector;

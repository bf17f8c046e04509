import { createConnectorSession, describeFaultMatrix } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import createOAuth2Connector from './index';

const secret = 'fault-matrix-oauth2-client-secret';
const refreshToken = 'fault-matrix-oauth2-refresh-token';
const timeoutMs = 1000;

// Every configured endpoint is the misbehaving provider.
const load = async (providerUrl: string) =>
  (await createOAuth2Connector({
    getConfig: async () => ({
      authorizationEndpoint: `${providerUrl}/authorize`,
      tokenEndpoint: `${providerUrl}/token`,
      userInfoEndpoint: `${providerUrl}/userinfo`,
      clientId: 'fault-matrix-client',
      clientSecret: secret,
      timeout: timeoutMs,
    }),
  })) as SocialConnector;

describeFaultMatrix({
  connector: 'oauth2',
  timeoutMs,
  secrets: [secret, refreshToken],
  operations: [
    {
      name: 'sign-in',
      run: async (providerUrl) => {
        const connector = await load(providerUrl);
        const session = createConnectorSession();
        await connector.getAuthorizationUri(
          {
            state: 'state',
            redirectUri: 'https://logto.example.com/callback/oauth2',
            connectorId: 'oauth2',
            connectorFactoryId: 'oauth2',
            jti: 'jti',
            headers: {},
          },
          session.setSession,
        );
        return connector.getUserInfo({ code: 'code', state: 'state' }, session.getSession);
      },
    },
    {
      name: 'refresh',
      run: async (providerUrl) =>
        (await load(providerUrl)).getAccessTokenByRefreshToken!(refreshToken),
    },
  ],
});

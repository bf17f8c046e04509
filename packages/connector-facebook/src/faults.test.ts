import { completeSocialSignIn, describeFaultMatrix } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { configureFacebookConnector } from './index';

const secret = 'fault-matrix-client-secret';
const timeoutMs = 1000;

// The dialog and Graph hosts at the misbehaving provider.
const load = async (providerUrl: string, timeout: number) =>
  (await configureFacebookConnector({
    hosts: { dialogBaseUrl: providerUrl, graphBaseUrl: providerUrl },
  })({
    getConfig: async () => ({ clientId: 'id', clientSecret: secret, timeout }),
  })) as SocialConnector;

const signIn = async (connector: SocialConnector, storeTokens: boolean) => {
  if (!storeTokens) {
    return completeSocialSignIn(
      connector,
      { code: 'code' },
      { state: 's', redirectUri: 'http://127.0.0.1/cb' },
    );
  }
  const session = { redirectUri: 'http://127.0.0.1/cb', state: 's' };
  return connector.getTokenResponseAndUserInfo!({ code: 'code', state: 's' }, async () => session);
};

describeFaultMatrix({
  connector: 'facebook',
  timeoutMs,
  secrets: [secret, 'EAAlong-lived-token-value'],
  operations: [
    {
      name: 'sign-in',
      run: async (providerUrl, timeout) => signIn(await load(providerUrl, timeout), false),
    },
    {
      name: 'sign-in storing tokens',
      run: async (providerUrl, timeout) => signIn(await load(providerUrl, timeout), true),
    },
    {
      name: 'long-lived exchange',
      run: async (providerUrl, timeout) =>
        (await load(providerUrl, timeout)).getAccessTokenByRefreshToken!(
          'EAAlong-lived-token-value',
        ),
    },
  ],
});

import { completeSocialSignIn, describeFaultMatrix } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import createGithubConnector from './index';

const secret = 'gh-secret-0f9e8d7c6b5a4f3e2d1c';
const timeoutMs = 1000;

// GitHub Enterprise Server support points every endpoint at the misbehaving provider.
const load = async (providerUrl: string, timeout: number) =>
  (await createGithubConnector({
    getConfig: async () => ({
      clientId: 'id',
      clientSecret: secret,
      enterpriseUrl: providerUrl,
      timeout,
    }),
  })) as SocialConnector;

describeFaultMatrix({
  connector: 'github',
  timeoutMs,
  secrets: [secret, 'gho_refresh-token-value'],
  operations: [
    {
      name: 'sign-in',
      run: async (providerUrl, timeout) => {
        const connector = await load(providerUrl, timeout);
        return completeSocialSignIn(
          connector,
          { code: 'github-authorization-code-1234' },
          { state: 's', redirectUri: 'http://127.0.0.1/cb' },
        );
      },
    },
    {
      name: 'refresh',
      run: async (providerUrl, timeout) =>
        (await load(providerUrl, timeout)).getAccessTokenByRefreshToken!('gho_refresh-token-value'),
    },
  ],
});

import { clearDiscoveryCache, clearJwksCache } from '@idplug/base';
import { completeSocialSignIn, describeFaultMatrix } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { beforeEach } from 'vitest';
import createGitlabConnector from './index';

const secret = 'fault-matrix-client-secret';
const timeoutMs = 1000;

// A self-managed instance at the misbehaving provider: every endpoint is there.
const load = async (providerUrl: string, timeout: number) =>
  (await createGitlabConnector({
    getConfig: async () => ({
      clientId: 'id',
      clientSecret: secret,
      baseUrl: providerUrl,
      timeout,
    }),
  })) as SocialConnector;

beforeEach(() => {
  clearDiscoveryCache();
  clearJwksCache();
});

describeFaultMatrix({
  connector: 'gitlab',
  timeoutMs,
  secrets: [secret, 'gitlab-refresh-token-value'],
  operations: [
    {
      name: 'sign-in',
      run: async (providerUrl, timeout) =>
        completeSocialSignIn(
          await load(providerUrl, timeout),
          { code: 'code' },
          { state: 's', redirectUri: 'http://127.0.0.1/cb' },
        ),
    },
    {
      name: 'refresh',
      run: async (providerUrl, timeout) =>
        (await load(providerUrl, timeout)).getAccessTokenByRefreshToken!(
          'gitlab-refresh-token-value',
        ),
    },
  ],
});

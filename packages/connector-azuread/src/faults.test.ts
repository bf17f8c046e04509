import { completeSocialSignIn, describeFaultMatrix } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { beforeEach } from 'vitest';
import { clearCaches, tenantId } from './azuread-test-kit';
import createAzureAdConnector from './index';

const secret = 'fault-matrix-client-secret';
const timeoutMs = 1000;

// A cloud instance and Graph URL on the misbehaving provider: every call goes there.
const load = async (providerUrl: string, timeout: number) =>
  (await createAzureAdConnector({
    getConfig: async () => ({
      clientId: 'id',
      clientSecret: secret,
      cloudInstance: providerUrl,
      tenantId,
      graphApiUrl: providerUrl,
      timeout,
    }),
  })) as SocialConnector;

beforeEach(() => clearCaches());

describeFaultMatrix({
  connector: 'azuread',
  timeoutMs,
  secrets: [secret, '1.AXoA-fault-refresh-token'],
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
          '1.AXoA-fault-refresh-token',
        ),
    },
  ],
});

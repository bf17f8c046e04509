import {
  type AzureAdEmulator,
  authorizeWithBrowser,
  azureAdConsumersTenantId,
  startAzureAdEmulator,
} from '@idplug/emulators';
import { createConnectorSession } from '@idplug/testing';
import { ConnectorError, type SocialConnector } from '@logto/connector-kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearCaches } from './azuread-test-kit';
import createAzureAdConnector from './index';

/**
 * The whole flow against the Entra ID emulator of @idplug/emulators (real loopback HTTP, a real
 * OpenID Provider per tenant, no msw): the wiring the playground uses, `cloudInstance` and
 * `graphApiUrl` pointed at the emulator.
 */

const contoso = 'aaaaaaaa-1111-4222-8333-bbbbbbbbbbbb';
const megan = 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ';
const ada = 'AAAAAAAAAAAAAAAAAAAAAPersonalAccountSubject';
let emulator: AzureAdEmulator;

beforeAll(async () => {
  emulator = await startAzureAdEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => {
  clearCaches();
  emulator.clearRequests();
});

const connectorFor = async (tenantId: string, extra: Record<string, unknown> = {}) =>
  (await createAzureAdConnector({
    getConfig: async () => ({ ...emulator.connectorConfig(tenantId), ...extra }),
  })) as SocialConnector;

const signIn = async (connector: SocialConnector, accountId: string) => {
  const session = createConnectorSession();
  const redirectUri = emulator.clients[0]!.redirectUris[0]!;
  const url = await connector.getAuthorizationUri(
    {
      state: 'state-1',
      redirectUri,
      connectorId: 'azuread',
      connectorFactoryId: 'azuread-universal',
      jti: 'jti',
      headers: {},
    },
    session.setSession,
  );
  const callback = await authorizeWithBrowser(url, { accountId });
  expect(callback.error, callback.errorDescription).toBeUndefined();
  return connector.getTokenResponseAndUserInfo!(callback.params, session.getSession);
};

describe('Microsoft Entra ID against the emulator', () => {
  it("signs a work account in to its tenant with Graph's id, mail and E.164 phone, then refreshes", async () => {
    const connector = await connectorFor(contoso);
    const { userInfo, tokenResponse } = await signIn(connector, megan);
    expect(userInfo).toMatchObject({
      id: '48d31887-5fad-4d73-a9f5-3c356e68a038',
      email: 'MeganB@contoso.onmicrosoft.com',
      name: 'Megan Bowen',
      phone: '+14255550109',
    });
    const refreshed = await connector.getAccessTokenByRefreshToken!(
      tokenResponse?.refresh_token ?? '',
    );
    expect(refreshed.access_token).toEqual(expect.any(String));
    expect(emulator.serverErrors).toEqual([]);
  });

  it('makes no JWKS request on a warm sign-in', async () => {
    const connector = await connectorFor(contoso);
    await signIn(connector, megan);
    emulator.clearRequests();
    await signIn(connector, megan);
    const paths = emulator.requests.map(({ path }) => path);
    expect(paths).toContain(`/${contoso}/oauth2/v2.0/token`);
    expect(paths).toContain('/v1.0/me');
    expect(paths.filter((path) => path.endsWith('/keys'))).toEqual([]);
  });

  it('signs a personal account in through consumers, keyed on its Graph id', async () => {
    const { userInfo } = await signIn(await connectorFor('consumers'), ada);
    expect(userInfo).toMatchObject({ id: '4d7e3b1c2a9f8e60', name: 'Ada Lovelace' });
    expect(userInfo.email).toBeUndefined();
  });

  it('signs in through common and through a verified domain of the tenant', async () => {
    expect((await signIn(await connectorFor('common'), megan)).userInfo.id).toBe(
      '48d31887-5fad-4d73-a9f5-3c356e68a038',
    );
    expect((await signIn(await connectorFor('contoso.onmicrosoft.com'), megan)).userInfo.id).toBe(
      '48d31887-5fad-4d73-a9f5-3c356e68a038',
    );
  });

  it('rejects an ID token of another tenant than the configured one, from a real provider', async () => {
    // An emulator whose `organizations` is served by the personal-account tenant: its tokens
    // carry the consumers tenant's tid and issuer, which `organizations` must not accept.
    const misrouted = await startAzureAdEmulator({ multiTenantHome: azureAdConsumersTenantId });
    try {
      const connector = (await createAzureAdConnector({
        getConfig: async () => misrouted.connectorConfig('organizations'),
      })) as SocialConnector;
      const session = createConnectorSession();
      const url = await connector.getAuthorizationUri(
        {
          state: 'state-1',
          redirectUri: misrouted.clients[0]!.redirectUris[0]!,
          connectorId: 'azuread',
          connectorFactoryId: 'azuread-universal',
          jti: 'jti',
          headers: {},
        },
        session.setSession,
      );
      const callback = await authorizeWithBrowser(url, { accountId: ada });
      const error = await connector.getUserInfo(callback.params, session.getSession).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(ConnectorError);
      expect((error as ConnectorError).code).toBe('social_invalid_id_token');
    } finally {
      await misrouted.stop();
    }
  });

  it('returns the email only with xms_edov when requireVerifiedEmailDomain is on', async () => {
    const { userInfo } = await signIn(
      await connectorFor(contoso, { requireVerifiedEmailDomain: true }),
      megan,
    );
    expect(userInfo.email).toBe('MeganB@contoso.onmicrosoft.com');
  });
});

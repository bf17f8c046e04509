import { useProviderMock } from '@idplug/testing';
import { HttpResponse, http } from 'msw';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  accessToken,
  clearCaches,
  clientSecret,
  configFor,
  consumersTenantId,
  createSigningKey,
  entraClaims,
  entraHandlers,
  expectConnectorError,
  graphMe,
  graphUser,
  load,
  otherTenantId,
  type ProviderState,
  redirectUri,
  requestLines,
  type SigningKey,
  signIn,
  tenantId,
} from './azuread-test-kit';

let key: SigningKey;
let state: ProviderState;
const mock = useProviderMock(...entraHandlers(() => state));

beforeAll(async () => {
  key = await createSigningKey();
});
beforeEach(() => {
  clearCaches();
  state = { key, claims: entraClaims(tenantId), me: graphUser(), tokenExtras: {} };
});

const userOf = async (config: Record<string, unknown> = configFor()) =>
  (await signIn(await load(config), state)).result.userInfo;

describe('Microsoft Entra ID sign-in', () => {
  it("returns Graph's id, mail, displayName and E.164 mobile phone, with Graph's answer as rawData", async () => {
    const user = await userOf();
    expect(user).toEqual({
      id: '48d31887-5fad-4d73-a9f5-3c356e68a038',
      email: 'MeganB@contoso.example',
      name: 'Megan Bowen',
      phone: '+14255550109',
      rawData: graphUser(),
    });
  });

  it('redeems the code with the client secret, the redirect URI and the PKCE verifier, then calls Graph with the access token', async () => {
    let form = new URLSearchParams();
    mock.use(
      http.post(
        `https://login.microsoftonline.com/${tenantId}/oauth2/v2.0/token`,
        async ({ request }) => {
          form = new URLSearchParams(await request.text());
          return HttpResponse.json({
            token_type: 'Bearer',
            expires_in: 3599,
            access_token: accessToken,
            id_token: await (await import('./azuread-test-kit')).signIdToken(key, state.claims),
          });
        },
      ),
    );
    const { session } = await signIn(await load(), state);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'authorization_code',
      code: 'authorization-code',
      redirect_uri: redirectUri,
      code_verifier: session.current.codeVerifier,
      client_id: expect.any(String),
      client_secret: clientSecret,
    });
    expect(requestLines(mock)).toEqual([
      `POST https://login.microsoftonline.com/${tenantId}/oauth2/v2.0/token`,
      `GET https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`,
      `GET ${graphMe}`,
    ]);
  });

  it('makes no JWKS request on a warm sign-in: token and Graph only', async () => {
    await userOf();
    mock.requests.length = 0;
    state.claims = entraClaims(tenantId);
    await userOf();
    expect(requestLines(mock)).toEqual([
      `POST https://login.microsoftonline.com/${tenantId}/oauth2/v2.0/token`,
      `GET ${graphMe}`,
    ]);
  });

  it("keys the user on the ID token's sub with subjectSource oidc", async () => {
    const user = await userOf(configFor({ subjectSource: 'oidc' }));
    expect(user.id).toBe('AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ');
  });

  it('never takes the email from userPrincipalName, preferred_username or an email claim (nOAuth)', async () => {
    state.me = graphUser({ mail: null, userPrincipalName: 'victim@contoso.example' });
    state.claims = entraClaims(tenantId, {
      email: 'victim@contoso.example',
      preferred_username: 'victim@contoso.example',
    });
    const user = await userOf();
    expect(user.email).toBeUndefined();
    expect(user.id).toBe('48d31887-5fad-4d73-a9f5-3c356e68a038');
  });

  it.each([
    [true, 'MeganB@contoso.example'],
    ['true', 'MeganB@contoso.example'],
    [false, undefined],
    [undefined, undefined],
  ])('with requireVerifiedEmailDomain, xms_edov %j gives the email %j', async (edov, email) => {
    state.claims = entraClaims(tenantId, { xms_edov: edov });
    const user = await userOf(configFor({ requireVerifiedEmailDomain: true }));
    expect(user.email).toBe(email);
  });

  it.each([
    ['+1 (425) 555-0109', '+14255550109'],
    ['+44 20 7946 0958', '+442079460958'],
    ['425 555 0109', undefined],
    ['+0 123 4567', undefined],
    ['call me', undefined],
    [null, undefined],
  ])('reads mobilePhone %j as %j', async (mobilePhone, phone) => {
    state.me = graphUser({ mobilePhone });
    expect((await userOf()).phone).toBe(phone);
  });

  it('signs in a personal account through common with its own tenant in the issuer', async () => {
    state.claims = entraClaims(consumersTenantId);
    state.me = graphUser({
      id: '4d7e3b1c2a9f8e60',
      mail: null,
      userPrincipalName: 'ada@outlook.com',
    });
    const user = await userOf(configFor({ tenantId: 'common' }));
    expect(user).toMatchObject({ id: '4d7e3b1c2a9f8e60', name: 'Megan Bowen' });
    expect(user.email).toBeUndefined();
  });

  it('signs in any work tenant through organizations', async () => {
    state.claims = entraClaims(otherTenantId);
    expect((await userOf(configFor({ tenantId: 'organizations' }))).id).toBe(
      '48d31887-5fad-4d73-a9f5-3c356e68a038',
    );
  });

  it("learns a domain tenant's id from its discovery document once", async () => {
    mock.use(
      http.get(
        'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration',
        () =>
          HttpResponse.json({
            issuer: `https://login.microsoftonline.com/${tenantId}/v2.0`,
            authorization_endpoint: `https://login.microsoftonline.com/${tenantId}/oauth2/v2.0/authorize`,
            jwks_uri: `https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`,
          }),
      ),
    );
    const config = configFor({ tenantId: 'contoso.onmicrosoft.com' });
    await userOf(config);
    state.claims = entraClaims(tenantId);
    await userOf(config);
    expect(requestLines(mock).filter((line) => line.includes('openid-configuration'))).toHaveLength(
      1,
    );
    expect(requestLines(mock).filter((line) => line.includes('/keys'))).toHaveLength(1);
  });

  it('uses the US Government cloud for tokens, keys, issuer and Graph', async () => {
    const us = entraHandlers(() => state, {
      loginOrigin: 'https://login.microsoftonline.us',
      meUrl: 'https://graph.microsoft.us/v1.0/me',
    });
    mock.use(...us);
    state.claims = entraClaims(tenantId, {
      iss: `https://login.microsoftonline.us/${tenantId}/v2.0`,
    });
    const user = await userOf(configFor({ cloudInstance: 'https://login.microsoftonline.us' }));
    expect(user.id).toBe('48d31887-5fad-4d73-a9f5-3c356e68a038');
    expect(mock.requests.map((request) => request.host)).toEqual([
      'login.microsoftonline.us',
      'login.microsoftonline.us',
      'graph.microsoft.us',
    ]);
  });

  it('uses the China cloud, whose tokens name login.partner.microsoftonline.cn', async () => {
    mock.use(
      ...entraHandlers(() => state, {
        loginOrigin: 'https://login.chinacloudapi.cn',
        meUrl: 'https://microsoftgraph.chinacloudapi.cn/v1.0/me',
      }),
    );
    state.claims = entraClaims(tenantId, {
      iss: `https://login.partner.microsoftonline.cn/${tenantId}/v2.0`,
    });
    const user = await userOf(configFor({ cloudInstance: 'https://login.chinacloudapi.cn' }));
    expect(user.id).toBe('48d31887-5fad-4d73-a9f5-3c356e68a038');
  });

  it('uses a configured Graph URL (US Government DoD)', async () => {
    mock.use(
      http.get('https://dod-graph.microsoft.us/v1.0/me', () =>
        HttpResponse.json(graphUser({ id: 'dod-user' })),
      ),
    );
    const user = await userOf(configFor({ graphApiUrl: 'https://dod-graph.microsoft.us/' }));
    expect(user.id).toBe('dod-user');
  });
});

describe('Microsoft Entra ID ID token checks', () => {
  it('rejects a token of another tenant for a single-tenant config', async () => {
    state.claims = entraClaims(otherTenantId);
    await expectConnectorError(userOf(), 'social_invalid_id_token');
  });

  it('rejects a tid that does not match the issuer (multi-tenant)', async () => {
    state.claims = entraClaims(otherTenantId, {
      iss: `https://login.microsoftonline.com/${tenantId}/v2.0`,
    });
    const error = await expectConnectorError(
      userOf(configFor({ tenantId: 'common' })),
      'social_invalid_id_token',
    );
    expect(error.message).toContain('iss');
  });

  it('rejects a tid that does not match the issuer (single tenant)', async () => {
    state.claims = entraClaims(tenantId, {
      iss: `https://login.microsoftonline.com/${otherTenantId}/v2.0`,
    });
    await expectConnectorError(userOf(), 'social_invalid_id_token');
  });

  it('rejects the template issuer and a token without tid', async () => {
    state.claims = entraClaims(tenantId, {
      iss: 'https://login.microsoftonline.com/{tenantid}/v2.0',
    });
    await expectConnectorError(
      userOf(configFor({ tenantId: 'common' })),
      'social_invalid_id_token',
    );
    state.claims = entraClaims(tenantId, { tid: undefined });
    await expectConnectorError(
      userOf(configFor({ tenantId: 'common' })),
      'social_invalid_id_token',
    );
  });

  it('rejects a work account for consumers, and a personal account for organizations', async () => {
    state.claims = entraClaims(tenantId);
    await expectConnectorError(
      userOf(configFor({ tenantId: 'consumers' })),
      'social_invalid_id_token',
    );
    state.claims = entraClaims(consumersTenantId);
    await expectConnectorError(
      userOf(configFor({ tenantId: 'organizations' })),
      'social_invalid_id_token',
    );
  });

  it('rejects a token of another cloud', async () => {
    state.claims = entraClaims(tenantId, {
      iss: `https://login.microsoftonline.us/${tenantId}/v2.0`,
    });
    await expectConnectorError(userOf(), 'social_invalid_id_token');
  });

  it('rejects a token response without an ID token', async () => {
    state.tokenExtras = { id_token: undefined };
    await expectConnectorError(userOf(), 'social_invalid_id_token');
    expect(requestLines(mock).some((line) => line.includes('graph'))).toBe(false);
  });
});

describe('Microsoft Entra ID token storage', () => {
  it('returns the token response and refreshes with the client secret, expires_in as a string', async () => {
    const connector = await load();
    const { result } = await signIn(connector, state);
    expect(result.tokenResponse).toMatchObject({
      access_token: accessToken,
      refresh_token: '1.AXoA-refresh-token',
      expires_in: 4739,
    });
    let form = new URLSearchParams();
    mock.use(
      http.post(
        `https://login.microsoftonline.com/${tenantId}/oauth2/v2.0/token`,
        async ({ request }) => {
          form = new URLSearchParams(await request.text());
          return HttpResponse.json({
            token_type: 'Bearer',
            expires_in: '3599',
            access_token: 'new-access-token',
            refresh_token: '1.AXoA-rotated',
          });
        },
      ),
    );
    const refreshed = await connector.getAccessTokenByRefreshToken!('1.AXoA-refresh-token');
    expect(refreshed).toMatchObject({
      access_token: 'new-access-token',
      refresh_token: '1.AXoA-rotated',
      expires_in: 3599,
    });
    expect(form.get('grant_type')).toBe('refresh_token');
    expect(form.get('refresh_token')).toBe('1.AXoA-refresh-token');
    expect(form.get('client_secret')).toBe(clientSecret);
  });
});

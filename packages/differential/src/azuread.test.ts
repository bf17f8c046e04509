import createIdplugAzureAd from '@idplug/connector-azuread';
import { createConnectorSession, useProviderMock } from '@idplug/testing';
import * as officialModule from '@logto/connector-azuread';
import type { SocialConnector, SocialUserInfo } from '@logto/connector-kit';
import { base64url, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { HttpResponse, http } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialFactory } from './official-connector';

/**
 * @logto/connector-azuread (MSAL, Graph `/me`) and @idplug/connector-azuread against the same
 * msw answers at Microsoft's real URLs. The official connector builds its authority as
 * `<cloudInstance>/<tenantId>`; MSAL knows login.microsoftonline.com's metadata, so it fetches no
 * discovery document and posts the code to `<authority>/oauth2/v2.0/token` with `client_info=1`,
 * then reads the token response's `client_info` (uid/utid) and decodes the ID token without
 * verifying it. Ours verifies the ID token (nonce included), so the token handler signs each
 * token with the nonce of our sign-in; MSAL ignores a nonce it did not send.
 */

const clientId = '6731de76-14a6-49ae-97bc-6eba6914391e';
const clientSecret = 'differential-client-secret-value';
const redirectUri = 'https://logto.example.com/callback/azuread';
const contoso = 'aaaaaaaa-1111-4222-8333-bbbbbbbbbbbb';
const fabrikam = 'cccccccc-4444-4555-8666-dddddddddddd';
const personal = '9188040d-6c67-4c5b-b112-36a304b66dad';
const login = 'https://login.microsoftonline.com';

type Fixture = {
  name: string;
  /** The configured `tenantId`. */
  tenantId: string;
  /** The account's home tenant (`tid`). */
  tid: string;
  oid: string;
  preferredUsername: string;
  me: Record<string, unknown>;
};

const workUser = (overrides: Record<string, unknown>) => ({
  '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
  businessPhones: [],
  givenName: null,
  jobTitle: null,
  mobilePhone: null,
  officeLocation: null,
  preferredLanguage: null,
  surname: null,
  ...overrides,
});

const fixtures: Fixture[] = [
  {
    name: 'work account, mail equal to the UPN',
    tenantId: contoso,
    tid: contoso,
    oid: '48d31887-5fad-4d73-a9f5-3c356e68a038',
    preferredUsername: 'MeganB@contoso.example',
    me: workUser({
      id: '48d31887-5fad-4d73-a9f5-3c356e68a038',
      displayName: 'Megan Bowen',
      mail: 'MeganB@contoso.example',
      userPrincipalName: 'MeganB@contoso.example',
      mobilePhone: '+1 425 555 0109',
    }),
  },
  {
    name: 'work account, mail different from the UPN',
    tenantId: contoso,
    tid: contoso,
    oid: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
    preferredUsername: 'adele.v@contoso.onmicrosoft.example',
    me: workUser({
      id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
      displayName: 'Adele Vance',
      mail: 'adele.vance@contoso.example',
      userPrincipalName: 'adele.v@contoso.onmicrosoft.example',
    }),
  },
  {
    name: 'work account without a mailbox (mail null, UPN set)',
    tenantId: contoso,
    tid: contoso,
    oid: '5bde3e51-d13b-4db1-9948-fe4b109d11a7',
    preferredUsername: 'svc-reports@contoso.example',
    me: workUser({
      id: '5bde3e51-d13b-4db1-9948-fe4b109d11a7',
      displayName: 'Reports service',
      mail: null,
      userPrincipalName: 'svc-reports@contoso.example',
    }),
  },
  {
    name: 'work account without mail or displayName',
    tenantId: 'organizations',
    tid: fabrikam,
    oid: '0f1e2d3c-4b5a-4697-8877-665544332211',
    preferredUsername: 'x@fabrikam.example',
    me: workUser({
      id: '0f1e2d3c-4b5a-4697-8877-665544332211',
      userPrincipalName: 'x@fabrikam.example',
    }),
  },
  {
    name: 'guest (B2B) account, #EXT# UPN',
    tenantId: contoso,
    tid: contoso,
    oid: 'e3a1b2c4-d5e6-4f70-8192-a3b4c5d6e7f8',
    preferredUsername: 'lee@fabrikam.example',
    me: workUser({
      id: 'e3a1b2c4-d5e6-4f70-8192-a3b4c5d6e7f8',
      displayName: 'Lee Gu',
      mail: 'lee@fabrikam.example',
      userPrincipalName: 'lee_fabrikam.example#EXT#@contoso.onmicrosoft.example',
    }),
  },
  {
    name: 'personal account through common, no mail',
    tenantId: 'common',
    tid: personal,
    oid: '00000000-0000-0000-4d7e-3b1c2a9f8e60',
    preferredUsername: 'ada.lovelace@outlook.example',
    me: {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
      id: '4d7e3b1c2a9f8e60',
      displayName: 'Ada Lovelace',
      givenName: 'Ada',
      surname: 'Lovelace',
      userPrincipalName: 'ada.lovelace@outlook.example',
      mail: null,
      businessPhones: [],
      jobTitle: null,
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: null,
    },
  },
  {
    name: 'personal account through consumers, with mail',
    tenantId: 'consumers',
    tid: personal,
    oid: '00000000-0000-0000-a1b2-c3d4e5f60718',
    preferredUsername: 'grace@hotmail.example',
    me: {
      id: 'a1b2c3d4e5f60718',
      displayName: 'Grace Hopper',
      userPrincipalName: 'grace@hotmail.example',
      mail: 'grace@hotmail.example',
    },
  },
  {
    name: 'unicode names (accents, CJK, RTL, emoji)',
    tenantId: 'common',
    tid: fabrikam,
    oid: '1a2b3c4d-5e6f-4a0b-9c8d-7e6f5a4b3c2d',
    preferredUsername: 'zoe@fabrikam.example',
    me: workUser({
      id: '1a2b3c4d-5e6f-4a0b-9c8d-7e6f5a4b3c2d',
      displayName: 'Zoë Łukasiewicz-Ørsted 李小龍 محمد 🚀',
      givenName: 'Zoë',
      mail: 'zoë@fabrikam.example',
      userPrincipalName: 'zoe@fabrikam.example',
    }),
  },
  {
    name: 'unicode name, blank surname, phone without country code',
    tenantId: fabrikam,
    tid: fabrikam,
    oid: '2b3c4d5e-6f70-4b1c-8d9e-0f1a2b3c4d5e',
    preferredUsername: 'jose@fabrikam.example',
    me: workUser({
      id: '2b3c4d5e-6f70-4b1c-8d9e-0f1a2b3c4d5e',
      displayName: 'José Ñúñez',
      surname: '',
      mail: 'jose@fabrikam.example',
      userPrincipalName: 'jose@fabrikam.example',
      mobilePhone: '425 555 0100',
    }),
  },
];

let signingKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let publicJwk: JWK;
let current: { fixture: Fixture; nonce?: string };

const accessTokenOf = (fixture: Fixture) => `access-token-${fixture.oid}`;

const idTokenOf = ({ fixture, nonce }: typeof current) => {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    ver: '2.0',
    iss: `${login}/${fixture.tid}/v2.0`,
    aud: clientId,
    tid: fixture.tid,
    oid: fixture.oid,
    sub: `pairwise-${fixture.oid}`,
    name: fixture.me.displayName ?? undefined,
    preferred_username: fixture.preferredUsername,
    iat: now,
    nbf: now,
    exp: now + 3600,
    ...(nonce && { nonce }),
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'differential-key', typ: 'JWT' })
    .sign(signingKey);
};

const tokenRequests: URLSearchParams[] = [];

const mock = useProviderMock(
  http.post(`${login}/:tenant/oauth2/v2.0/token`, async ({ request }) => {
    tokenRequests.push(new URLSearchParams(await request.text()));
    const { fixture } = current;
    return HttpResponse.json({
      token_type: 'Bearer',
      scope: 'User.Read openid profile email',
      expires_in: 4739,
      ext_expires_in: 4739,
      access_token: accessTokenOf(fixture),
      refresh_token: `refresh-${fixture.oid}`,
      id_token: await idTokenOf(current),
      client_info: base64url.encode(JSON.stringify({ uid: fixture.oid, utid: fixture.tid })),
    });
  }),
  http.get(`${login}/:tenant/discovery/v2.0/keys`, () => HttpResponse.json({ keys: [publicJwk] })),
  http.get('https://graph.microsoft.com/v1.0/me', ({ request }) =>
    request.headers.get('authorization') === `Bearer ${accessTokenOf(current.fixture)}`
      ? HttpResponse.json(current.fixture.me)
      : HttpResponse.json({ error: { code: 'InvalidAuthenticationToken' } }, { status: 401 }),
  ),
);

const configOf = (fixture: Fixture) => ({
  clientId,
  clientSecret,
  cloudInstance: login,
  tenantId: fixture.tenantId,
  prompts: ['select_account'],
  scopes: 'email',
});

const authorizationRequest = {
  state: 'state-1',
  redirectUri,
  connectorId: 'azuread',
  connectorFactoryId: 'azuread-universal',
  jti: 'jti',
  headers: {},
};

/** The official connector, as Logto calls it: its callback data carries the redirect URI. */
const officialSignIn = async (fixture: Fixture) => {
  const connector = (await officialFactory<SocialConnector>(officialModule)({
    getConfig: async () => configOf(fixture),
  })) as SocialConnector;
  current = { fixture };
  const url = new URL(await connector.getAuthorizationUri(authorizationRequest, async () => {}));
  const user = await connector.getUserInfo({ code: 'code', redirectUri }, async () => ({}));
  return { url, user };
};

const idplugSignIn = async (fixture: Fixture) => {
  const connector = (await createIdplugAzureAd({
    getConfig: async () => configOf(fixture),
  })) as SocialConnector;
  const session = createConnectorSession();
  const url = new URL(
    await connector.getAuthorizationUri(authorizationRequest, session.setSession),
  );
  current = { fixture, nonce: String(session.current.nonce) };
  const user = await connector.getUserInfo({ code: 'code', state: 'state-1' }, session.getSession);
  return { url, user };
};

const results: Array<{ fixture: string; official: SocialUserInfo; idplug: SocialUserInfo }> = [];

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'differential-key', alg: 'RS256' };
});

afterAll(() => {
  // The whole fixture set ran, and every id matched: 100%, not "most".
  expect(results).toHaveLength(fixtures.length);
  expect(results.filter(({ official, idplug }) => official.id === idplug.id)).toHaveLength(
    fixtures.length,
  );
});

describe('@idplug/connector-azuread vs @logto/connector-azuread', () => {
  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))(
    '%s: same id, and the same email, name, phone and avatar where both set them',
    async (_name, fixture) => {
      tokenRequests.length = 0;
      const official = await officialSignIn(fixture);
      const idplug = await idplugSignIn(fixture);
      results.push({ fixture: fixture.name, official: official.user, idplug: idplug.user });

      expect(idplug.user.id).toBe(official.user.id);
      expect(idplug.user.id).toBe(fixture.me.id);
      for (const field of ['email', 'name', 'phone', 'avatar'] as const) {
        if (official.user[field] !== undefined && idplug.user[field] !== undefined) {
          expect(idplug.user[field], field).toBe(official.user[field]);
        }
      }
      // Email: both take Graph's `mail` and nothing else (never the UPN), so they agree entirely.
      expect(idplug.user.email).toBe(official.user.email);
      expect(idplug.user.name).toBe(official.user.name);
      expect(idplug.user.rawData).toEqual(official.user.rawData);

      // The same authority, client, redirect URI, prompt and scopes; ours adds PKCE and a nonce.
      expect(`${idplug.url.origin}${idplug.url.pathname}`).toBe(
        `${official.url.origin}${official.url.pathname}`,
      );
      for (const parameter of ['client_id', 'redirect_uri', 'response_type', 'prompt', 'state']) {
        expect(idplug.url.searchParams.get(parameter), parameter).toBe(
          official.url.searchParams.get(parameter),
        );
      }
      expect(idplug.url.searchParams.get('scope')).toBe(official.url.searchParams.get('scope'));
      // Both redeemed the code at the same token endpoint with the same client and redirect URI.
      const [officialToken, idplugToken] = tokenRequests;
      for (const parameter of [
        'client_id',
        'client_secret',
        'redirect_uri',
        'grant_type',
        'code',
      ]) {
        expect(idplugToken?.get(parameter), parameter).toBe(officialToken?.get(parameter));
      }
      expect(mock.requests.filter(({ pathname }) => pathname.endsWith('/token'))).toHaveLength(2);
    },
  );
});

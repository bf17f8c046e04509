import { clearDiscoveryCache, clearJwksCache } from '@idplug/base';
import createIdplugGitlab from '@idplug/connector-gitlab';
import { startSocialSignIn, useProviderMock } from '@idplug/testing';
import * as officialModule from '@logto/connector-gitlab';
import type { SocialConnector, SocialUserInfo } from '@logto/connector-kit';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { HttpResponse, http, type JsonBodyType } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { officialFactory } from './official-connector';

/**
 * @logto/connector-gitlab 1.2.8 and @idplug/connector-gitlab against the same gitlab.com answers.
 * The official connector reads `/oauth/userinfo`; ours verifies the ID token first (its `sub` is
 * the userinfo `sub`), or reads `/api/v4/user` when the token response has no ID token. Both must
 * return the same `id` (or both refuse), name, email, avatar and (userinfo path) rawData.
 */

const issuer = 'https://gitlab.com';
const config = { clientId: 'differential-gitlab-app', clientSecret: 'differential-gitlab-secret' };
const redirectUri = 'https://logto.example.com/callback/gitlab';
const signing = await generateKeyPair('RS256');

const claims = {
  sub: '8054123',
  sub_legacy: 'legacy',
  name: 'Ada Lovelace',
  nickname: 'ada.l',
  email: 'ada@example.com',
  email_verified: true,
  picture: 'https://secure.gravatar.com/avatar/0000',
  groups: [],
};

type Fixture = {
  userInfo: Record<string, unknown>;
  /** What /api/v4/user answers; with it, the token response carries no ID token. */
  apiUser?: Record<string, unknown>;
};

const fixtures: Record<string, Fixture> = {
  'verified email': { userInfo: claims },
  'missing email': { userInfo: { ...claims, email: undefined, email_verified: undefined } },
  'unverified email': { userInfo: { ...claims, email_verified: false } },
  'unicode names': { userInfo: { ...claims, name: 'Zoë Ångström 日本語 🦊', nickname: 'zoë' } },
  'no profile scope': { userInfo: { sub: '8054123', sub_legacy: 'legacy', groups: [] } },
  'numeric id as a string': { userInfo: { ...claims, sub: '42' } },
  'numeric id as a number': { userInfo: { ...claims, sub: 42 } },
  'REST API, id as a number': {
    userInfo: claims,
    apiUser: {
      id: 8054123,
      username: 'ada.l',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      confirmed_at: '2021-03-04T05:06:07Z',
      avatar_url: 'https://secure.gravatar.com/avatar/0000',
    },
  },
  'REST API, id as a string, unconfirmed email': {
    userInfo: { ...claims, email_verified: false },
    apiUser: {
      id: '8054123',
      username: 'ada.l',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      confirmed_at: null,
      avatar_url: 'https://secure.gravatar.com/avatar/0000',
    },
  },
};

let current: Fixture = fixtures['verified email']!;
let nonce: string | undefined;

const mock = useProviderMock(
  http.get(`${issuer}/.well-known/openid-configuration`, () =>
    HttpResponse.json({
      issuer,
      authorization_endpoint: `${issuer}/oauth/authorize`,
      token_endpoint: `${issuer}/oauth/token`,
      userinfo_endpoint: `${issuer}/oauth/userinfo`,
      jwks_uri: `${issuer}/oauth/discovery/keys`,
    }),
  ),
  http.get(`${issuer}/oauth/discovery/keys`, async () =>
    HttpResponse.json({
      keys: [{ ...(await exportJWK(signing.publicKey)), kid: 'k', alg: 'RS256' }],
    }),
  ),
  http.post(`${issuer}/oauth/token`, async () =>
    HttpResponse.json({
      access_token: 'differential-access-token',
      token_type: 'Bearer',
      expires_in: 7200,
      refresh_token: 'differential-refresh-token',
      scope: 'openid profile email',
      ...(!current.apiUser && {
        id_token: await new SignJWT({ sub: String(current.userInfo.sub), ...(nonce && { nonce }) })
          .setProtectedHeader({ alg: 'RS256', kid: 'k' })
          .setIssuer(issuer)
          .setAudience(config.clientId)
          .setIssuedAt()
          .setExpirationTime('2m')
          .sign(signing.privateKey),
      }),
    }),
  ),
  http.get(`${issuer}/oauth/userinfo`, () => HttpResponse.json(current.userInfo as JsonBodyType)),
  http.get(`${issuer}/api/v4/user`, () =>
    HttpResponse.json((current.apiUser ?? {}) as JsonBodyType),
  ),
);

beforeEach(() => {
  clearDiscoveryCache();
  clearJwksCache();
});

type Outcome = { ok: true; user: SocialUserInfo } | { ok: false; code: string };

const run = async (connector: SocialConnector): Promise<Outcome> => {
  const { session } = await startSocialSignIn(connector, { redirectUri });
  nonce = session.current.nonce as string | undefined;
  try {
    const user = await connector.getUserInfo(
      { code: 'differential-code', state: 'state-1' },
      session.getSession,
    );
    return { ok: true, user };
  } catch (error: unknown) {
    return { ok: false, code: (error as { code?: string }).code ?? String(error) };
  }
};

describe('GitLab: @idplug/connector-gitlab vs @logto/connector-gitlab', () => {
  const results: { fixture: string; sameId: boolean; refused?: boolean }[] = [];

  for (const [name, fixture] of Object.entries(fixtures)) {
    it(`same outcome for: ${name}`, async () => {
      current = fixture;
      const official = (await officialFactory<SocialConnector>(officialModule)({
        getConfig: async () => config,
      })) as SocialConnector;
      const ours = (await createIdplugGitlab({ getConfig: async () => config })) as SocialConnector;
      const expected = await run(official);
      const actual = await run(ours);
      expect(actual.ok, JSON.stringify({ expected, actual })).toBe(expected.ok);
      if (!expected.ok || !actual.ok) {
        expect(actual).toEqual(expected);
        results.push({ fixture: name, sameId: true, refused: true });
        return;
      }
      expect(actual.user.id).toBe(expected.user.id);
      for (const field of ['name', 'email', 'avatar'] as const) {
        if (expected.user[field] !== undefined && actual.user[field] !== undefined) {
          expect(actual.user[field], field).toBe(expected.user[field]);
        }
      }
      // The email is set by both or by neither: the same verified-only rule.
      expect(actual.user.email).toBe(expected.user.email);
      if (!fixture.apiUser) {
        expect(actual.user.rawData).toEqual(expected.user.rawData);
      }
      results.push({ fixture: name, sameId: actual.user.id === expected.user.id });
    });
  }

  it('agrees on the id for 100% of fixtures, with the official request count when warm', async () => {
    expect(results).toHaveLength(Object.keys(fixtures).length);
    expect(results.filter((result) => result.sameId)).toHaveLength(results.length);
    // Only the fixtures with a numeric id are refused (by both); every other one signs in.
    expect(results.filter((result) => result.refused).map((result) => result.fixture)).toEqual([
      'numeric id as a number',
    ]);
    current = fixtures['verified email']!;
    const ours = (await createIdplugGitlab({ getConfig: async () => config })) as SocialConnector;
    await run(ours); // cold: discovery and keys
    mock.requests.length = 0;
    await run(ours);
    const warm = mock.requests.length;
    mock.requests.length = 0;
    await run(
      (await officialFactory<SocialConnector>(officialModule)({
        getConfig: async () => config,
      })) as SocialConnector,
    );
    expect(warm).toBeLessThanOrEqual(mock.requests.length);
  });
});

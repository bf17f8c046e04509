import createIdplugAppleConnector from '@idplug/connector-apple';
import { createConnectorSession, useProviderMock } from '@idplug/testing';
import * as officialModule from '@logto/connector-apple';
import type { SocialConnector, SocialUserInfo } from '@logto/connector-kit';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { HttpResponse, http } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialFactory } from './official-connector';

/**
 * Sign in with Apple, official connector vs ours, with the official config (`clientId`, `scope`):
 * both verify the ID token Apple posts (signed here with a key the JWKS at Apple's real URL
 * publishes, through msw) and read the posted `user` field. The user id must be the same for every
 * fixture; email and name are compared wherever both set them.
 *
 * Known, intended differences (README "Replacing @logto/connector-apple"): ours reads Apple's
 * string `email_verified: "true"` (the official connector drops the email then, unless `user`
 * carries one), and never takes the email from the unsigned `user` field.
 */

const jwksUri = 'https://appleid.apple.com/auth/keys';
const clientId = 'com.example.web';
const config = { clientId, scope: 'name email' };
const redirectUri = 'https://logto.example.com/callback/apple-universal';

type Fixture = {
  name: string;
  claims: JWTPayload;
  /** The `user` field Apple posts on the first sign-in, as Logto hands it over (a JSON string). */
  user?: Record<string, unknown>;
};

const relay = 'k7x9q2mz4p@privaterelay.appleid.com';
const named = (firstName?: string, lastName?: string, email?: string) => ({
  name: { ...(firstName && { firstName }), ...(lastName && { lastName }) },
  ...(email && { email }),
});

const fixtures: Fixture[] = [
  {
    name: 'first sign-in, email verified (boolean), name',
    claims: { sub: '001234.aaaa.0001', email: 'ada@example.com', email_verified: true },
    user: named('Ada', 'Lovelace', 'ada@example.com'),
  },
  {
    name: 'first sign-in, email verified (string), name',
    claims: { sub: '001234.aaaa.0002', email: 'grace@example.com', email_verified: 'true' },
    user: named('Grace', 'Hopper', 'grace@example.com'),
  },
  {
    name: 'later sign-in, email verified (boolean), no user',
    claims: { sub: '001234.aaaa.0003', email: 'alan@example.com', email_verified: true },
  },
  {
    name: 'later sign-in, email verified (string), no user',
    claims: { sub: '001234.aaaa.0004', email: 'edsger@example.com', email_verified: 'true' },
  },
  {
    name: 'email missing (name scope only)',
    claims: { sub: '001234.aaaa.0005' },
    user: named('Barbara', 'Liskov'),
  },
  {
    name: 'email missing, no user',
    claims: { sub: '001234.aaaa.0006' },
  },
  {
    name: 'private relay, first sign-in (string booleans)',
    claims: {
      sub: '001234.aaaa.0007',
      email: relay,
      email_verified: 'true',
      is_private_email: 'true',
    },
    user: named('Zoë', 'Åkesson', relay),
  },
  {
    name: 'private relay, later sign-in (boolean)',
    claims: { sub: '001234.aaaa.0008', email: relay, email_verified: true, is_private_email: true },
  },
  {
    name: 'unicode: CJK names',
    claims: { sub: '001234.aaaa.0009', email: 'taro@example.jp', email_verified: true },
    user: named('太郎', '山田', 'taro@example.jp'),
  },
  {
    name: 'unicode: Arabic and an apostrophe',
    claims: { sub: '001234.aaaa.0010', email: 'mo@example.com', email_verified: 'true' },
    user: named('محمد', "O'Brien", 'mo@example.com'),
  },
  {
    name: 'unicode: combining marks and emoji, first name only',
    claims: { sub: '001234.aaaa.0011', email: 'jose@example.com', email_verified: true },
    user: named('José 😀 Zoe\u0308'),
  },
  {
    name: 'last name only',
    claims: { sub: '001234.aaaa.0012', email: 'solo@example.com', email_verified: true },
    user: named(undefined, 'Nakamoto', 'solo@example.com'),
  },
  {
    name: 'unverified email (boolean false), no user',
    claims: { sub: '001234.aaaa.0013', email: 'maybe@example.com', email_verified: false },
  },
];

type Keys = Awaited<ReturnType<typeof generateKeyPair>>;
let keys: Keys;

const mock = useProviderMock(
  http.get(jwksUri, async () =>
    HttpResponse.json({
      keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'apple-1', alg: 'RS256', use: 'sig' }],
    }),
  ),
);

beforeAll(async () => {
  keys = await generateKeyPair('RS256', { extractable: true });
});

const idTokenFor = (claims: JWTPayload, nonce: string) => {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...claims, nonce, nonce_supported: true, auth_time: now })
    .setProtectedHeader({ alg: 'RS256', kid: 'apple-1' })
    .setIssuer('https://appleid.apple.com')
    .setAudience(clientId)
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(keys.privateKey);
};

/** Logto's sign-in with one connector: its authorization URL, then the form Apple posts. */
const signIn = async (connector: SocialConnector, fixture: Fixture): Promise<SocialUserInfo> => {
  const session = createConnectorSession();
  await connector.getAuthorizationUri(
    {
      state: 'state-1',
      redirectUri,
      connectorId: 'apple',
      connectorFactoryId: 'apple-universal',
      jti: 'jti',
      headers: {},
    },
    session.setSession,
  );
  const posted: Record<string, string> = {
    code: 'c0de.0.apple',
    state: 'state-1',
    id_token: await idTokenFor(fixture.claims, String(session.current.nonce)),
    ...(fixture.user && { user: JSON.stringify(fixture.user) }),
  };
  return connector.getUserInfo(posted, session.getSession);
};

type Comparison = { fixture: string; official: SocialUserInfo; ours: SocialUserInfo };
const comparisons: Comparison[] = [];

describe('@idplug/connector-apple vs @logto/connector-apple', () => {
  let official: SocialConnector;
  let ours: SocialConnector;

  beforeAll(async () => {
    official = await officialFactory<SocialConnector>(officialModule)({
      getConfig: async () => config,
    });
    ours = (await createIdplugAppleConnector({ getConfig: async () => config })) as SocialConnector;
  });

  afterAll(() => {
    const sameId = comparisons.filter(({ official: a, ours: b }) => a.id === b.id).length;
    console.info(`apple differential: same id for ${sameId}/${comparisons.length} fixtures`);
  });

  it('has the official metadata id, target and platform', () => {
    expect(ours.metadata.id).toBe(official.metadata.id);
    expect(ours.metadata.target).toBe(official.metadata.target);
    expect(ours.metadata.platform).toBe(official.metadata.platform);
  });

  it('sends the same authorization request (but for the nonce)', async () => {
    const query = async (connector: SocialConnector) => {
      const url = new URL(
        await connector.getAuthorizationUri(
          {
            state: 'state-1',
            redirectUri,
            connectorId: 'apple',
            connectorFactoryId: 'apple-universal',
            jti: 'jti',
            headers: {},
          },
          async () => undefined,
        ),
      );
      const params = Object.fromEntries(url.searchParams);
      delete params.nonce;
      return { endpoint: `${url.origin}${url.pathname}`, params };
    };
    expect(await query(ours)).toEqual(await query(official));
  });

  for (const fixture of fixtures) {
    it(`returns the same user for: ${fixture.name}`, async () => {
      const theirs = await signIn(official, fixture);
      const mine = await signIn(ours, fixture);
      comparisons.push({ fixture: fixture.name, official: theirs, ours: mine });
      // Both fetched Apple's keys from Apple's URL (msw), nothing else.
      expect(mock.requests.length).toBeGreaterThan(0);
      expect(new Set(mock.requests.map(({ url }) => url))).toEqual(new Set([jwksUri]));
      expect(mine.id).toBe(theirs.id);
      for (const field of ['email', 'name', 'phone', 'avatar'] as const) {
        if (theirs[field] !== undefined && mine[field] !== undefined) {
          expect(mine[field], field).toBe(theirs[field]);
        }
      }
      // The official connector's email is ours too whenever the signed token vouches for it.
      if (theirs.email !== undefined && fixture.claims.email === theirs.email) {
        expect(mine.email).toBe(theirs.email);
      }
      // A name the official connector read from `user` is read by ours.
      expect(mine.name).toBe(theirs.name);
    });
  }

  it('compared every fixture, with the same id for 100% of them', () => {
    expect(comparisons).toHaveLength(fixtures.length);
    expect(comparisons.filter(({ official: a, ours: b }) => a.id === b.id)).toHaveLength(
      fixtures.length,
    );
  });
});

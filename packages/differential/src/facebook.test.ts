import createIdplugFacebook from '@idplug/connector-facebook';
import { startSocialSignIn, useProviderMock } from '@idplug/testing';
import * as officialModule from '@logto/connector-facebook';
import type { SocialConnector, SocialUserInfo } from '@logto/connector-kit';
import { HttpResponse, http, type JsonBodyType } from 'msw';
import { describe, expect, it } from 'vitest';
import { officialFactory } from './official-connector';

/**
 * @logto/connector-facebook 1.6.5 (Graph API v13.0, GET token requests) and
 * @idplug/connector-facebook (v24.0, POST, appsecret_proof) against the same Graph answers, on
 * both sign-in paths (plain, and storing a long-lived token). Both must return the same `id` (or
 * both refuse), name, email, avatar and rawData, in no more requests.
 */

const config = { clientId: '1234567890', clientSecret: 'differential-facebook-secret' };
const redirectUri = 'https://logto.example.com/callback/facebook';

const base = {
  id: '10158849236012345',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  picture: {
    data: { height: 50, is_silhouette: false, url: 'https://lookaside.example/p.jpg', width: 50 },
  },
};

const fixtures: Record<string, Record<string, unknown>> = {
  'with email': base,
  'missing email': { id: base.id, name: base.name, picture: base.picture },
  // Facebook has no unverified-email state to return: it leaves out an address it cannot use.
  'unverified email (left out by Facebook)': { id: base.id, name: base.name },
  'unicode names': { ...base, name: 'Zoë Ångström 日本語 🦄' },
  'no picture': { id: base.id, name: base.name, email: base.email },
  'short numeric id as a string': { ...base, id: '42' },
  'numeric id as a number': { ...base, id: 42 },
  // What JSON.parse makes of the number on the wire: already rounded.
  'long numeric id as a number': { ...base, id: Number('10158849236012345') },
};

let current: Record<string, unknown> = base;
const tokenAnswer = async ({ request }: { request: Request }) => {
  const url = new URL(request.url);
  const parameters =
    request.method === 'GET' ? url.searchParams : new URLSearchParams(await request.text());
  return HttpResponse.json(
    parameters.get('grant_type') === 'fb_exchange_token'
      ? { access_token: 'EAAlong-lived', token_type: 'bearer', expires_in: 5183944 }
      : { access_token: 'EAAshort-lived', token_type: 'bearer', expires_in: 5183 },
  );
};
const mock = useProviderMock(
  ...['v13.0', 'v24.0'].flatMap((version) => [
    http.get(`https://graph.facebook.com/${version}/oauth/access_token`, tokenAnswer),
    http.post(`https://graph.facebook.com/${version}/oauth/access_token`, tokenAnswer),
    http.get(`https://graph.facebook.com/${version}/me`, () =>
      HttpResponse.json(current as JsonBodyType),
    ),
  ]),
);

type Outcome = { ok: true; user: SocialUserInfo } | { ok: false; code: string };

const run = async (connector: SocialConnector, storeTokens: boolean): Promise<Outcome> => {
  const { session } = await startSocialSignIn(connector, { redirectUri });
  const data = { code: 'differential-code', state: 'state-1', redirectUri };
  try {
    const user = storeTokens
      ? (await connector.getTokenResponseAndUserInfo!(data, session.getSession)).userInfo
      : await connector.getUserInfo(data, session.getSession);
    return { ok: true, user };
  } catch (error: unknown) {
    return { ok: false, code: (error as { code?: string }).code ?? String(error) };
  }
};

const load = async () => ({
  official: (await officialFactory<SocialConnector>(officialModule)({
    getConfig: async () => config,
  })) as SocialConnector,
  ours: (await createIdplugFacebook({ getConfig: async () => config })) as SocialConnector,
});

describe('Facebook: @idplug/connector-facebook vs @logto/connector-facebook', () => {
  const results: { fixture: string; sameId: boolean; refused?: boolean }[] = [];

  for (const storeTokens of [false, true]) {
    for (const [name, fixture] of Object.entries(fixtures)) {
      const label = `${name}${storeTokens ? ', storing tokens' : ''}`;
      it(`same outcome for: ${label}`, async () => {
        current = fixture;
        const { official, ours } = await load();
        const expected = await run(official, storeTokens);
        const officialRequests = mock.requests.length;
        mock.requests.length = 0;
        const actual = await run(ours, storeTokens);
        expect(mock.requests.length).toBeLessThanOrEqual(officialRequests);
        expect(actual.ok, JSON.stringify({ expected, actual })).toBe(expected.ok);
        if (!expected.ok || !actual.ok) {
          // Both refuse a numeric id: Facebook documents ids as strings.
          expect(actual).toEqual(expected);
          results.push({ fixture: label, sameId: true, refused: true });
          return;
        }
        expect(actual.user.id).toBe(expected.user.id);
        expect(actual.user.name).toBe(expected.user.name);
        expect(actual.user.email).toBe(expected.user.email);
        expect(actual.user.avatar).toBe(expected.user.avatar);
        expect(actual.user.rawData).toEqual(expected.user.rawData);
        results.push({ fixture: label, sameId: actual.user.id === expected.user.id });
      });
    }
  }

  it('agrees on the id for 100% of fixtures', () => {
    expect(results).toHaveLength(Object.keys(fixtures).length * 2);
    expect(results.filter((result) => result.sameId)).toHaveLength(results.length);
    // Only the fixtures with a numeric id are refused (by both); every other one signs in.
    expect(results.filter((result) => result.refused).map((result) => result.fixture)).toEqual([
      'numeric id as a number',
      'long numeric id as a number',
      'numeric id as a number, storing tokens',
      'long numeric id as a number, storing tokens',
    ]);
  });
});

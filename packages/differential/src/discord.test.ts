import createIdplugDiscord from '@idplug/connector-discord';
import { startSocialSignIn, useProviderMock } from '@idplug/testing';
import * as officialModule from '@logto/connector-discord';
import type { SocialConnector, SocialUserInfo } from '@logto/connector-kit';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { officialFactory } from './official-connector';

/**
 * @logto/connector-discord 1.6.5 and @idplug/connector-discord against the same Discord answers.
 * Both must return the same `id` (or both refuse the answer), name, email and rawData. The avatar
 * differs on purpose: the official connector leaves the CDN file extension out and returns no
 * avatar without a hash; ours follows Discord's image rules (`.png`/`.gif`, default avatars).
 */

const tokenEndpoint = 'https://discord.com/api/v10/oauth2/token';
const userEndpoint = 'https://discord.com/api/v10/users/@me';
const config = { clientId: '1100000000000000001', clientSecret: 'differential-discord-secret' };
const redirectUri = 'https://logto.example.com/callback/discord';

const base = {
  id: '80351110224678912',
  username: 'nelly',
  discriminator: '0',
  global_name: 'Nelly',
  avatar: '8342729096ea3675442027381ff50dfe',
  email: 'nelly@example.com',
  verified: true,
};

const fixtures: Record<string, Record<string, unknown>> = {
  'verified email': base,
  'missing email (no email scope)': { ...base, email: undefined, verified: undefined },
  'null email': { ...base, email: null },
  'unverified email': { ...base, verified: false },
  'unicode names': { ...base, username: 'ñandú_日本語', global_name: '🦄 Zoë Ångström' },
  'no avatar': { ...base, avatar: null },
  'animated avatar': { ...base, avatar: 'a_1269e74af4df7417b13759eae50c83dc' },
  'legacy discriminator': { ...base, discriminator: '1337' },
  'small id as a string': { ...base, id: '42' },
  'numeric id as a number': { ...base, id: 42 },
  'snowflake id as a number': { ...base, id: 80351110224678912 },
};

let current: Record<string, unknown> = base;
const mock = useProviderMock(
  http.post(tokenEndpoint, () =>
    HttpResponse.json({
      access_token: 'differential-access-token',
      token_type: 'Bearer',
      expires_in: 604800,
      refresh_token: 'differential-refresh-token',
      scope: 'identify email',
    }),
  ),
  http.get(userEndpoint, () => HttpResponse.json(current)),
);

type Outcome = { ok: true; user: SocialUserInfo } | { ok: false; code: string };

const run = async (connector: SocialConnector): Promise<Outcome> => {
  const { session } = await startSocialSignIn(connector, { redirectUri });
  try {
    const user = await connector.getUserInfo(
      { code: 'differential-code', state: 'state-1', redirectUri },
      session.getSession,
    );
    return { ok: true, user };
  } catch (error: unknown) {
    return { ok: false, code: (error as { code?: string }).code ?? String(error) };
  }
};

const load = async () => ({
  official: (await officialFactory<SocialConnector>(officialModule)({
    getConfig: async () => config,
  })) as SocialConnector,
  ours: (await createIdplugDiscord({ getConfig: async () => config })) as SocialConnector,
});

describe('Discord: @idplug/connector-discord vs @logto/connector-discord', () => {
  const results: { fixture: string; sameId: boolean; refused?: boolean }[] = [];

  for (const [name, fixture] of Object.entries(fixtures)) {
    it(`same outcome for: ${name}`, async () => {
      current = fixture;
      const { official, ours } = await load();
      const expected = await run(official);
      const officialRequests = mock.requests.length;
      mock.requests.length = 0;
      const actual = await run(ours);
      // No more requests than the official connector (two: the token, /users/@me).
      expect(mock.requests.length).toBeLessThanOrEqual(officialRequests);
      expect(actual.ok, JSON.stringify({ expected, actual })).toBe(expected.ok);
      if (!expected.ok || !actual.ok) {
        // Both refuse: a numeric snowflake (Discord documents string ids) is invalid_response.
        expect(actual).toEqual(expected);
        results.push({ fixture: name, sameId: true, refused: true });
        return;
      }
      expect(actual.user.id).toBe(expected.user.id);
      expect(actual.user.name).toBe(expected.user.name);
      expect(actual.user.email).toBe(expected.user.email);
      expect(actual.user.rawData).toEqual(expected.user.rawData);
      if (expected.user.avatar) {
        expect(actual.user.avatar).toMatch(new RegExp(`^${expected.user.avatar}\\.(png|gif)$`));
      }
      results.push({ fixture: name, sameId: actual.user.id === expected.user.id });
    });
  }

  it('agrees on the id for 100% of fixtures', () => {
    expect(results).toHaveLength(Object.keys(fixtures).length);
    expect(results.filter((result) => result.sameId)).toHaveLength(results.length);
    // Only the fixtures with a numeric id are refused (by both); every other one signs in.
    expect(results.filter((result) => result.refused).map((result) => result.fixture)).toEqual([
      'numeric id as a number',
      'snowflake id as a number',
    ]);
  });
});

import createIdplugOAuth2 from '@idplug/connector-oauth2';
import { useProviderMock } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import * as officialModule from '@logto/connector-oauth';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { officialFactory } from './official-connector';
import { profileOf, signInOutcome } from './sign-in-outcome';

/**
 * @logto/connector-oauth 1.7.8 and @idplug/connector-oauth2 with the same stored configs (the
 * official `profileMap` examples: top-level keys, the default map, none at all) against the same
 * profile answers: both must return the same `id` (or both refuse) and the same profile fields.
 * The new keys (`emailVerified`, paths, headers) are absent from these configs, as from every
 * config the official console stored.
 */

const provider = 'https://oauth.example.com';
const redirectUri = 'https://logto.example.com/callback/oauth2';
const accessToken = 'differential-oauth2-access-token';
const baseConfig = {
  responseType: 'code',
  grantType: 'authorization_code',
  authorizationEndpoint: `${provider}/authorize`,
  tokenEndpoint: `${provider}/token`,
  userInfoEndpoint: `${provider}/userinfo`,
  clientId: 'differential-oauth2-client',
  clientSecret: 'differential-oauth2-secret',
  tokenEndpointAuthMethod: 'client_secret_post',
  clientSecretJwtSigningAlgorithm: 'HS256',
  tokenEndpointResponseType: 'json',
  scope: 'openid profile email',
};

/** The console's default map, the official README's OIDC-shaped example, and none at all. */
const profileMaps: Record<string, Record<string, string> | undefined> = {
  'the console default': {
    id: 'id',
    email: 'email',
    phone: 'phone',
    name: 'name',
    avatar: 'avatar',
  },
  'an OIDC-shaped provider': {
    id: 'sub',
    email: 'email',
    phone: 'phone_number',
    name: 'preferred_username',
    avatar: 'picture',
  },
  'no profileMap': undefined,
};

const profiles: Record<string, Record<string, unknown>> = {
  'every field': {
    id: 'u-1',
    sub: 's-1',
    email: 'ada@example.com',
    phone: '+15550001',
    phone_number: '+15550002',
    name: 'Ada',
    preferred_username: 'ada',
    avatar: 'https://cdn.example.com/a.png',
    picture: 'https://cdn.example.com/p.png',
  },
  'numeric ids': { id: 42, sub: 43, name: 'Numbers' },
  'only ids': { id: 'u-2', sub: 's-2' },
  'unicode and empty strings': { id: 'ü-3', sub: 'ü-3', name: 'Zoë 日本語', email: '' },
  'no id at all': { name: 'Nobody', email: 'nobody@example.com' },
};

let profile: Record<string, unknown> = {};
useProviderMock(
  http.post(`${provider}/token`, () =>
    HttpResponse.json({ access_token: accessToken, token_type: 'Bearer', expires_in: 3600 }),
  ),
  http.get(`${provider}/userinfo`, ({ request }) =>
    request.headers.get('authorization') === `Bearer ${accessToken}`
      ? HttpResponse.json(profile)
      : new HttpResponse(null, { status: 401 }),
  ),
);

const signIn = (connector: SocialConnector) => signInOutcome(connector, redirectUri);

describe('@idplug/connector-oauth2 against @logto/connector-oauth', () => {
  for (const [mapName, profileMap] of Object.entries(profileMaps)) {
    for (const [profileName, answer] of Object.entries(profiles)) {
      it(`returns the same user for ${profileName} with ${mapName}`, async () => {
        profile = answer;
        const config = { ...baseConfig, ...(profileMap && { profileMap }) };
        const official = await officialFactory<SocialConnector>(officialModule)({
          getConfig: async () => config,
        });
        const ours = (await createIdplugOAuth2({
          getConfig: async () => config,
        })) as SocialConnector;
        const [theirs, mine] = [await signIn(official), await signIn(ours)];
        expect(profileOf(mine)).toEqual(profileOf(theirs));
        // Not two refusals for an unrelated reason: a profile with the mapped id signs in.
        expect('user' in mine).toBe(profileName !== 'no id at all');
      });
    }
  }
});

import {
  type NestedProfileEmulator,
  startNestedProfileEmulator,
  startTwitchEmulator,
  type TwitchEmulator,
} from '@idplug/emulators';
import { expectConnectorError, startSocialSignIn } from '@idplug/testing';
import { ConnectorErrorCodes, type SocialConnector } from '@logto/connector-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import createOAuth2Connector from './index';

/**
 * Providers that do not answer like the standard, signed in with a config and no code: the
 * Twitch-like emulator (userinfo 401 without `Client-Id`, the user in `data[0]`) and the
 * nested-profile emulator (`data.attributes.email`; `user_id` and `emails[0].value` by POST), all
 * over real loopback HTTP.
 */

const redirectUri = 'http://127.0.0.1:3001/callback/oauth2';
let twitch: TwitchEmulator;
let nested: NestedProfileEmulator;

beforeAll(async () => {
  [twitch, nested] = await Promise.all([startTwitchEmulator(), startNestedProfileEmulator()]);
});
afterAll(async () => {
  await Promise.all([twitch?.stop(), nested?.stop()]);
});

const connectorFor = async (config: Record<string, unknown>) =>
  (await createOAuth2Connector({ getConfig: async () => config })) as SocialConnector;

/** Follows the auto-approved authorization URL and hands the callback to the connector. */
const signIn = async (config: Record<string, unknown>) => {
  const connector = await connectorFor(config);
  const { url, session } = await startSocialSignIn(connector, { redirectUri });
  const answer = await fetch(url, { redirect: 'manual' });
  const callback = new URL(answer.headers.get('location') ?? '');
  return connector.getUserInfo(Object.fromEntries(callback.searchParams), session.getSession);
};

const twitchConfig = () => ({
  authorizationEndpoint: twitch.authorizationEndpoint,
  tokenEndpoint: twitch.tokenEndpoint,
  userInfoEndpoint: twitch.usersEndpoint,
  clientId: twitch.app.clientId,
  clientSecret: twitch.app.clientSecret,
  scope: 'user:read:email',
  userInfoHeaders: { 'Client-Id': '{{clientId}}' },
  profileMap: {
    id: 'data[0].id',
    email: 'data[0].email',
    name: ['data[0].display_name', 'data[0].login'],
    avatar: 'data[0].profile_image_url',
  },
});

describe('a Twitch-like provider', () => {
  it('signs in with userInfoHeaders sending the client ID and a profile map into data[0]', async () => {
    const user = await signIn(twitchConfig());
    expect(user).toMatchObject({
      id: twitch.user.id,
      email: twitch.user.email,
      name: twitch.user.display_name,
      avatar: twitch.user.profile_image_url,
    });
  });

  it('is refused by the provider without the Client-Id header: social_invalid_access_token', async () => {
    const { userInfoHeaders: _, ...withoutHeaders } = twitchConfig();
    await expectConnectorError(signIn(withoutHeaders), {
      code: ConnectorErrorCodes.SocialAccessTokenInvalid,
      secrets: [twitch.app.clientSecret],
    });
  });
});

describe('a provider with a nested profile', () => {
  const base = () => ({
    authorizationEndpoint: nested.authorizationEndpoint,
    tokenEndpoint: nested.tokenEndpoint,
    clientId: nested.app.clientId,
    clientSecret: nested.app.clientSecret,
  });

  it('signs in from data.attributes.email, verified by the string "true"', async () => {
    const user = await signIn({
      ...base(),
      userInfoEndpoint: nested.nestedProfileEndpoint,
      profileMap: {
        id: 'data.id',
        email: 'data.attributes.email',
        emailVerified: 'data.attributes.email_verified',
        name: 'data.attributes.display_name',
        avatar: 'data.attributes.avatar.url',
      },
    });
    expect(user).toMatchObject({
      id: nested.user.id,
      email: nested.user.email,
      name: nested.user.name,
      avatar: nested.user.avatarUrl,
    });
  });

  it('signs in from user_id and emails[0].value by POST', async () => {
    const user = await signIn({
      ...base(),
      userInfoEndpoint: nested.listProfileEndpoint,
      userInfoEndpointMethod: 'POST',
      profileMap: {
        id: ['id', 'user_id'],
        email: 'emails[0].value',
        emailVerified: 'emails[0].verified',
        name: 'display_name',
        avatar: 'photos[0].value',
      },
    });
    expect(user).toMatchObject({
      id: nested.user.id,
      email: nested.user.email,
      avatar: nested.user.avatarUrl,
    });
  });

  it('leaves out an email whose mapped verification claim is not true', async () => {
    const user = await signIn({
      ...base(),
      userInfoEndpoint: nested.listProfileEndpoint,
      userInfoEndpointMethod: 'POST',
      profileMap: { id: 'user_id', email: 'emails[1].value', emailVerified: 'emails[1].verified' },
    });
    expect(user.id).toBe(nested.user.id);
    expect(user.email).toBeUndefined();
  });

  it('reports a GET to the POST-only profile API (404) as general, naming the status', async () => {
    const error = await expectConnectorError(
      signIn({
        ...base(),
        userInfoEndpoint: nested.listProfileEndpoint,
        profileMap: { id: 'user_id' },
      }),
      { code: ConnectorErrorCodes.General, secrets: [nested.app.clientSecret] },
    );
    expect(error.message).toContain('404');
  });
});

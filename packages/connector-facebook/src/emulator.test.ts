import {
  type FacebookEmulator,
  type FacebookEmulatorOptions,
  startFacebookEmulator,
} from '@idplug/emulators';
import { startSocialSignIn } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { configureFacebookConnector } from './index';

/** The whole flow against the Facebook emulator (real loopback HTTP, no msw): the playground's wiring. */

const redirectUri = 'http://127.0.0.1:3001/callback/facebook-universal';
let emulator: FacebookEmulator | undefined;

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const connectorFor = async (
  options: FacebookEmulatorOptions = {},
  config: Record<string, unknown> = {},
) => {
  emulator = await startFacebookEmulator({ autoApprove: true, ...options });
  const facebook = emulator;
  const connector = (await configureFacebookConnector(facebook.connectorOptions)({
    getConfig: async () => ({ ...facebook.config, ...config }),
  })) as SocialConnector;
  return { facebook, connector };
};

const callbackOf = async (connector: SocialConnector) => {
  const { url, session } = await startSocialSignIn(connector, { redirectUri });
  const answer = await fetch(url, { redirect: 'manual' });
  const callback = Object.fromEntries(new URL(answer.headers.get('location')!).searchParams);
  return { callback, session };
};

describe('Facebook connector against the Facebook emulator', () => {
  it('signs in in the official connector’s two requests, with an app that requires appsecret_proof', async () => {
    const { facebook, connector } = await connectorFor({ requireAppSecretProof: true });
    const { callback, session } = await callbackOf(connector);
    const user = await connector.getUserInfo(callback, session.getSession);
    expect(user).toMatchObject({
      id: facebook.user.id,
      name: facebook.user.name,
      email: facebook.user.email,
      avatar: facebook.user.pictureUrl,
    });
    expect(
      facebook.requests.slice(1).map((request) => `${request.method} ${request.path}`),
    ).toEqual(['POST /v24.0/oauth/access_token', 'GET /v24.0/me']);
  });

  it('without the proof, an app that requires it refuses: invalid_config', async () => {
    const { connector } = await connectorFor(
      { requireAppSecretProof: true },
      { appSecretProof: false },
    );
    const { callback, session } = await callbackOf(connector);
    await expect(connector.getUserInfo(callback, session.getSession)).rejects.toMatchObject({
      code: 'invalid_config',
    });
  });

  it('stores a long-lived token in the official connector’s three requests', async () => {
    const { facebook, connector } = await connectorFor();
    const { callback, session } = await callbackOf(connector);
    const { tokenResponse } = await connector.getTokenResponseAndUserInfo!(
      callback,
      session.getSession,
    );
    expect(tokenResponse?.expires_in).toBe(5183944);
    expect(
      facebook.requests.slice(1).map((request) => `${request.method} ${request.path}`),
    ).toEqual([
      'POST /v24.0/oauth/access_token',
      'POST /v24.0/oauth/access_token',
      'GET /v24.0/me',
    ]);
  });

  it('reports a used code as social_auth_code_invalid and a rate limit as rate_limit_exceeded', async () => {
    const { facebook, connector } = await connectorFor();
    const { callback, session } = await callbackOf(connector);
    await connector.getUserInfo(callback, session.getSession);
    await expect(connector.getUserInfo(callback, session.getSession)).rejects.toMatchObject({
      code: 'social_auth_code_invalid',
    });
    facebook.rateLimitNext(613);
    const next = await callbackOf(connector);
    await expect(
      connector.getUserInfo(next.callback, next.session.getSession),
    ).rejects.toMatchObject({
      code: 'rate_limit_exceeded',
    });
  });
});

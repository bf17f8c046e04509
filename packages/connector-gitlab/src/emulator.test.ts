import { clearDiscoveryCache, clearJwksCache } from '@idplug/base';
import {
  type GitlabEmulator,
  type GitlabEmulatorOptions,
  startGitlabEmulator,
} from '@idplug/emulators';
import { startSocialSignIn } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { afterEach, describe, expect, it } from 'vitest';
import createGitlabConnector from './index';

/** The whole flow against the GitLab emulator as a self-managed instance (real loopback HTTP). */

const redirectUri = 'http://127.0.0.1:3001/callback/gitlab-universal';
let emulator: GitlabEmulator | undefined;

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
  clearDiscoveryCache();
  clearJwksCache();
});

const connectorFor = async (options: GitlabEmulatorOptions = {}) => {
  emulator = await startGitlabEmulator({ autoApprove: true, ...options });
  const gitlab = emulator;
  const connector = (await createGitlabConnector({
    getConfig: async () => gitlab.config,
  })) as SocialConnector;
  return { gitlab, connector };
};

const signIn = async (connector: SocialConnector) => {
  const { url, session } = await startSocialSignIn(connector, { redirectUri });
  const answer = await fetch(url, { redirect: 'manual' });
  const callback = new URL(answer.headers.get('location')!);
  return connector.getTokenResponseAndUserInfo!(
    Object.fromEntries(callback.searchParams),
    session.getSession,
  );
};

describe('GitLab connector against the GitLab emulator', () => {
  it('signs in through OIDC, then warm in the official connector’s two requests', async () => {
    const { gitlab, connector } = await connectorFor();
    const { userInfo, tokenResponse } = await signIn(connector);
    expect(userInfo).toMatchObject({
      id: String(gitlab.user.id),
      name: gitlab.user.name,
      email: gitlab.user.email,
      avatar: gitlab.user.avatar_url,
    });
    expect(tokenResponse?.refresh_token).toEqual(expect.any(String));
    const cold = gitlab.requests.length;
    await signIn(connector);
    const warm = gitlab.requests.slice(cold).map((request) => `${request.method} ${request.path}`);
    expect(warm).toEqual(['GET /oauth/authorize', 'POST /oauth/token', 'GET /oauth/userinfo']);
    const renewed = await connector.getAccessTokenByRefreshToken!(tokenResponse!.refresh_token!);
    expect(renewed.access_token).toEqual(expect.any(String));
  });

  it('signs in through /api/v4/user on an instance without OIDC, with the same id', async () => {
    const { gitlab, connector } = await connectorFor({ oidc: false });
    const { userInfo } = await signIn(connector);
    expect(userInfo).toMatchObject({ id: String(gitlab.user.id), email: gitlab.user.email });
  });

  it('leaves out an unconfirmed email', async () => {
    const { connector } = await connectorFor({
      user: {
        id: 7,
        username: 'new',
        name: 'Newcomer',
        email: 'new@gitlab.example',
        confirmed_at: null,
        avatar_url: 'https://avatars.example/7',
      },
    });
    const { userInfo } = await signIn(connector);
    expect(userInfo.id).toBe('7');
    expect(userInfo.email).toBeUndefined();
  });
});

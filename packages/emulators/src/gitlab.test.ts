import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { type GitlabEmulator, type GitlabEmulatorOptions, startGitlabEmulator } from './gitlab';
import { decideOnPage, pkcePair } from './oauth-emulator-test-kit';
import { gitlabPersonaAccounts } from './personas';

const redirectUri = 'http://127.0.0.1:3001/callback/gitlab';
let emulator: GitlabEmulator | undefined;

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const start = async (options: GitlabEmulatorOptions = {}) => {
  emulator = await startGitlabEmulator(options);
  return emulator;
};

const authorizationUrl = (gitlab: GitlabEmulator, extra: Record<string, string> = {}) => {
  const url = new URL(gitlab.authorizationEndpoint);
  url.search = new URLSearchParams({
    client_id: gitlab.app.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid profile email',
    state: 'state-1',
    nonce: 'nonce-1',
    ...extra,
  }).toString();
  return url;
};

const basic = (gitlab: GitlabEmulator) =>
  `Basic ${Buffer.from(`${gitlab.app.clientId}:${gitlab.app.clientSecret}`).toString('base64')}`;

const exchange = (gitlab: GitlabEmulator, params: Record<string, string>) =>
  fetch(gitlab.tokenEndpoint, {
    method: 'POST',
    headers: { authorization: basic(gitlab) },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      redirect_uri: redirectUri,
      ...params,
    }),
  });

describe('GitLab emulator', () => {
  it('runs the OIDC code flow with PKCE: a verifiable ID token with the nonce, and userinfo', async () => {
    const gitlab = await start();
    const { verifier, challenge } = pkcePair();
    const callback = await decideOnPage(
      authorizationUrl(gitlab, { code_challenge: challenge, code_challenge_method: 'S256' }),
      'allow',
    );
    const answer = await exchange(gitlab, {
      code: callback.searchParams.get('code')!,
      code_verifier: verifier,
    });
    expect(answer.status).toBe(200);
    const tokens = (await answer.json()) as Record<string, string>;
    const discovery = (await (
      await fetch(`${gitlab.issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    expect(discovery.issuer).toBe(gitlab.issuer);
    const { payload } = await jwtVerify(
      tokens.id_token!,
      createRemoteJWKSet(new URL(discovery.jwks_uri!)),
      { issuer: gitlab.issuer, audience: gitlab.app.clientId },
    );
    expect(payload).toMatchObject({ sub: String(gitlab.user.id), nonce: 'nonce-1' });
    const userinfo = await fetch(gitlab.userInfoEndpoint, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await userinfo.json()).toMatchObject({
      sub: String(gitlab.user.id),
      name: gitlab.user.name,
      email: gitlab.user.email,
      email_verified: true,
    });
  });

  it('refuses a wrong PKCE verifier and a reused code with invalid_grant', async () => {
    const gitlab = await start({ autoApprove: true });
    const { challenge } = pkcePair();
    const redirect = await fetch(
      authorizationUrl(gitlab, { code_challenge: challenge, code_challenge_method: 'S256' }),
      { redirect: 'manual' },
    );
    const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
    const wrong = await exchange(gitlab, { code, code_verifier: 'not-the-verifier' });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await exchange(gitlab, { code })).status).toBe(400);
  });

  it('refreshes tokens once per refresh token', async () => {
    const gitlab = await start({ autoApprove: true });
    const redirect = await fetch(authorizationUrl(gitlab), { redirect: 'manual' });
    const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
    const tokens = (await (await exchange(gitlab, { code })).json()) as Record<string, string>;
    const refresh = () =>
      fetch(gitlab.tokenEndpoint, {
        method: 'POST',
        headers: { authorization: basic(gitlab) },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token!,
        }),
      });
    expect((await refresh()).status).toBe(200);
    expect((await refresh()).status).toBe(400);
  });

  it('serves /api/v4/user under read_user and answers 403 insufficient_scope without it', async () => {
    const gitlab = await start();
    const get = (token: string) =>
      fetch(gitlab.apiUserEndpoint, { headers: { authorization: `Bearer ${token}` } });
    const user = await get(gitlab.issueAccessToken(['read_user']));
    expect(await user.json()).toMatchObject({
      id: gitlab.user.id,
      confirmed_at: expect.any(String),
    });
    const openidOnly = await get(gitlab.issueAccessToken(['openid']));
    expect(openidOnly.status).toBe(403);
    expect((await get('unknown')).status).toBe(401);
  });

  it('behaves as an instance without OIDC when asked: no ID token, no discovery', async () => {
    const gitlab = await start({ oidc: false, autoApprove: true });
    const redirect = await fetch(authorizationUrl(gitlab), { redirect: 'manual' });
    const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
    const tokens = (await (await exchange(gitlab, { code })).json()) as Record<string, unknown>;
    expect(tokens).not.toHaveProperty('id_token');
    expect((await fetch(`${gitlab.issuer}/.well-known/openid-configuration`)).status).toBe(404);
  });

  it('refuses wrong client credentials with 401 invalid_client', async () => {
    const gitlab = await start();
    const answer = await fetch(gitlab.tokenEndpoint, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('x:y').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'c' }),
    });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ error: 'invalid_client' });
  });
});

describe('GitLab emulator personas', () => {
  it('signs in as the unconfirmed persona: its userinfo and ID token, email_verified false', async () => {
    const accounts = gitlabPersonaAccounts();
    // Every GitLab account has an address: no no-email persona.
    expect(accounts.map((account) => account.user.username)).not.toContain('dana-okafor');
    const gitlab = await start({ otherAccounts: accounts });
    const bo = accounts.find((account) => account.user.username === 'bo-tanaka')!.user;
    const callback = await decideOnPage(authorizationUrl(gitlab), { account: String(bo.id) });
    const tokens = (await (
      await exchange(gitlab, { code: callback.searchParams.get('code')! })
    ).json()) as Record<string, string>;
    const userinfo = await fetch(gitlab.userInfoEndpoint, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await userinfo.json()).toMatchObject({
      sub: String(bo.id),
      email: 'bo.tanaka@example.net',
      email_verified: false,
    });
    const { payload } = await jwtVerify(
      tokens.id_token!,
      createRemoteJWKSet(new URL(`${gitlab.baseUrl}/oauth/discovery/keys`)),
    );
    expect(payload.sub).toBe(String(bo.id));
  });
});

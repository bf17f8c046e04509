import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type FacebookEmulator,
  type FacebookEmulatorOptions,
  startFacebookEmulator,
} from './facebook';
import { decideOnPage } from './oauth-emulator-test-kit';
import { facebookPersonaAccount, personas } from './personas';

const redirectUri = 'http://127.0.0.1:3001/callback/facebook';
let emulator: FacebookEmulator | undefined;

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const start = async (options: FacebookEmulatorOptions = {}) => {
  emulator = await startFacebookEmulator(options);
  return emulator;
};

const authorizationUrl = (facebook: FacebookEmulator, scope = 'email,public_profile') => {
  const url = new URL(facebook.authorizationEndpoint);
  url.search = new URLSearchParams({
    client_id: facebook.app.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope,
    state: 'state-1',
  }).toString();
  return url;
};

/** The official connector's exchange: a GET with the parameters in the query. */
const exchangeByGet = (facebook: FacebookEmulator, code: string) => {
  const url = new URL(facebook.tokenEndpoint);
  url.search = new URLSearchParams({
    client_id: facebook.app.clientId,
    client_secret: facebook.app.clientSecret,
    redirect_uri: redirectUri,
    code,
  }).toString();
  return fetch(url);
};

const codeOf = async (facebook: FacebookEmulator, scope?: string) => {
  const redirect = await fetch(authorizationUrl(facebook, scope), { redirect: 'manual' });
  return new URL(redirect.headers.get('location')!).searchParams.get('code')!;
};

const me = (facebook: FacebookEmulator, token: string, query: Record<string, string> = {}) => {
  const url = new URL(facebook.meEndpoint);
  url.search = new URLSearchParams({ fields: 'id,name,email,picture', ...query }).toString();
  return fetch(url, { headers: { authorization: `Bearer ${token}` } });
};

const proof = (facebook: FacebookEmulator, token: string) =>
  createHmac('sha256', facebook.app.clientSecret).update(token).digest('hex');

describe('Facebook emulator', () => {
  it('runs the login dialog and the code exchange (GET, as the official connector sends it) to /me', async () => {
    const facebook = await start();
    const callback = await decideOnPage(authorizationUrl(facebook), 'allow');
    const answer = await exchangeByGet(facebook, callback.searchParams.get('code')!);
    expect(answer.status).toBe(200);
    const { access_token } = (await answer.json()) as { access_token: string };
    const profile = await me(facebook, access_token);
    expect(await profile.json()).toEqual({
      id: facebook.user.id,
      name: facebook.user.name,
      email: facebook.user.email,
      picture: { data: expect.objectContaining({ url: facebook.user.pictureUrl }) },
    });
  });

  it('answers a used code with subcode 36009 and an unknown one with code 100', async () => {
    const facebook = await start({ autoApprove: true });
    const code = await codeOf(facebook);
    expect((await exchangeByGet(facebook, code)).status).toBe(200);
    const used = await exchangeByGet(facebook, code);
    expect(await used.json()).toMatchObject({
      error: { code: 100, error_subcode: 36009, type: 'OAuthException' },
    });
    const unknown = await exchangeByGet(facebook, 'nope');
    expect(await unknown.json()).toMatchObject({ error: { code: 100 } });
  });

  it('leaves out email without the email permission, and returns only the fields asked for', async () => {
    const facebook = await start();
    const token = facebook.issueAccessToken(['public_profile']);
    expect(await (await me(facebook, token)).json()).not.toHaveProperty('email');
    expect(await (await me(facebook, token, { fields: 'id' })).json()).toEqual({
      id: facebook.user.id,
    });
  });

  it('answers 190 for an unknown token', async () => {
    const facebook = await start();
    const answer = await me(facebook, 'EAAnot-a-token');
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: { code: 190, type: 'OAuthException' } });
  });

  it('checks appsecret_proof: a wrong one always fails, none fails only when the app requires it', async () => {
    const relaxed = await start();
    const token = relaxed.issueAccessToken(['email']);
    expect((await me(relaxed, token)).status).toBe(200);
    expect((await me(relaxed, token, { appsecret_proof: proof(relaxed, token) })).status).toBe(200);
    const wrong = await me(relaxed, token, { appsecret_proof: 'f'.repeat(64) });
    expect(await wrong.json()).toMatchObject({
      error: { code: 100, message: expect.stringContaining('Invalid appsecret_proof') },
    });
    await relaxed.stop();

    const strict = await start({ requireAppSecretProof: true });
    const strictToken = strict.issueAccessToken(['email']);
    const missing = await me(strict, strictToken);
    expect(await missing.json()).toMatchObject({
      error: { code: 100, message: expect.stringContaining('require an appsecret_proof') },
    });
    expect(
      (await me(strict, strictToken, { appsecret_proof: proof(strict, strictToken) })).status,
    ).toBe(200);
  });

  it('exchanges a token for a long-lived one with fb_exchange_token', async () => {
    const facebook = await start();
    const token = facebook.issueAccessToken(['email']);
    const url = new URL(facebook.tokenEndpoint);
    url.search = new URLSearchParams({
      grant_type: 'fb_exchange_token',
      client_id: facebook.app.clientId,
      client_secret: facebook.app.clientSecret,
      fb_exchange_token: token,
    }).toString();
    const answer = (await (await fetch(url)).json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ token_type: 'bearer', expires_in: 5183944 });
    expect((await me(facebook, answer.access_token as string)).status).toBe(200);
  });

  it('answers a rate limit code when asked to, once', async () => {
    const facebook = await start();
    facebook.rateLimitNext(4);
    const token = facebook.issueAccessToken(['email']);
    expect(await (await me(facebook, token)).json()).toMatchObject({ error: { code: 4 } });
    expect((await me(facebook, token)).status).toBe(200);
  });
});

describe('Facebook emulator personas', () => {
  it('gives no email for the unverified, private and phone personas, and a unicode name', async () => {
    const facebook = await start({ otherAccounts: personas.map(facebookPersonaAccount) });
    for (const persona of personas) {
      const person = facebookPersonaAccount(persona).user;
      const callback = await decideOnPage(authorizationUrl(facebook), { account: person.id });
      const tokens = (await (
        await exchangeByGet(facebook, callback.searchParams.get('code')!)
      ).json()) as Record<string, string>;
      const profile = (await (
        await me(facebook, tokens.access_token!, { fields: 'id,name,email' })
      ).json()) as Record<string, unknown>;
      expect(profile.id).toBe(person.id);
      expect(profile.name).toBe(persona.name);
      expect(profile.email).toBe(
        ['bo', 'chen', 'dana'].includes(persona.key) ? undefined : persona.email?.address,
      );
    }
  });
});

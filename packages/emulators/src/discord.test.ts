import { afterEach, describe, expect, it } from 'vitest';
import { type DiscordEmulator, type DiscordEmulatorOptions, startDiscordEmulator } from './discord';
import { decideOnPage } from './oauth-emulator-test-kit';
import { discordPersonaAccount, personas } from './personas';

const redirectUri = 'http://127.0.0.1:3001/callback/discord';
let emulator: DiscordEmulator | undefined;

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const start = async (options: DiscordEmulatorOptions = {}) => {
  emulator = await startDiscordEmulator(options);
  return emulator;
};

const authorizationUrl = (discord: DiscordEmulator, scope = 'identify email') => {
  const url = new URL(discord.authorizationEndpoint);
  url.search = new URLSearchParams({
    client_id: discord.app.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope,
    state: 'state-1',
  }).toString();
  return url;
};

const exchange = (discord: DiscordEmulator, code: string) =>
  fetch(discord.tokenEndpoint, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: discord.app.clientId,
      client_secret: discord.app.clientSecret,
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
    }),
  });

const get = (url: string, accessToken: string) =>
  fetch(url, { headers: { authorization: `Bearer ${accessToken}` } });

describe('Discord emulator', () => {
  it('runs the code flow through the authorization page to /users/@me', async () => {
    const discord = await start();
    const callback = await decideOnPage(authorizationUrl(discord), 'allow');
    expect(callback.searchParams.get('state')).toBe('state-1');
    const token = await exchange(discord, callback.searchParams.get('code')!);
    expect(token.status).toBe(200);
    const tokens = (await token.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ token_type: 'Bearer', scope: 'identify email' });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const me = await get(discord.userEndpoint, tokens.access_token as string);
    expect(await me.json()).toMatchObject({
      id: discord.user.id,
      username: discord.user.username,
      email: discord.user.email,
      verified: true,
    });
  });

  it('sends the user back with access_denied when they cancel', async () => {
    const discord = await start();
    const callback = await decideOnPage(authorizationUrl(discord), 'deny');
    expect(callback.searchParams.get('error')).toBe('access_denied');
  });

  it('accepts a code once, answering invalid_grant the second time', async () => {
    const discord = await start({ autoApprove: true });
    const page = await fetch(authorizationUrl(discord), { redirect: 'manual' });
    const code = new URL(page.headers.get('location')!).searchParams.get('code')!;
    expect((await exchange(discord, code)).status).toBe(200);
    const again = await exchange(discord, code);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('leaves email and verified out without the email scope, and lists guilds only under guilds', async () => {
    const discord = await start();
    const identifyOnly = discord.issueAccessToken(['identify']);
    const me = (await (await get(discord.userEndpoint, identifyOnly)).json()) as object;
    expect(me).not.toHaveProperty('email');
    expect(me).not.toHaveProperty('verified');
    expect((await get(discord.guildsEndpoint, identifyOnly)).status).toBe(401);
    const withGuilds = discord.issueAccessToken(['identify', 'guilds']);
    const guilds = await get(discord.guildsEndpoint, withGuilds);
    expect(await guilds.json()).toEqual([expect.objectContaining({ id: '613425648685547541' })]);
  });

  it('answers an unknown token with 401 in Discord’s { message, code } format', async () => {
    const discord = await start();
    const me = await get(discord.userEndpoint, 'not-a-token');
    expect(me.status).toBe(401);
    expect(await me.json()).toEqual({ message: '401: Unauthorized', code: 0 });
  });

  it('answers a 429 with a fractional retry_after and the X-RateLimit headers when asked to', async () => {
    const discord = await start();
    discord.rateLimitNext(2.5);
    const limited = await get(discord.userEndpoint, discord.issueAccessToken(['identify']));
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ retry_after: 2.5, global: false });
    expect(limited.headers.get('x-ratelimit-reset-after')).toBe('2.5');
    expect(limited.headers.get('retry-after')).toBe('3');
    const next = await get(discord.userEndpoint, discord.issueAccessToken(['identify']));
    expect(next.status).toBe(200);
  });

  it('refuses wrong client credentials with 401 invalid_client', async () => {
    const discord = await start();
    const answer = await fetch(discord.tokenEndpoint, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: discord.app.clientId,
        client_secret: 'wrong',
        code: 'x',
      }),
    });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ error: 'invalid_client' });
  });
});

describe('Discord emulator personas', () => {
  const personaUser = (key: string) =>
    discordPersonaAccount(personas.find((persona) => persona.key === key)!).user;
  const signInAs = async (discord: DiscordEmulator, account: string) => {
    const callback = await decideOnPage(authorizationUrl(discord), { account });
    const tokens = (await (
      await exchange(discord, callback.searchParams.get('code')!)
    ).json()) as Record<string, string>;
    return (await get(discord.userEndpoint, tokens.access_token!)).json();
  };

  it('signs in as the unverified persona (verified false) and the phone persona (no email)', async () => {
    const discord = await start({ otherAccounts: personas.map(discordPersonaAccount) });
    const page = await (await fetch(authorizationUrl(discord))).text();
    expect(page).toContain('Sign in as Bo Tanaka — unverified email');
    const bo = personaUser('bo');
    expect(await signInAs(discord, bo.id)).toMatchObject({
      id: bo.id,
      email: 'bo.tanaka@example.net',
      verified: false,
    });
    expect(await signInAs(discord, personaUser('dana').id)).toMatchObject({ email: null });
  });

  it('refuses an account that is not offered', async () => {
    const discord = await start();
    await expect(decideOnPage(authorizationUrl(discord), { account: '123' })).rejects.toThrow(
      /answered 400/,
    );
  });
});

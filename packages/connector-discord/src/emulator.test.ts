import { type DiscordEmulator, startDiscordEmulator } from '@idplug/emulators';
import { startSocialSignIn } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { configureDiscordConnector } from './index';

/** The whole flow against the Discord emulator (real loopback HTTP, no msw): the playground's wiring. */

const redirectUri = 'http://127.0.0.1:3001/callback/discord-universal';
let emulator: DiscordEmulator | undefined;

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const connectorFor = async (config: Record<string, unknown> = {}) => {
  emulator = await startDiscordEmulator({ autoApprove: true });
  const discord = emulator;
  const connector = (await configureDiscordConnector(discord.connectorOptions)({
    getConfig: async () => ({ ...discord.config, ...config }),
  })) as SocialConnector;
  return { discord, connector };
};

/** Follows the authorization URL (auto-approved) and hands the callback query to the connector. */
const signIn = async (connector: SocialConnector) => {
  const { url, session } = await startSocialSignIn(connector, { redirectUri });
  const answer = await fetch(url, { redirect: 'manual' });
  const callback = new URL(answer.headers.get('location')!);
  return connector.getUserInfo(Object.fromEntries(callback.searchParams), session.getSession);
};

describe('Discord connector against the Discord emulator', () => {
  it('signs in with the verified email, in the same two API requests as the official connector', async () => {
    const { discord, connector } = await connectorFor();
    const user = await signIn(connector);
    expect(user).toMatchObject({
      id: discord.user.id,
      name: discord.user.username,
      email: discord.user.email,
    });
    expect(discord.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /oauth2/authorize',
      'POST /api/v10/oauth2/token',
      'GET /api/v10/users/@me',
    ]);
  });

  it('reads the guild ids with the guilds scope', async () => {
    const { connector } = await connectorFor({ scope: 'identify email guilds' });
    expect((await signIn(connector)).rawData).toMatchObject({ guildIds: ['613425648685547541'] });
  });

  it('reports the emulator’s 429 as rate_limit_exceeded with the wait rounded up', async () => {
    const { discord, connector } = await connectorFor();
    discord.rateLimitNext(30.2);
    await expect(signIn(connector)).rejects.toMatchObject({
      code: 'rate_limit_exceeded',
      data: expect.objectContaining({ retryAfter: 31 }),
    });
  });
});

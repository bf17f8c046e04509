/**
 * A Discord emulator on loopback: the OAuth 2.0 pages and token endpoint of the shared skeleton
 * (oauth-app-emulator.ts) at Discord's paths, and the two API v10 routes a sign-in reads,
 * answering as https://discord.com/developers/docs documents: `/users/@me` (with `email` and
 * `verified` only under the `email` scope), `/users/@me/guilds` (under `guilds`), errors as
 * `{ message, code }`, and 429s with `retry_after` in fractional seconds and `X-RateLimit-*`.
 */
import { sendJson } from './emulator-http';
import {
  emulatorAccountsOf,
  type OAuthEmulator,
  type OAuthEmulatorAccount,
  type OAuthEmulatorApp,
  sendStandardTokenError,
  startOAuthEmulator,
} from './oauth-app-emulator';

export type DiscordEmulatorUser = {
  id: string;
  username: string;
  discriminator: string;
  global_name: string | null;
  avatar: string | null;
  email: string | null;
  verified: boolean;
};

export type DiscordEmulatorOptions = {
  app?: Partial<OAuthEmulatorApp>;
  user?: DiscordEmulatorUser;
  /** More users to sign in as (personas.ts), beside the default one. @default [] */
  otherAccounts?: OAuthEmulatorAccount<DiscordEmulatorUser>[];
  guilds?: { id: string; name: string }[];
  autoApprove?: boolean;
  port?: number;
};

export type DiscordEmulator = OAuthEmulator & {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userEndpoint: string;
  guildsEndpoint: string;
  user: DiscordEmulatorUser;
  /** The next API call answers 429 with this `retry_after` (seconds, fractional). */
  rateLimitNext: (retryAfterSeconds: number) => void;
  /** `configureDiscordConnector(connectorOptions)` reaches this emulator. */
  connectorOptions: { endpoints: Record<string, string> };
  /** A ready connector config for this emulator's application. */
  config: { clientId: string; clientSecret: string };
};

export const defaultDiscordEmulatorApp: OAuthEmulatorApp = {
  clientId: '1100000000000000001',
  clientSecret: 'emulator-discord-client-secret-0123456789',
  name: 'idplug playground',
};

export const defaultDiscordEmulatorUser: DiscordEmulatorUser = {
  id: '80351110224678912',
  username: 'nelly',
  discriminator: '0',
  global_name: 'Nelly',
  avatar: '8342729096ea3675442027381ff50dfe',
  email: 'nelly@discord.example',
  verified: true,
};

const unauthorized = { message: '401: Unauthorized', code: 0 };

export const startDiscordEmulator = async (
  options: DiscordEmulatorOptions = {},
): Promise<DiscordEmulator> => {
  const user = options.user ?? defaultDiscordEmulatorUser;
  const accounts = emulatorAccountsOf(user, options.otherAccounts, (other) => other.id);
  const guilds = options.guilds ?? [{ id: '613425648685547541', name: 'idplug testers' }];
  let rateLimited: number | undefined;
  const answerRateLimit = (response: Parameters<typeof sendJson>[0]): boolean => {
    if (rateLimited === undefined) {
      return false;
    }
    const retryAfter = rateLimited;
    rateLimited = undefined;
    sendJson(
      response,
      429,
      { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
      {
        'retry-after': String(Math.ceil(retryAfter)),
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Date.now() / 1000 + retryAfter),
        'x-ratelimit-reset-after': String(retryAfter),
        'x-ratelimit-scope': 'user',
      },
    );
    return true;
  };

  const emulator = await startOAuthEmulator({
    name: 'Discord emulator',
    app: { ...defaultDiscordEmulatorApp, ...options.app },
    accountLabel: `${user.username} (${user.global_name ?? user.username})`,
    otherAccounts: accounts.pageAccounts,
    authorizePath: '/oauth2/authorize',
    tokenPath: '/api/v10/oauth2/token',
    refreshTokens: true,
    accessTokenTtl: 604_800,
    ...(options.autoApprove !== undefined && { autoApprove: options.autoApprove }),
    ...(options.port !== undefined && { port: options.port }),
    tokenError: sendStandardTokenError,
    routes: [
      {
        method: 'GET',
        path: '/api/v10/users/@me',
        handle: ({ response, token }) => {
          if (answerRateLimit(response)) {
            return;
          }
          if (!token?.scopes.includes('identify')) {
            return sendJson(response, 401, unauthorized);
          }
          const { email, verified, ...identity } = accounts.userOf(token);
          sendJson(response, 200, {
            ...identity,
            public_flags: 0,
            flags: 0,
            ...(token.scopes.includes('email') && { email, verified }),
          });
        },
      },
      {
        method: 'GET',
        path: '/api/v10/users/@me/guilds',
        handle: ({ response, token }) => {
          if (answerRateLimit(response)) {
            return;
          }
          if (!token?.scopes.includes('guilds')) {
            return sendJson(response, 401, unauthorized);
          }
          sendJson(
            response,
            200,
            guilds.map((guild) => ({ ...guild, icon: null, owner: false, permissions: '0' })),
          );
        },
      },
    ],
    notFound: (response) => sendJson(response, 404, { message: '404: Not Found', code: 0 }),
  });

  const endpoints = {
    authorizationEndpoint: `${emulator.baseUrl}/oauth2/authorize`,
    tokenEndpoint: `${emulator.baseUrl}/api/v10/oauth2/token`,
    userEndpoint: `${emulator.baseUrl}/api/v10/users/@me`,
    guildsEndpoint: `${emulator.baseUrl}/api/v10/users/@me/guilds`,
  };
  return Object.assign(emulator, {
    ...endpoints,
    user,
    rateLimitNext: (retryAfterSeconds: number) => {
      rateLimited = retryAfterSeconds;
    },
    connectorOptions: { endpoints },
    config: { clientId: emulator.app.clientId, clientSecret: emulator.app.clientSecret },
  });
};

/**
 * A Twitch-like provider on loopback, for the request-shaping quirk: the OAuth 2.0 pages and token
 * endpoint of the shared skeleton (oauth-app-emulator.ts) at Twitch's paths, and the Helix
 * `GET /helix/users` route, which (as https://dev.twitch.tv/docs/api/reference/#get-users
 * documents) wants the app's `Client-Id` header beside the bearer token and answers 401 without
 * it. The user comes back as the first item of a `data` array, and `email` only under the
 * `user:read:email` scope.
 */
import { sendJson } from './emulator-http';
import {
  type OAuthEmulator,
  type OAuthEmulatorApp,
  startOAuthEmulator,
} from './oauth-app-emulator';

export type TwitchEmulatorUser = {
  id: string;
  login: string;
  display_name: string;
  email: string;
  profile_image_url: string;
};

export type TwitchEmulatorOptions = {
  app?: Partial<OAuthEmulatorApp>;
  user?: TwitchEmulatorUser;
  /** @default true */
  autoApprove?: boolean;
  port?: number;
};

export type TwitchEmulator = OAuthEmulator & {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  usersEndpoint: string;
  user: TwitchEmulatorUser;
};

export const defaultTwitchEmulatorApp: OAuthEmulatorApp = {
  clientId: 'twitchemulatorclientid0123456',
  clientSecret: 'twitch-emulator-client-secret-0123456789',
  name: 'idplug playground',
};

export const defaultTwitchEmulatorUser: TwitchEmulatorUser = {
  id: '141981764',
  login: 'twitchdev',
  display_name: 'TwitchDev',
  email: 'twitchdev@twitch.example',
  profile_image_url: 'https://static-cdn.twitch.example/profile_image-300x300.png',
};

export const startTwitchEmulator = async (
  options: TwitchEmulatorOptions = {},
): Promise<TwitchEmulator> => {
  const user = options.user ?? defaultTwitchEmulatorUser;
  const app = { ...defaultTwitchEmulatorApp, ...options.app };
  const emulator = await startOAuthEmulator({
    name: 'Twitch emulator',
    app,
    accountLabel: `${user.display_name} (${user.login})`,
    authorizePath: '/oauth2/authorize',
    tokenPath: '/oauth2/token',
    refreshTokens: true,
    autoApprove: options.autoApprove ?? true,
    ...(options.port !== undefined && { port: options.port }),
    tokenError: (response, error, description) =>
      sendJson(response, 400, { status: 400, message: `${error}: ${description}` }),
    routes: [
      {
        method: 'GET',
        path: '/helix/users',
        handle: ({ request, response, token }) => {
          if (request.headers['client-id'] !== app.clientId) {
            return sendJson(response, 401, {
              error: 'Unauthorized',
              status: 401,
              message: 'Client-Id header required',
            });
          }
          if (!token) {
            return sendJson(response, 401, {
              error: 'Unauthorized',
              status: 401,
              message: 'Invalid OAuth token',
            });
          }
          const { email, ...identity } = user;
          sendJson(response, 200, {
            data: [
              {
                ...identity,
                type: '',
                broadcaster_type: 'partner',
                ...(token.scopes.includes('user:read:email') && { email }),
              },
            ],
          });
        },
      },
    ],
    notFound: (response) =>
      sendJson(response, 404, { error: 'Not Found', status: 404, message: 'Not Found' }),
  });
  return Object.assign(emulator, {
    authorizationEndpoint: `${emulator.baseUrl}/oauth2/authorize`,
    tokenEndpoint: `${emulator.baseUrl}/oauth2/token`,
    usersEndpoint: `${emulator.baseUrl}/helix/users`,
    user,
  });
};

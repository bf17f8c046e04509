/**
 * A provider whose profile API does not look like OIDC, for the claim-mapping quirk: the OAuth 2.0
 * pages and token endpoint of the shared skeleton (oauth-app-emulator.ts) and two profile APIs
 * that in-house and JSON:API-style providers answer with (Logto users wrote flattening proxies for
 * both):
 *
 * - `GET /api/v1/me`: the user nested as `{ data: { id, type, attributes: { email, ... } } }`,
 *   the verification flag the string `"true"`;
 * - `POST /api/v1/account`: no `id` but `user_id`, and the addresses as a list
 *   (`emails[0].value`), answered by POST only.
 */
import { sendJson } from './emulator-http';
import {
  type OAuthEmulator,
  type OAuthEmulatorApp,
  sendStandardTokenError,
  startOAuthEmulator,
} from './oauth-app-emulator';

export type NestedProfileEmulatorUser = {
  id: string;
  email: string;
  name: string;
  avatarUrl: string;
};

export type NestedProfileEmulatorOptions = {
  app?: Partial<OAuthEmulatorApp>;
  user?: NestedProfileEmulatorUser;
  /** @default true */
  autoApprove?: boolean;
  port?: number;
};

export type NestedProfileEmulator = OAuthEmulator & {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** `{ data: { id, attributes: { email } } }` by GET. */
  nestedProfileEndpoint: string;
  /** `{ user_id, emails: [{ value }] }` by POST only. */
  listProfileEndpoint: string;
  user: NestedProfileEmulatorUser;
};

export const defaultNestedProfileEmulatorApp: OAuthEmulatorApp = {
  clientId: 'nested-profile-client',
  clientSecret: 'nested-profile-client-secret-0123456789',
  name: 'idplug playground',
};

export const defaultNestedProfileEmulatorUser: NestedProfileEmulatorUser = {
  id: 'u-5580',
  email: 'nested@profile.example',
  name: 'Nesta Profile',
  avatarUrl: 'https://profile.example/avatars/5580.png',
};

const unauthorized = { errors: [{ status: '401', title: 'Unauthorized' }] };

export const startNestedProfileEmulator = async (
  options: NestedProfileEmulatorOptions = {},
): Promise<NestedProfileEmulator> => {
  const user = options.user ?? defaultNestedProfileEmulatorUser;
  const emulator = await startOAuthEmulator({
    name: 'Nested profile emulator',
    app: { ...defaultNestedProfileEmulatorApp, ...options.app },
    accountLabel: `${user.name} (${user.email})`,
    authorizePath: '/oauth/authorize',
    tokenPath: '/oauth/token',
    refreshTokens: false,
    autoApprove: options.autoApprove ?? true,
    ...(options.port !== undefined && { port: options.port }),
    tokenError: sendStandardTokenError,
    routes: [
      {
        method: 'GET',
        path: '/api/v1/me',
        handle: ({ response, token }) => {
          if (!token) {
            return sendJson(response, 401, unauthorized);
          }
          sendJson(response, 200, {
            data: {
              id: user.id,
              type: 'user',
              attributes: {
                email: user.email,
                email_verified: 'true',
                display_name: user.name,
                avatar: { url: user.avatarUrl },
              },
            },
          });
        },
      },
      {
        method: 'POST',
        path: '/api/v1/account',
        handle: ({ response, token }) => {
          if (!token) {
            return sendJson(response, 401, unauthorized);
          }
          sendJson(response, 200, {
            user_id: user.id,
            display_name: user.name,
            emails: [
              { value: user.email, primary: true, verified: true },
              { value: `old-${user.email}`, primary: false, verified: false },
            ],
            photos: [{ value: user.avatarUrl }],
          });
        },
      },
    ],
    notFound: (response) => sendJson(response, 404, { errors: [{ status: '404' }] }),
  });
  return Object.assign(emulator, {
    authorizationEndpoint: `${emulator.baseUrl}/oauth/authorize`,
    tokenEndpoint: `${emulator.baseUrl}/oauth/token`,
    nestedProfileEndpoint: `${emulator.baseUrl}/api/v1/me`,
    listProfileEndpoint: `${emulator.baseUrl}/api/v1/account`,
    user,
  });
};

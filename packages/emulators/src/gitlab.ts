/**
 * A GitLab emulator on loopback, shaped like a self-managed instance so the GitLab connector
 * reaches it through its `baseUrl` option, unchanged. On the shared OAuth skeleton
 * (oauth-app-emulator.ts) at GitLab's paths (`/oauth/authorize`, `/oauth/token`, Doorkeeper's
 * `{ error, error_description }` answers), it adds what GitLab's OpenID Provider serves
 * (https://docs.gitlab.com/integration/openid_connect_provider/): discovery, the JWKS, an RS256
 * ID token under `openid` (with the nonce), `/oauth/userinfo` (`sub` the user id as a string,
 * `email` and `email_verified` under `email`, profile claims under `profile`), and the REST API's
 * `/api/v4/user` (under `read_user` or `api`). `oidc: false` is an instance without OIDC.
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
import { generateSigningKeys, signJwt } from './oidc-provider-signing-keys';

export type GitlabEmulatorUser = {
  id: number;
  username: string;
  name: string;
  email: string;
  /** `null` for an account whose email is not confirmed. */
  confirmed_at: string | null;
  avatar_url: string;
};

export type GitlabEmulatorOptions = {
  app?: Partial<OAuthEmulatorApp>;
  user?: GitlabEmulatorUser;
  /** More users to sign in as (personas.ts), beside the default one. @default [] */
  otherAccounts?: OAuthEmulatorAccount<GitlabEmulatorUser>[];
  /** Serve OIDC (discovery, JWKS, ID tokens). @default true */
  oidc?: boolean;
  autoApprove?: boolean;
  port?: number;
};

export type GitlabEmulator = OAuthEmulator & {
  /** The instance address: the connector's `baseUrl` and the OIDC issuer. */
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userInfoEndpoint: string;
  apiUserEndpoint: string;
  user: GitlabEmulatorUser;
  /** A ready connector config for this emulator's application. */
  config: { clientId: string; clientSecret: string; baseUrl: string; scope: string };
};

export const defaultGitlabEmulatorApp: OAuthEmulatorApp = {
  clientId: 'emulator-gitlab-application-id-0123456789abcdef',
  clientSecret: 'gloas-emulator-gitlab-secret-0123456789',
  name: 'idplug playground',
};

export const defaultGitlabEmulatorUser: GitlabEmulatorUser = {
  id: 8054123,
  username: 'ada.l',
  name: 'Ada Lovelace',
  email: 'ada@gitlab.example',
  confirmed_at: '2021-03-04T05:06:07.000Z',
  avatar_url: 'https://secure.gravatar.com/avatar/0000?s=80&d=identicon',
};

const apiUnauthorized = { message: '401 Unauthorized' };

export const startGitlabEmulator = async (
  options: GitlabEmulatorOptions = {},
): Promise<GitlabEmulator> => {
  const user = options.user ?? defaultGitlabEmulatorUser;
  const accounts = emulatorAccountsOf(user, options.otherAccounts, (other) => String(other.id));
  const oidc = options.oidc ?? true;
  const keys = await generateSigningKeys(1);
  const app = { ...defaultGitlabEmulatorApp, ...options.app };
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicKey } = keys.rsa;

  const userInfoClaims = (person: GitlabEmulatorUser, scopes: string[], baseUrl: string) => ({
    sub: String(person.id),
    sub_legacy: `legacy-${person.id}`,
    ...(scopes.includes('profile') && {
      name: person.name,
      nickname: person.username,
      preferred_username: person.username,
      profile: `${baseUrl}/${person.username}`,
      picture: person.avatar_url,
    }),
    ...(scopes.includes('email') && {
      email: person.email,
      email_verified: person.confirmed_at !== null,
    }),
    groups: [],
  });

  const emulator = await startOAuthEmulator({
    name: 'GitLab emulator',
    app,
    accountLabel: `${user.username} (${user.name})`,
    otherAccounts: accounts.pageAccounts,
    authorizePath: '/oauth/authorize',
    tokenPath: '/oauth/token',
    refreshTokens: true,
    accessTokenTtl: 7200,
    ...(options.autoApprove !== undefined && { autoApprove: options.autoApprove }),
    ...(options.port !== undefined && { port: options.port }),
    tokenError: sendStandardTokenError,
    tokenResponseExtras: async (token, baseUrl) => {
      if (!oidc || !token.scopes.includes('openid')) {
        return {};
      }
      const now = Math.floor(Date.now() / 1000);
      const person = accounts.userOf(token);
      const idToken = await signJwt(
        {
          iss: baseUrl,
          sub: String(person.id),
          aud: app.clientId,
          exp: now + 120,
          iat: now,
          auth_time: now,
          sub_legacy: `legacy-${person.id}`,
          ...(token.parameters.nonce && { nonce: token.parameters.nonce }),
        },
        keys,
        {},
      );
      return { id_token: idToken, created_at: now };
    },
    routes: [
      {
        method: 'GET',
        path: '/.well-known/openid-configuration',
        handle: ({ response, baseUrl }) => {
          if (!oidc) {
            return sendJson(response, 404, { message: '404 Not Found' });
          }
          sendJson(response, 200, {
            issuer: baseUrl,
            authorization_endpoint: `${baseUrl}/oauth/authorize`,
            token_endpoint: `${baseUrl}/oauth/token`,
            userinfo_endpoint: `${baseUrl}/oauth/userinfo`,
            jwks_uri: `${baseUrl}/oauth/discovery/keys`,
            scopes_supported: ['api', 'read_user', 'openid', 'profile', 'email'],
            response_types_supported: ['code'],
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: ['RS256'],
            code_challenge_methods_supported: ['plain', 'S256'],
            token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          });
        },
      },
      {
        method: 'GET',
        path: '/oauth/discovery/keys',
        handle: ({ response }) =>
          oidc
            ? sendJson(response, 200, { keys: [{ ...publicKey, alg: 'RS256' }] })
            : sendJson(response, 404, { message: '404 Not Found' }),
      },
      {
        method: 'GET',
        path: '/oauth/userinfo',
        handle: ({ response, token, baseUrl }) => {
          if (!oidc || !token?.scopes.includes('openid')) {
            return sendJson(
              response,
              401,
              { error: 'invalid_token', error_description: 'The access token is invalid' },
              { 'www-authenticate': 'Bearer realm="Doorkeeper", error="invalid_token"' },
            );
          }
          sendJson(response, 200, userInfoClaims(accounts.userOf(token), token.scopes, baseUrl));
        },
      },
      {
        method: 'GET',
        path: '/api/v4/user',
        handle: ({ response, token, baseUrl }) => {
          if (token === undefined) {
            return sendJson(response, 401, apiUnauthorized);
          }
          if (!token.scopes.some((scope) => scope === 'read_user' || scope === 'api')) {
            return sendJson(response, 403, {
              error: 'insufficient_scope',
              error_description:
                'The request requires higher privileges than provided by the access token.',
              scope: 'api read_user',
            });
          }
          const person = accounts.userOf(token);
          sendJson(response, 200, {
            ...person,
            state: 'active',
            web_url: `${baseUrl}/${person.username}`,
          });
        },
      },
    ],
    notFound: (response) => sendJson(response, 404, { message: '404 Not Found' }),
  });

  const { baseUrl } = emulator;
  return Object.assign(emulator, {
    issuer: baseUrl,
    authorizationEndpoint: `${baseUrl}/oauth/authorize`,
    tokenEndpoint: `${baseUrl}/oauth/token`,
    userInfoEndpoint: `${baseUrl}/oauth/userinfo`,
    apiUserEndpoint: `${baseUrl}/api/v4/user`,
    user,
    config: {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      baseUrl,
      scope: oidc ? 'openid profile email' : 'read_user',
    },
  });
};

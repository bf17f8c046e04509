import { clearDiscoveryCache, clearJwksCache } from '@idplug/base';
import { type ProviderMock, startSocialSignIn } from '@idplug/testing';
import type { SocialConnector } from '@logto/connector-kit';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { HttpResponse, http, type JsonBodyType } from 'msw';
import { gitlabEndpoints } from './constants';
import createGitlabConnector from './index';

/** msw answers at gitlab.com's real URLs, with an ID token signed for the sign-in's nonce. */

export const issuer = 'https://gitlab.com';
export const endpoints = gitlabEndpoints(issuer);
export const discoveryUrl = `${issuer}/.well-known/openid-configuration`;
export const jwksUri = `${issuer}/oauth/discovery/keys`;
export const config = {
  clientId: 'gitlab-application-id',
  clientSecret: 'gloas-gitlab-secret-1234',
};
export const redirectUri = 'https://logto.example.com/callback/gitlab';
export const accessToken = 'gitlab-access-token-value';
export const refreshToken = 'gitlab-refresh-token-value';

export const userInfo = {
  sub: '8054123',
  sub_legacy: 'legacy-8054123',
  name: 'Ada Lovelace',
  nickname: 'ada.l',
  preferred_username: 'ada.l',
  email: 'ada@example.com',
  email_verified: true,
  picture: 'https://secure.gravatar.com/avatar/0000',
  groups: [],
};

const signing = generateKeyPair('RS256');

export const discoveryHandlers = async () => {
  const { publicKey } = await signing;
  return [
    http.get(discoveryUrl, () =>
      HttpResponse.json({
        issuer,
        authorization_endpoint: endpoints.authorizationEndpoint,
        token_endpoint: endpoints.tokenEndpoint,
        userinfo_endpoint: endpoints.userInfoEndpoint,
        jwks_uri: jwksUri,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      }),
    ),
    http.get(jwksUri, async () =>
      HttpResponse.json({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] }),
    ),
  ];
};

export const signIdToken = async (claims: JWTPayload) =>
  new SignJWT({ iss: issuer, aud: config.clientId, sub: userInfo.sub, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuedAt()
    .setExpirationTime('2m')
    .sign((await signing).privateKey);

export const load = async (overrides: Record<string, unknown> = {}) =>
  (await createGitlabConnector({
    getConfig: async () => ({ ...config, ...overrides }),
  })) as SocialConnector;

export const resetCaches = () => {
  clearDiscoveryCache();
  clearJwksCache();
};

export type SignInAnswers = {
  /** Claims of the ID token on top of iss/aud/sub/nonce; `false`: no ID token at all. */
  idToken?: JWTPayload | false;
  userInfo?: JsonBodyType;
  /** @default 200 */
  userInfoStatus?: number;
  config?: Record<string, unknown>;
  code?: string;
};

/** Starts a sign-in, answers the token request with an ID token for its nonce, and completes it. */
export const signIn = async (mock: ProviderMock, answers: SignInAnswers = {}) => {
  const connector = await load(answers.config);
  const { session } = await startSocialSignIn(connector, { redirectUri });
  const nonce = session.current.nonce as string;
  mock.use(
    http.post(endpoints.tokenEndpoint, async () =>
      HttpResponse.json({
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: 7200,
        refresh_token: refreshToken,
        scope: 'openid profile email',
        created_at: 1_700_000_000,
        ...(answers.idToken !== false && {
          id_token: await signIdToken({ nonce, ...answers.idToken }),
        }),
      }),
    ),
    http.get(endpoints.userInfoEndpoint, () =>
      HttpResponse.json(answers.userInfo ?? userInfo, { status: answers.userInfoStatus ?? 200 }),
    ),
  );
  return connector.getUserInfo(
    { code: answers.code ?? 'good-code', state: 'state-1' },
    session.getSession,
  );
};

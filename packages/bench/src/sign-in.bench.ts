/**
 * Warm sign-in, side by side (issues 9, 14, 15): each idplug social connector (built, as Logto
 * loads it) and the official `@logto/connector-*` it replaces, on one warm process, against ONE
 * local HTTPS provider stub reached through a TCP proxy that adds 10 ms each way (a 20 ms round
 * trip, a provider in the same region; see provider-stub.ts for how every HTTPS connection, to
 * whatever host, is routed there). A sign-in is what Logto calls: the authorization URL, then the
 * callback (code exchange, ID token verification, profile request where the connector makes one).
 * For each it counts the HTTP requests the provider saw, the new TCP connections, and the wall
 * clock (the provider's own work between the two calls, e.g. Apple signing the ID token it posts
 * back, is not timed).
 *
 * One scenario per connector: its config, what Logto hands `getUserInfo` after the redirect, and
 * the provider's answers (the routes), each at the provider's real URLs.
 *
 *   pnpm --filter @idplug/bench bench:sign-in [--runs 30] [--warmup 3] [--only Apple,GitLab]
 *
 * A benchmark, not a test: numbers depend on the machine and its load.
 */

import { defaultDiscordEmulatorUser, defaultGitlabEmulatorUser } from '@idplug/emulators';
import createOfficialApple from '@logto/connector-apple';
import createOfficialAzureAd from '@logto/connector-azuread';
import createOfficialDiscord from '@logto/connector-discord';
import createOfficialFacebook from '@logto/connector-facebook';
import createOfficialGitlab from '@logto/connector-gitlab';
import createOfficialGoogle from '@logto/connector-google';
import type { SocialConnector } from '@logto/connector-kit';
import createOfficialOidc from '@logto/connector-oidc';
import { base64url, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
// The built packages, exactly as Logto loads them.
import createIdplugApple from '../../connector-apple/lib/index.js';
import createIdplugAzureAd from '../../connector-azuread/lib/index.js';
import createIdplugDiscord from '../../connector-discord/lib/index.js';
import createIdplugFacebook from '../../connector-facebook/lib/index.js';
import createIdplugGitlab from '../../connector-gitlab/lib/index.js';
import createIdplugGoogle from '../../connector-google/lib/index.js';
import createIdplugOidc from '../../connector-oidc/lib/index.js';
import { runSideBySidePart, type Scenario } from './side-by-side';

const clientId = 'bench-client';
const clientSecret = 'bench-client-secret';
const redirectUri = 'https://logto.bench.example/callback/bench';
const state = 'bench-state';

// One RS256 key signs every provider's ID tokens; each provider serves it at its own JWKS URL.
const { privateKey, publicKey } = await generateKeyPair('RS256');
const jwks = {
  keys: [{ ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'RS256', use: 'sig' }],
};
/** The nonce of the sign-in under way, as the provider learns it from the authorization URL. */
let nonce: string | undefined;

const idToken = (issuer: string, audience: string, claims: JWTPayload) =>
  new SignJWT({ ...claims, ...(nonce && { nonce }) })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench-1', typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);

const bearer = { access_token: 'bench-access-token', token_type: 'Bearer', expires_in: 3599 };

type SignInScenario = Scenario<SocialConnector> & {
  /** What Logto passes to getUserInfo after the redirect back (`redirectUri` added by Logto). */
  callbackData: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** The user id both connectors must return. */
  userId: string;
};

// --- OIDC and Google ---------------------------------------------------------------------------
const oidcIssuer = 'https://op.bench.example';
const googleProfile = {
  sub: '110169484474386276334',
  email: 'ada@example.com',
  email_verified: true,
  name: 'Ada Lovelace',
  given_name: 'Ada',
  family_name: 'Lovelace',
  picture: 'https://lh3.googleusercontent.com/a/ada',
  locale: 'en',
};
const googleClientId = 'bench-client.apps.googleusercontent.com';
const codeCallback = () => ({ code: 'bench-code', state, redirectUri });

// --- Microsoft Entra ID ------------------------------------------------------------------------
const tenant = 'aaaaaaaa-1111-4222-8333-bbbbbbbbbbbb';
const entraUser = {
  '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
  id: '48d31887-5fad-4d73-a9f5-3c356e68a038',
  displayName: 'Megan Bowen',
  mail: 'MeganB@contoso.example',
  userPrincipalName: 'MeganB@contoso.example',
  mobilePhone: null,
};

// --- Discord and GitLab: the emulators' default users -------------------------------------------
const gitlabUser = defaultGitlabEmulatorUser;

// --- Apple -------------------------------------------------------------------------------------
const appleClientId = 'com.example.web';
const appleSubject = '001234.aaaa.0001';

const scenarios: SignInScenario[] = [
  {
    name: 'OIDC',
    idplug: createIdplugOidc,
    official: createOfficialOidc,
    config: {
      authorizationEndpoint: `${oidcIssuer}/authorize`,
      tokenEndpoint: `${oidcIssuer}/token`,
      clientId: googleClientId,
      clientSecret,
      scope: 'openid profile email',
      tokenEndpointAuthMethod: 'client_secret_post',
      idTokenVerificationConfig: { jwksUri: `${oidcIssuer}/jwks`, issuer: oidcIssuer },
    },
    callbackData: codeCallback,
    userId: googleProfile.sub,
    routes: [
      {
        method: 'POST',
        url: /^op\.bench\.example\/token$/,
        answer: async () => ({
          json: {
            ...bearer,
            id_token: await idToken(oidcIssuer, googleClientId, googleProfile),
          },
        }),
      },
      { method: 'GET', url: /^op\.bench\.example\/jwks$/, answer: () => ({ json: jwks }) },
      {
        method: 'GET',
        url: /^op\.bench\.example\/userinfo$/,
        answer: () => ({ json: googleProfile }),
      },
    ],
  },
  {
    name: 'Google',
    idplug: createIdplugGoogle,
    official: createOfficialGoogle,
    config: { clientId: googleClientId, clientSecret, scope: 'openid profile email' },
    callbackData: codeCallback,
    userId: googleProfile.sub,
    routes: [
      {
        method: 'POST',
        url: /^oauth2\.googleapis\.com\/token$/,
        answer: async () => ({
          json: {
            ...bearer,
            scope:
              'openid https://www.googleapis.com/auth/userinfo.profile https://www.googleapis.com/auth/userinfo.email',
            id_token: await idToken('https://accounts.google.com', googleClientId, {
              ...googleProfile,
              azp: googleClientId,
            }),
          },
        }),
      },
      {
        method: 'GET',
        url: /^www\.googleapis\.com\/oauth2\/v3\/certs$/,
        answer: () => ({ json: jwks }),
      },
      {
        // The official connector POSTs it, ours GETs it; both are allowed (OIDC Core §5.3.1).
        url: /^(openidconnect\.googleapis\.com\/v1|www\.googleapis\.com\/oauth2\/v3)\/userinfo$/,
        answer: () => ({ json: googleProfile }),
      },
    ],
  },
  {
    name: 'Microsoft Entra ID',
    idplug: createIdplugAzureAd,
    official: createOfficialAzureAd,
    config: {
      clientId,
      clientSecret,
      cloudInstance: 'https://login.microsoftonline.com',
      tenantId: tenant,
      scopes: 'email',
    },
    callbackData: codeCallback,
    userId: entraUser.id,
    routes: [
      // msal-node knows login.microsoftonline.com's metadata: it posts the code straight to the
      // tenant's token endpoint with `client_info=1` and reads `client_info` back.
      {
        method: 'POST',
        url: /^login\.microsoftonline\.com\/[^/]+\/oauth2\/v2\.0\/token$/,
        answer: async () => ({
          json: {
            ...bearer,
            scope: 'User.Read openid profile email',
            ext_expires_in: 3599,
            refresh_token: 'bench-refresh-token',
            id_token: await idToken(`https://login.microsoftonline.com/${tenant}/v2.0`, clientId, {
              ver: '2.0',
              tid: tenant,
              oid: entraUser.id,
              sub: 'pairwise-subject',
              name: entraUser.displayName,
              preferred_username: entraUser.userPrincipalName,
            }),
            client_info: base64url.encode(JSON.stringify({ uid: entraUser.id, utid: tenant })),
          },
        }),
      },
      {
        method: 'GET',
        url: /^login\.microsoftonline\.com\/[^/]+\/discovery\/v2\.0\/keys$/,
        answer: () => ({ json: jwks }),
      },
      {
        method: 'GET',
        url: /^graph\.microsoft\.com\/v1\.0\/me$/,
        answer: () => ({ json: entraUser }),
      },
    ],
  },
  {
    // Apple posts the ID token with the callback (response_mode=form_post); the official
    // connector's config only verifies it, so that is the mode both run here.
    name: 'Apple',
    idplug: createIdplugApple,
    official: createOfficialApple,
    config: { clientId: appleClientId, scope: 'name email' },
    callbackData: async () => ({
      code: 'c0de.0.apple',
      state,
      redirectUri,
      id_token: await idToken('https://appleid.apple.com', appleClientId, {
        sub: appleSubject,
        email: 'ada@example.com',
        email_verified: true,
        nonce_supported: true,
      }),
    }),
    userId: appleSubject,
    routes: [
      { method: 'GET', url: /^appleid\.apple\.com\/auth\/keys$/, answer: () => ({ json: jwks }) },
    ],
  },
  {
    name: 'Facebook',
    idplug: createIdplugFacebook,
    official: createOfficialFacebook,
    config: { clientId: '1234567890', clientSecret },
    callbackData: codeCallback,
    userId: '10158849236012345',
    routes: [
      ...(['GET', 'POST'] as const).map((method) => ({
        method,
        url: /^graph\.facebook\.com\/v[\d.]+\/oauth\/access_token$/,
        answer: () => ({ json: { ...bearer, token_type: 'bearer', expires_in: 5183 } }),
      })),
      {
        method: 'GET',
        url: /^graph\.facebook\.com\/v[\d.]+\/me$/,
        answer: () => ({
          json: {
            id: '10158849236012345',
            name: 'Ada Lovelace',
            email: 'ada@example.com',
            picture: {
              data: {
                height: 50,
                is_silhouette: false,
                url: 'https://lookaside.example/p.jpg',
                width: 50,
              },
            },
          },
        }),
      },
    ],
  },
  {
    name: 'Discord',
    idplug: createIdplugDiscord,
    official: createOfficialDiscord,
    config: { clientId: '1100000000000000001', clientSecret },
    callbackData: codeCallback,
    userId: defaultDiscordEmulatorUser.id,
    routes: [
      {
        method: 'POST',
        url: /^discord\.com\/api(\/v10)?\/oauth2\/token$/,
        answer: () => ({
          json: { ...bearer, refresh_token: 'bench-refresh-token', scope: 'identify email' },
        }),
      },
      {
        method: 'GET',
        url: /^discord\.com\/api(\/v10)?\/users\/@me$/,
        answer: () => ({ json: defaultDiscordEmulatorUser }),
      },
    ],
  },
  {
    name: 'GitLab',
    idplug: createIdplugGitlab,
    official: createOfficialGitlab,
    config: { clientId: 'bench-gitlab-app', clientSecret },
    callbackData: codeCallback,
    userId: String(gitlabUser.id),
    routes: [
      {
        method: 'GET',
        url: /^gitlab\.com\/\.well-known\/openid-configuration$/,
        answer: () => ({
          json: {
            issuer: 'https://gitlab.com',
            authorization_endpoint: 'https://gitlab.com/oauth/authorize',
            token_endpoint: 'https://gitlab.com/oauth/token',
            userinfo_endpoint: 'https://gitlab.com/oauth/userinfo',
            jwks_uri: 'https://gitlab.com/oauth/discovery/keys',
          },
        }),
      },
      {
        method: 'GET',
        url: /^gitlab\.com\/oauth\/discovery\/keys$/,
        answer: () => ({ json: jwks }),
      },
      {
        method: 'POST',
        url: /^gitlab\.com\/oauth\/token$/,
        answer: async () => ({
          json: {
            ...bearer,
            refresh_token: 'bench-refresh-token',
            scope: 'openid profile email',
            id_token: await idToken('https://gitlab.com', 'bench-gitlab-app', {
              sub: String(gitlabUser.id),
            }),
          },
        }),
      },
      {
        method: 'GET',
        url: /^gitlab\.com\/oauth\/userinfo$/,
        // GitLab's OIDC userinfo for its REST user (the emulator's default one).
        answer: () => ({
          json: {
            sub: String(gitlabUser.id),
            name: gitlabUser.name,
            nickname: gitlabUser.username,
            email: gitlabUser.email,
            email_verified: gitlabUser.confirmed_at !== null,
            picture: gitlabUser.avatar_url,
            groups: [],
          },
        }),
      },
    ],
  },
];

await runSideBySidePart<SocialConnector, SignInScenario>({
  part: 'sign-in',
  operation: 'sign-in',
  scenarios,
  operate: async (scenario, connector, side) => {
    let session: Record<string, unknown> = {};
    const started = performance.now();
    const url = await connector.getAuthorizationUri(
      {
        state,
        redirectUri,
        connectorId: 'bench',
        connectorFactoryId: 'bench',
        jti: 'bench-jti',
        headers: {},
      },
      async (value) => {
        session = { ...value };
      },
    );
    const authorizationMs = performance.now() - started;
    // The provider would put this nonce in the ID token (the stub learns it from the URL).
    nonce = new URL(url).searchParams.get('nonce') ?? undefined;
    const data = await scenario.callbackData();
    const callbackStarted = performance.now();
    const user = await connector.getUserInfo(data, async () => session);
    const ms = authorizationMs + performance.now() - callbackStarted;
    if (user.id !== scenario.userId) {
      throw new Error(`${side} ${scenario.name} signed in as ${user.id}`);
    }
    return ms;
  },
  method: ({ runs, warmup }) =>
    `median of ${runs} sign-ins per connector on one warm process (after ${warmup} warm-up sign-ins), alternating order; one local HTTPS stub answering at each provider's real URLs behind a TCP proxy adding 10 ms each way, every HTTPS connection of the process routed to it (fetch and node:https alike); Apple in the official connector's mode (the ID token posted back, verified)`,
});

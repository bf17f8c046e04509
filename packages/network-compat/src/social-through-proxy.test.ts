import { configureDiscordConnector } from '@idplug/connector-discord';
import createOAuth2Connector from '@idplug/connector-oauth2';
import createOidcConnector from '@idplug/connector-oidc';
import {
  createOAuthBrowser,
  type DiscordEmulator,
  type OidcEmulator,
  startDiscordEmulator,
  startOidcEmulator,
} from '@idplug/emulators';
import { startSocialSignIn } from '@idplug/testing';
import type { CreateConnector, SocialConnector } from '@logto/connector-kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CountingProxy, saveProxyEnvironment, startCountingProxy } from './counting-proxy';

/**
 * Social connectors signing in against their emulators through a real proxy: every request the
 * connector makes (discovery, token, key set, user info) must be one the proxy carried. The
 * browser's part (the authorization page) is not the connector's and goes direct.
 */

const redirectUri = 'http://127.0.0.1/callback/social';
const oidcClient = {
  clientId: 'proxy-oidc',
  clientSecret: 'proxy-oidc-secret-of-at-least-32-characters',
};
const oauth2Client = {
  clientId: 'proxy-oauth2',
  clientSecret: 'proxy-oauth2-secret-of-at-least-32-characters',
};

let proxy: CountingProxy;
let oidc: OidcEmulator;
let discord: DiscordEmulator;
/** Where the Discord emulator's request log stood when the current sign-in began. */
let discordRequestsBefore = 0;

type SocialScenario = {
  name: string;
  create: CreateConnector<SocialConnector>;
  config: () => Record<string, unknown>;
  /** The browser's part: from the authorization URL to the callback query. */
  authorize: (url: URL) => Promise<Record<string, string>>;
  /** `METHOD path` of every request the connector itself makes during one sign-in. */
  connectorRequests: () => string[];
};

/** `host:port/path` of a URL, as the proxy records it. */
const hostPath = (url: string) => `${new URL(url).host}${new URL(url).pathname}`;

const throughOidcBrowser = async (url: URL) =>
  (await createOAuthBrowser().authorize(url, { accountId: 'user-alice' })).params;

const scenarios: SocialScenario[] = [
  {
    name: 'oidc',
    create: createOidcConnector as CreateConnector<SocialConnector>,
    // Static endpoints: a discovery document is cached per process inside the connector's bundle,
    // so only the first sign-in would fetch it. The key set is cached per network setting.
    config: () => ({
      authorizationEndpoint: oidc.authorizationEndpoint,
      tokenEndpoint: oidc.tokenEndpoint,
      userInfoEndpoint: oidc.userinfoEndpoint,
      ...oidcClient,
      tokenEndpointAuthMethod: 'client_secret_basic',
      scope: 'openid profile email',
      idTokenVerificationConfig: { jwksUri: oidc.jwksUri, issuer: oidc.issuer },
    }),
    authorize: throughOidcBrowser,
    connectorRequests: () => [
      `POST ${hostPath(oidc.tokenEndpoint)}`,
      `GET ${hostPath(oidc.jwksUri)}`,
      `GET ${hostPath(oidc.userinfoEndpoint)}`,
    ],
  },
  {
    name: 'oauth2',
    create: createOAuth2Connector as CreateConnector<SocialConnector>,
    config: () => ({
      authorizationEndpoint: oidc.authorizationEndpoint,
      tokenEndpoint: oidc.tokenEndpoint,
      userInfoEndpoint: oidc.userinfoEndpoint,
      ...oauth2Client,
      tokenEndpointAuthMethod: 'client_secret_post',
      scope: 'openid profile email',
      profileMap: { id: 'sub', email: 'email', name: 'name' },
    }),
    authorize: throughOidcBrowser,
    connectorRequests: () => [
      `POST ${hostPath(oidc.tokenEndpoint)}`,
      `GET ${hostPath(oidc.userinfoEndpoint)}`,
    ],
  },
  {
    name: 'discord',
    create: async (options) =>
      configureDiscordConnector(discord.connectorOptions)(options) as Promise<SocialConnector>,
    config: () => discord.config,
    authorize: async (url) => {
      const answer = await fetch(url, { redirect: 'manual' });
      return Object.fromEntries(new URL(answer.headers.get('location') ?? '').searchParams);
    },
    connectorRequests: () =>
      discord.requests
        .slice(discordRequestsBefore)
        .filter((request) => request.path !== '/oauth2/authorize')
        .map(
          (request) => `${request.method} ${new URL(discord.tokenEndpoint).host}${request.path}`,
        ),
  },
];

beforeAll(async () => {
  proxy = await startCountingProxy({ user: 'proxy-user', password: 'proxy-password-social' });
  [oidc, discord] = await Promise.all([
    startOidcEmulator({
      clients: [
        {
          ...oidcClient,
          redirectUris: [redirectUri],
          tokenEndpointAuthMethod: 'client_secret_basic',
        },
        {
          ...oauth2Client,
          redirectUris: [redirectUri],
          tokenEndpointAuthMethod: 'client_secret_post',
        },
      ],
    }),
    startDiscordEmulator({ autoApprove: true }),
  ]);
});

const restoreEnvironment = saveProxyEnvironment();

afterEach(restoreEnvironment);

afterAll(async () => {
  await Promise.all([oidc?.stop(), discord?.stop()]);
  await proxy?.stop();
});

const signInThroughProxy = async (scenario: SocialScenario, config: Record<string, unknown>) => {
  proxy.reset();
  discordRequestsBefore = discord.requests.length;
  const connector = await scenario.create({ getConfig: async () => config } as never);
  const { url, session } = await startSocialSignIn(connector, {
    redirectUri,
    state: `state-${scenario.name}`,
  });
  const callback = await scenario.authorize(url);
  const user = await connector.getUserInfo(callback, session.getSession);
  expect(user.id, scenario.name).toBeTruthy();
  // Every request the connector made, and nothing else, is one the proxy carried.
  expect([...proxy.forwarded].sort(), scenario.name).toEqual(scenario.connectorRequests().sort());
  expect(proxy.connects).toEqual([]);
};

describe('social connectors through a loopback proxy', () => {
  it('sign in through network.proxy', async () => {
    for (const scenario of scenarios) {
      await signInThroughProxy(scenario, {
        ...scenario.config(),
        network: { proxy: proxy.urlWithCredentials },
      });
    }
  });

  it('sign in through HTTP_PROXY / HTTPS_PROXY from the environment', async () => {
    process.env.HTTP_PROXY = proxy.urlWithCredentials;
    process.env.HTTPS_PROXY = proxy.urlWithCredentials;
    for (const scenario of scenarios) {
      await signInThroughProxy(scenario, scenario.config());
    }
  });
});

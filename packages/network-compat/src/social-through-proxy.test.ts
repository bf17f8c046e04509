import { configureAppleConnector } from '@idplug/connector-apple';
import createAzureAdConnector from '@idplug/connector-azuread';
import { configureDiscordConnector } from '@idplug/connector-discord';
import { configureFacebookConnector } from '@idplug/connector-facebook';
import createGithubConnector from '@idplug/connector-github';
import createGitlabConnector from '@idplug/connector-gitlab';
import { configureGoogleConnector } from '@idplug/connector-google';
import createOAuth2Connector from '@idplug/connector-oauth2';
import createOidcConnector from '@idplug/connector-oidc';
import {
  type AppleEmulator,
  type AzureAdEmulator,
  createOAuthBrowser,
  type DiscordEmulator,
  defaultAzureAdEmulatorClient,
  defaultAzureAdEmulatorTenants,
  type FacebookEmulator,
  type GithubEmulator,
  type GitlabEmulator,
  type GoogleEmulator,
  type OidcEmulator,
  startAppleEmulator,
  startAzureAdEmulator,
  startDiscordEmulator,
  startFacebookEmulator,
  startGithubEmulator,
  startGitlabEmulator,
  startGoogleEmulator,
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
let github: GithubEmulator;
let google: GoogleEmulator;
let azuread: AzureAdEmulator;
let apple: AppleEmulator;
let facebook: FacebookEmulator;
let gitlab: GitlabEmulator;

/** An emulator's log of the requests it received (query strings dropped), and where it listens. */
type EmulatorLog = { origin: string; requests: readonly { method: string; path: string }[] };

type SocialScenario = {
  name: string;
  create: CreateConnector<SocialConnector>;
  config: () => Record<string, unknown>;
  /** The browser's part: from the authorization URL to the callback query. */
  authorize: (url: URL) => Promise<Record<string, string>>;
  /**
   * The connector's own requests during one sign-in, as `METHOD host:port/path`: either listed,
   * or read from the emulator's log (what it received while the connector, not the browser, ran).
   */
  connectorRequests: { listed: () => string[] } | { log: () => EmulatorLog };
};

/** `host:port/path` of a URL, as the proxy records it. */
const hostPath = (url: string) => `${new URL(url).host}${new URL(url).pathname}`;

const throughOidcBrowser = async (url: URL) =>
  (await createOAuthBrowser().authorize(url, { accountId: 'user-alice' })).params;

/** An emulator started with `autoApprove` redirects the browser back at once. */
const throughAutoApproval = async (url: URL) => {
  const answer = await fetch(url, { redirect: 'manual' });
  return Object.fromEntries(new URL(answer.headers.get('location') ?? '').searchParams);
};

/**
 * A provider with fixed endpoints whose emulator is one OAuth app (Discord, Facebook): the
 * package's `configure<Name>Connector(connectorOptions)` reaches it, and it approves at once.
 */
const oauthAppScenario = <Options>(
  name: string,
  configure: (options: Options) => CreateConnector<SocialConnector>,
  emulator: () => {
    connectorOptions: Options;
    config: Record<string, unknown>;
    baseUrl: string;
    requests: EmulatorLog['requests'];
  },
): SocialScenario => ({
  name,
  create: async (options) =>
    configure(emulator().connectorOptions)(options) as Promise<SocialConnector>,
  config: () => emulator().config,
  authorize: throughAutoApproval,
  connectorRequests: {
    log: () => ({ origin: emulator().baseUrl, requests: emulator().requests }),
  },
});

const azureAdTenant = defaultAzureAdEmulatorTenants[0]!;
const azureAdAccountId = Object.keys(azureAdTenant.accounts)[0]!;

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
    connectorRequests: {
      listed: () => [
        `POST ${hostPath(oidc.tokenEndpoint)}`,
        `GET ${hostPath(oidc.jwksUri)}`,
        `GET ${hostPath(oidc.userinfoEndpoint)}`,
      ],
    },
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
    connectorRequests: {
      listed: () => [
        `POST ${hostPath(oidc.tokenEndpoint)}`,
        `GET ${hostPath(oidc.userinfoEndpoint)}`,
      ],
    },
  },
  oauthAppScenario('discord', configureDiscordConnector, () => discord),
  {
    name: 'github',
    create: createGithubConnector as CreateConnector<SocialConnector>,
    config: () => ({
      clientId: github.app.clientId,
      clientSecret: github.app.clientSecret,
      scope: 'read:user user:email',
      enterpriseUrl: github.baseUrl,
    }),
    authorize: throughAutoApproval,
    connectorRequests: { log: () => ({ origin: github.baseUrl, requests: github.requests }) },
  },
  {
    name: 'google',
    // Google's endpoints are fixed: `configureGoogleConnector` points them at the emulator.
    create: async (options) =>
      configureGoogleConnector(google.connectorOptions)(options) as Promise<SocialConnector>,
    config: () => ({
      clientId: google.clients[0]?.clientId,
      clientSecret: google.clients[0]?.clientSecret,
    }),
    authorize: throughAutoApproval,
    connectorRequests: { log: () => ({ origin: google.issuer, requests: google.requests }) },
  },
  {
    name: 'azuread',
    create: createAzureAdConnector as CreateConnector<SocialConnector>,
    // `cloudInstance` and `graphApiUrl` are the emulator: token, key set and Graph `/me`.
    config: () => azuread.connectorConfig(azureAdTenant.tenantId),
    authorize: async (url) =>
      (await createOAuthBrowser().authorize(url, { accountId: azureAdAccountId })).params,
    connectorRequests: { log: () => ({ origin: azuread.url, requests: azuread.requests }) },
  },
  {
    name: 'apple',
    // Apple's endpoints are fixed; the config carries the key the emulator registered (code flow).
    create: async (options) =>
      configureAppleConnector({ endpoints: apple.endpoints })(options) as Promise<SocialConnector>,
    config: () => apple.connectorConfig,
    // Apple answers with a page that posts the callback (`response_mode=form_post`).
    authorize: async (url) => (await apple.authorize(url)).fields,
    connectorRequests: { log: () => ({ origin: apple.issuer, requests: apple.requests }) },
  },
  oauthAppScenario('facebook', configureFacebookConnector, () => facebook),
  {
    name: 'gitlab',
    // A self-managed instance: `baseUrl` is the emulator (discovery, token, key set, userinfo).
    create: createGitlabConnector as CreateConnector<SocialConnector>,
    config: () => gitlab.config,
    authorize: throughAutoApproval,
    connectorRequests: { log: () => ({ origin: gitlab.baseUrl, requests: gitlab.requests }) },
  },
];

beforeAll(async () => {
  proxy = await startCountingProxy({ user: 'proxy-user', password: 'proxy-password-social' });
  [oidc, discord, github, google, azuread, apple, facebook, gitlab] = await Promise.all([
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
    startGithubEmulator({ autoApprove: true }),
    startGoogleEmulator({ autoApprove: true }),
    // oidc-provider checks redirect URIs exactly.
    startAzureAdEmulator({
      clients: [{ ...defaultAzureAdEmulatorClient, redirectUris: [redirectUri] }],
    }),
    startAppleEmulator({ autoApprove: true }),
    startFacebookEmulator({ autoApprove: true }),
    startGitlabEmulator({ autoApprove: true }),
  ]);
});

const restoreEnvironment = saveProxyEnvironment();

afterEach(restoreEnvironment);

afterAll(async () => {
  await Promise.all(
    [oidc, discord, github, google, azuread, apple, facebook, gitlab].map((emulator) =>
      emulator?.stop(),
    ),
  );
  await proxy?.stop();
});

const signInThroughProxy = async (scenario: SocialScenario, config: Record<string, unknown>) => {
  proxy.reset();
  const { connectorRequests } = scenario;
  /** The emulator's log as it stands now (empty for a scenario that lists its requests). */
  const logged = () => ('log' in connectorRequests ? connectorRequests.log().requests : []);
  const loggedBefore = logged().length;
  const connector = await scenario.create({ getConfig: async () => config } as never);
  const { url, session } = await startSocialSignIn(connector, {
    redirectUri,
    state: `state-${scenario.name}`,
  });
  const loggedBeforeBrowser = logged().length;
  const callback = await scenario.authorize(url);
  const loggedAfterBrowser = logged().length;
  const user = await connector.getUserInfo(callback, session.getSession);
  expect(user.id, scenario.name).toBeTruthy();
  // What the emulator received outside the browser's part is what the connector sent.
  const expected =
    'listed' in connectorRequests
      ? connectorRequests.listed()
      : [
          ...logged().slice(loggedBefore, loggedBeforeBrowser),
          ...logged().slice(loggedAfterBrowser),
        ].map(
          ({ method, path }) => `${method} ${new URL(connectorRequests.log().origin).host}${path}`,
        );
  expect(expected.length, scenario.name).toBeGreaterThan(0);
  // Every request the connector made, and nothing else, is one the proxy carried.
  expect([...proxy.forwarded].sort(), scenario.name).toEqual(expected.sort());
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

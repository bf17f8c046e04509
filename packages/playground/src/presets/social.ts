import { generateKeyPairSync } from 'node:crypto';
import {
  applePersonaAccounts,
  azureAdPersonaAccounts,
  defaultAppleEmulatorAccounts,
  defaultAzureAdEmulatorClient,
  defaultAzureAdEmulatorTenants,
  defaultGoogleEmulatorAccounts,
  defaultOidcEmulatorAccounts,
  discordPersonaAccount,
  facebookPersonaAccount,
  githubPersonaAccount,
  gitlabPersonaAccounts,
  googlePersonaAccounts,
  oidcPersonaAccounts,
  personas,
  startAppleEmulator,
  startAzureAdEmulator,
  startDiscordEmulator,
  startFacebookEmulator,
  startGithubEmulator,
  startGitlabEmulator,
  startGoogleEmulator,
  startOidcEmulator,
} from '@idplug/emulators';
import type { ConnectorPreset } from '../emulators';
import { configuredFactory, isEmulatorUrl } from './configured-factory';
import type { Started } from './start-together';

/** The social connectors' emulators and presets. */

const oidcClient = {
  clientId: 'playground-oidc',
  clientSecret: 'playground-oidc-client-secret-of-32-chars-or-more',
};
const oauth2Client = {
  clientId: 'playground-oauth2',
  clientSecret: 'playground-oauth2-client-secret-of-32-chars-or-more',
};

/**
 * Every token-endpoint auth method the OIDC and OAuth 2.0 forms offer: the emulator's clients
 * accept them all, so switching the method in the form works without touching the emulator.
 * `private_key_jwt` signs with the key below, which the presets carry; RSA and RS256, the
 * connectors' default assertion algorithm, so the preset needs no algorithm.
 */
const everyClientAuthMethod = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
] as const;
const clientKeyId = 'playground-client-key';
const clientKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const clientJwks = {
  keys: [
    {
      ...(clientKeys.publicKey.export({ format: 'jwk' }) as Record<string, string>),
      kid: clientKeyId,
      alg: 'RS256',
      use: 'sig',
    },
  ],
};
/** What the presets put in the `private_key_jwt` fields (shown only with that method chosen). */
const privateKeyJwtPreset = {
  clientPrivateKey: clientKeys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  clientKeyId,
};

export const startSocialEmulators = (callbackUrl: (metadataId: string) => string) => ({
  oidc: startOidcEmulator({
    clients: [
      {
        ...oidcClient,
        redirectUris: [callbackUrl('oidc')],
        tokenEndpointAuthMethod: 'client_secret_basic',
        alsoAcceptedTokenEndpointAuthMethods: everyClientAuthMethod,
        jwks: clientJwks,
      },
      {
        ...oauth2Client,
        redirectUris: [callbackUrl('oauth2')],
        tokenEndpointAuthMethod: 'client_secret_post',
        alsoAcceptedTokenEndpointAuthMethods: everyClientAuthMethod,
        jwks: clientJwks,
      },
    ],
    // A plain OAuth 2.0 client never asks for offline_access; give it a refresh token anyway.
    refreshTokens: 'always',
    // The personas (emulators' personas.ts) after the default user, on the sign-in pages.
    accounts: { ...defaultOidcEmulatorAccounts, ...oidcPersonaAccounts() },
  }),
  github: startGithubEmulator({ otherAccounts: personas.map(githubPersonaAccount) }),
  google: startGoogleEmulator({
    accounts: [...defaultGoogleEmulatorAccounts, ...googlePersonaAccounts()],
  }),
  // Entra's apps register their redirect URIs exactly (oidc-provider checks them).
  azuread: startAzureAdEmulator({
    clients: [
      { ...defaultAzureAdEmulatorClient, redirectUris: [callbackUrl('azuread-universal')] },
    ],
    // The personas join the work tenant, after its own user.
    tenants: defaultAzureAdEmulatorTenants.map((tenant, index) =>
      index === 0
        ? { ...tenant, accounts: { ...tenant.accounts, ...azureAdPersonaAccounts() } }
        : tenant,
    ),
  }),
  apple: startAppleEmulator({
    accounts: [...defaultAppleEmulatorAccounts, ...applePersonaAccounts()],
  }),
  facebook: startFacebookEmulator({ otherAccounts: personas.map(facebookPersonaAccount) }),
  discord: startDiscordEmulator({ otherAccounts: personas.map(discordPersonaAccount) }),
  gitlab: startGitlabEmulator({ otherAccounts: gitlabPersonaAccounts() }),
});

export type SocialEmulators = Started<ReturnType<typeof startSocialEmulators>>;

/**
 * A provider whose endpoints are fixed and whose emulator is one OAuth app (Facebook, Discord):
 * the emulator's app id stands for it, and the package's `configure<Name>Connector` reaches it.
 */
const oauthAppPreset = (
  metadataId: string,
  emulatorName: string,
  emulator: {
    baseUrl: string;
    app: { clientId: string };
    config: Record<string, unknown>;
    connectorOptions: unknown;
  },
  configureExport: string,
): [string, ConnectorPreset] => [
  metadataId,
  {
    emulatorName,
    config: emulator.config,
    usesEmulator: (config) => config.clientId === emulator.app.clientId,
    emulatorFactory: (module) =>
      configuredFactory(module, configureExport, emulator.connectorOptions),
    emulatorUrl: emulator.baseUrl,
  },
];

export const socialPresets = ({
  oidc,
  github,
  google,
  azuread,
  apple,
  facebook,
  discord,
  gitlab,
}: SocialEmulators): Array<[string, ConnectorPreset]> => {
  const googleClient = google.clients[0]!;
  return [
    [
      'github-universal',
      {
        emulatorName: 'GitHub emulator',
        config: {
          clientId: github.app.clientId,
          clientSecret: github.app.clientSecret,
          scope: 'read:user user:email',
          enterpriseUrl: github.baseUrl,
        },
        usesEmulator: (config) => isEmulatorUrl(config.enterpriseUrl, github.baseUrl),
        emulatorUrl: github.baseUrl,
      },
    ],
    [
      'google-universal',
      {
        emulatorName: 'Google emulator',
        config: {
          clientId: googleClient.clientId,
          clientSecret: googleClient.clientSecret,
          scope: 'openid profile email',
          prompts: ['select_account'],
          offlineAccess: true,
        },
        // Google's endpoints are not configurable: used while the config holds the emulator's
        // client id. Any other client id gets the default export, i.e. Google.
        usesEmulator: (config) => config.clientId === googleClient.clientId,
        emulatorFactory: (module) =>
          configuredFactory(module, 'configureGoogleConnector', google.connectorOptions),
        emulatorUrl: google.issuer,
      },
    ],
    [
      'oidc',
      {
        emulatorName: 'OpenID Provider emulator (oidc-provider)',
        config: {
          issuer: oidc.issuer,
          ...oidcClient,
          tokenEndpointAuthMethod: 'client_secret_basic',
          ...privateKeyJwtPreset,
          scope: 'openid profile email phone',
          // Discovery finds the JWKS from the issuer; set here so the form item's placeholder
          // default (`<jwks-uri>`) does not stand in for it.
          idTokenVerificationConfig: { jwksUri: oidc.jwksUri, issuer: oidc.issuer },
        },
        usesEmulator: (config) =>
          config.issuer === oidc.issuer || config.tokenEndpoint === oidc.tokenEndpoint,
        emulatorUrl: oidc.issuer,
      },
    ],
    [
      'oauth2',
      {
        emulatorName: 'OpenID Provider emulator (oidc-provider), as a plain OAuth 2.0 server',
        config: {
          authorizationEndpoint: oidc.authorizationEndpoint,
          tokenEndpoint: oidc.tokenEndpoint,
          userInfoEndpoint: oidc.userinfoEndpoint,
          ...oauth2Client,
          tokenEndpointAuthMethod: 'client_secret_post',
          ...privateKeyJwtPreset,
          // The userinfo endpoint of an OpenID Provider answers only for `openid` tokens.
          scope: 'openid profile email phone',
          profileMap: {
            id: 'sub',
            email: 'email',
            phone: 'phone_number',
            name: 'name',
            avatar: 'picture',
          },
        },
        usesEmulator: (config) => config.tokenEndpoint === oidc.tokenEndpoint,
        emulatorUrl: oidc.issuer,
      },
    ],
    [
      'azuread-universal',
      {
        emulatorName: 'Microsoft Entra ID emulator (oidc-provider per tenant, Graph /me)',
        config: azuread.connectorConfig(),
        usesEmulator: (config) => isEmulatorUrl(config.cloudInstance, azuread.url),
        // Graph's address has no form item (it follows the cloud instance): point it here too.
        formlessConfig: { graphApiUrl: azuread.url },
        emulatorUrl: azuread.url,
      },
    ],
    [
      'apple-universal',
      {
        emulatorName: 'Sign in with Apple emulator (form_post, ES256 client secrets)',
        // The code flow: the emulator registered the generated key's public half.
        config: apple.connectorConfig,
        usesEmulator: (config) => config.clientId === apple.connectorConfig.clientId,
        emulatorFactory: (module) =>
          configuredFactory(module, 'configureAppleConnector', { endpoints: apple.endpoints }),
        emulatorUrl: apple.issuer,
      },
    ],
    oauthAppPreset(
      'facebook-universal',
      'Facebook emulator (Login dialog, Graph API)',
      facebook,
      'configureFacebookConnector',
    ),
    oauthAppPreset(
      'discord-universal',
      'Discord emulator (OAuth 2.0, API v10)',
      discord,
      'configureDiscordConnector',
    ),
    [
      'gitlab-universal',
      {
        emulatorName: 'GitLab emulator (a self-managed instance with OIDC)',
        config: gitlab.config,
        usesEmulator: (config) => isEmulatorUrl(config.baseUrl, gitlab.issuer),
        emulatorUrl: gitlab.baseUrl,
      },
    ],
  ];
};

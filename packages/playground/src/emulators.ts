import { generateKeyPairSync } from 'node:crypto';
import {
  type AliyunDmEmulator,
  type GithubEmulator,
  type GoogleEmulator,
  type OidcEmulator,
  type SmtpSink,
  startAliyunDmEmulator,
  startGithubEmulator,
  startGoogleEmulator,
  startOidcEmulator,
  startSmtpSink,
} from '@idplug/emulators';
import type { AllConnector, CreateConnector } from '@logto/connector-kit';
import type { ConnectorModule } from './discovery';

/**
 * The provider emulators the playground starts, all from `@idplug/emulators` (the same ones the
 * integration tests use), and one preset per known connector: a config that works against its
 * emulator with no credentials. A connector the playground has no preset for is still listed,
 * with an empty form, for use against its real provider.
 */

/** A message as the SMTP sink or the Aliyun emulator received it. */
export type ReceivedMail = {
  receivedBy: string;
  from: string;
  to: string[];
  subject: string;
  html: string | undefined;
  text: string | undefined;
  /** Other facts worth showing (envelope, authenticated user, signature, request id...). */
  details: Record<string, string>;
};

export type Inbox = {
  /** Where the inbox is now; `since` returns what arrived after it. */
  mark(): number;
  since(mark: number): ReceivedMail[];
};

export type ConnectorPreset = {
  /** "Google emulator", for the page. */
  emulatorName: string;
  /** A config that works against the emulator. */
  config: Record<string, unknown>;
  /** Whether a config still talks to the emulator (the user may have switched to the real provider). */
  usesEmulator(config: Record<string, unknown>): boolean;
  /**
   * The connector factory for a config that uses the emulator, when the connector needs one (its
   * endpoints cannot be set by config); otherwise the package's default export is used.
   */
  emulatorFactory?(module: ConnectorModule): CreateConnector<AllConnector> | undefined;
  /** Email connectors: where the emulator's received messages are. */
  inbox?: Inbox;
};

export type Emulators = {
  oidc: OidcEmulator;
  github: GithubEmulator;
  google: GoogleEmulator;
  smtp: SmtpSink;
  aliyun: AliyunDmEmulator;
  /** Presets keyed by connector metadata id. */
  presets: Map<string, ConnectorPreset>;
  stop(): Promise<void>;
};

const SmtpUser = 'playground';
const SmtpPassword = 'playground-smtp-password';
const AliyunAccessKeyId = 'LTAIplaygroundEmulator';
const AliyunAccessKeySecret = 'playground-aliyun-access-key-secret';
const AliyunSender = 'no-reply@mail.example.com';

const OidcClient = {
  clientId: 'playground-oidc',
  clientSecret: 'playground-oidc-client-secret-of-32-chars-or-more',
};
const Oauth2Client = {
  clientId: 'playground-oauth2',
  clientSecret: 'playground-oauth2-client-secret-of-32-chars-or-more',
};

/** Templates for both email connectors: an HTML `Generic` and plain-text codes for the rest. */
const emailTemplates = [
  {
    usageType: 'Generic',
    contentType: 'text/html',
    subject: 'Your verification code',
    content:
      '<h2 style="font-family:sans-serif">Verification code</h2><p style="font-family:sans-serif">Your code is <strong>{{code}}</strong>. It expires in 10 minutes.</p>',
  },
  {
    usageType: 'SignIn',
    contentType: 'text/plain',
    subject: 'Your sign-in code',
    content: 'Your sign-in code is {{code}}. It expires in 10 minutes.',
  },
  {
    usageType: 'Register',
    contentType: 'text/plain',
    subject: 'Your sign-up code',
    content: 'Your sign-up code is {{code}}. It expires in 10 minutes.',
  },
  {
    usageType: 'ForgotPassword',
    contentType: 'text/html',
    subject: 'Reset your password',
    content: '<p>Your password reset code is <strong>{{code}}</strong>.</p>',
  },
];

/**
 * Every token-endpoint auth method the OIDC and OAuth 2.0 forms offer: the emulator's clients
 * accept them all, so switching the method in the form works without touching the emulator.
 * `private_key_jwt` signs with the key below, which the presets carry.
 */
const everyClientAuthMethod = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
] as const;
const clientKeyId = 'playground-client-key';
// RSA and RS256: the connectors' default assertion algorithm, so the preset needs no algorithm.
const clientKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const clientPublicJwk = {
  ...(clientKeys.publicKey.export({ format: 'jwk' }) as Record<string, string>),
  kid: clientKeyId,
  alg: 'RS256',
  use: 'sig',
};
/** What the presets put in the `private_key_jwt` fields (shown only with that method chosen). */
const privateKeyJwtPreset = {
  clientPrivateKey: clientKeys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  clientKeyId,
};

const mailbox = (value: { address: string; name: string } | undefined) =>
  value === undefined ? '' : value.name ? `${value.name} <${value.address}>` : value.address;

/**
 * @param callbackUrl the playground's callback URL for a connector metadata id (the OpenID
 *   Provider registers redirect URIs exactly).
 */
export const startEmulators = async (
  callbackUrl: (metadataId: string) => string,
): Promise<Emulators> => {
  const [oidc, github, google, smtp, aliyun] = await Promise.all([
    startOidcEmulator({
      clients: [
        {
          ...OidcClient,
          redirectUris: [callbackUrl('oidc')],
          tokenEndpointAuthMethod: 'client_secret_basic',
          alsoAcceptedTokenEndpointAuthMethods: everyClientAuthMethod,
          jwks: { keys: [clientPublicJwk] },
        },
        {
          ...Oauth2Client,
          redirectUris: [callbackUrl('oauth2')],
          tokenEndpointAuthMethod: 'client_secret_post',
          alsoAcceptedTokenEndpointAuthMethods: everyClientAuthMethod,
          jwks: { keys: [clientPublicJwk] },
        },
      ],
      // A plain OAuth 2.0 client never asks for offline_access; give it a refresh token anyway.
      refreshTokens: 'always',
    }),
    startGithubEmulator(),
    startGoogleEmulator(),
    startSmtpSink({ auth: { user: SmtpUser, pass: SmtpPassword } }),
    startAliyunDmEmulator({
      accounts: { [AliyunAccessKeyId]: AliyunAccessKeySecret },
      senders: [AliyunSender],
    }),
  ]);
  const googleClient = google.clients[0]!;

  const presets = new Map<string, ConnectorPreset>([
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
        usesEmulator: (config) =>
          String(config.enterpriseUrl ?? '').replace(/\/+$/, '') === github.baseUrl,
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
        // Google's endpoints are not configurable (production always talks to Google): the
        // package exports `configureGoogleConnector` for emulators, used while the config holds
        // the emulator's client id. Any other client id gets the default export, i.e. Google.
        usesEmulator: (config) => config.clientId === googleClient.clientId,
        emulatorFactory: (module) =>
          typeof module.configureGoogleConnector === 'function'
            ? (
                module.configureGoogleConnector as (
                  options: unknown,
                ) => CreateConnector<AllConnector>
              )({
                endpoints: {
                  authorizationEndpoint: google.authorizationEndpoint,
                  tokenEndpoint: google.tokenEndpoint,
                  userinfoEndpoint: google.userinfoEndpoint,
                  jwksUri: google.jwksUri,
                  issuers: [google.issuer],
                },
              })
            : undefined,
      },
    ],
    [
      'oidc',
      {
        emulatorName: 'OpenID Provider emulator (oidc-provider)',
        config: {
          issuer: oidc.issuer,
          ...OidcClient,
          tokenEndpointAuthMethod: 'client_secret_basic',
          ...privateKeyJwtPreset,
          scope: 'openid profile email phone',
          // Discovery finds the JWKS from the issuer; set here so the form item's placeholder
          // default (`<jwks-uri>`) does not stand in for it.
          idTokenVerificationConfig: { jwksUri: oidc.jwksUri, issuer: oidc.issuer },
        },
        usesEmulator: (config) =>
          config.issuer === oidc.issuer || config.tokenEndpoint === oidc.tokenEndpoint,
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
          ...Oauth2Client,
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
      },
    ],
    [
      'simple-mail-transfer-protocol',
      {
        emulatorName: 'SMTP sink (smtp-server)',
        config: {
          host: smtp.host,
          port: smtp.port,
          auth: { type: 'login', user: SmtpUser, pass: SmtpPassword },
          fromEmail: '"idplug playground" <playground@example.com>',
          templates: emailTemplates,
        },
        usesEmulator: (config) => config.host === smtp.host && config.port === smtp.port,
        inbox: {
          mark: () => smtp.messages.length,
          since: (mark) =>
            smtp.messages.slice(mark).map((message) => ({
              receivedBy: `SMTP sink on ${smtp.host}:${smtp.port}`,
              from: mailbox(message.from),
              to: message.to.map(mailbox),
              subject: message.subject,
              html: message.html,
              text: message.text,
              details: {
                'Envelope from': message.envelope.from,
                'Envelope to': message.envelope.to.join(', '),
                'Authenticated as': message.authUser ?? '(no AUTH)',
                TLS: message.secure ? 'yes' : 'no (loopback)',
                'Message-ID': message.headers['message-id'] ?? '',
              },
            })),
        },
      },
    ],
    [
      'aliyun-direct-mail',
      {
        emulatorName: 'Aliyun Direct Mail emulator (checks signatures)',
        config: {
          accessKeyId: AliyunAccessKeyId,
          accessKeySecret: AliyunAccessKeySecret,
          regionId: 'cn-hangzhou',
          accountName: AliyunSender,
          fromAlias: 'idplug',
          endpoint: aliyun.url,
          templates: emailTemplates.map(({ usageType, subject, content }) => ({
            usageType,
            subject,
            content,
          })),
        },
        usesEmulator: (config) => config.endpoint === aliyun.url,
        inbox: {
          mark: () => aliyun.mails.length,
          since: (mark) =>
            aliyun.mails.slice(mark).map((mail) => ({
              receivedBy: `Aliyun Direct Mail emulator at ${aliyun.url}`,
              from: mail.fromAlias ? `${mail.fromAlias} <${mail.accountName}>` : mail.accountName,
              to: mail.toAddress,
              subject: mail.subject,
              html: mail.htmlBody,
              text: mail.textBody,
              details: {
                Action: mail.params.Action ?? '',
                'HTTP method': mail.method,
                AccessKeyId: mail.accessKeyId,
                Signature: `${mail.params.SignatureMethod ?? ''} ${mail.params.SignatureVersion ?? ''}, verified by the emulator`,
                RequestId: mail.requestId,
              },
            })),
        },
      },
    ],
  ]);

  return {
    oidc,
    github,
    google,
    smtp,
    aliyun,
    presets,
    async stop() {
      await Promise.allSettled([
        oidc.stop(),
        github.stop(),
        google.stop(),
        smtp.stop(),
        aliyun.stop(),
      ]);
    },
  };
};

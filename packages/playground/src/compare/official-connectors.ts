import {
  aliyunDmEndpoints,
  aliyunSmsHost,
  type EmulatorRoutes,
  mailgunOrigins,
  postmarkOrigins,
  sendGridOrigins,
  twilioApiHost,
} from '@idplug/emulators';
import type { Emulators } from '../emulators';

/**
 * Which official `@logto/connector-*` package each idplug connector replaces (the same metadata
 * id: Logto knows both as one connector), and where that package's fixed provider addresses are
 * served by the playground's emulators. Connectors whose official package reads its endpoint from
 * the config (SMTP's host, the HTTP connectors' `endpoint`) need no route: the same config points
 * both at the emulator. The packages are dev dependencies of the playground (versions as in the
 * differential tests); a missing one is reported, not fatal.
 */

export type OfficialPackage = {
  packageName: string;
  /** The official package's provider URL prefixes, mapped onto the running emulators. */
  routes: (emulators: Emulators, config: Record<string, unknown>) => EmulatorRoutes;
  /**
   * The stored config as the official package is handed it, where the playground's stand-in for
   * the provider (an `endpoint` naming the emulator) is something the official package refuses
   * and `routes` already stands for. Absent: the same config as ours.
   */
  officialConfig?: (config: Record<string, unknown>) => Record<string, unknown>;
};

/** `http://127.0.0.1:<port>` or `.../` as a prefix ending in one slash. */
const prefixOf = (url: string) => `${url.replace(/\/+$/, '')}/`;

const originsTo = (origins: readonly string[], emulatorUrl: string): EmulatorRoutes =>
  Object.fromEntries(origins.map((origin) => [`${origin}/`, prefixOf(emulatorUrl)]));

const noRoutes = (): EmulatorRoutes => ({});

export const officialPackages: ReadonlyMap<string, OfficialPackage> = new Map<
  string,
  OfficialPackage
>([
  [
    'github-universal',
    {
      packageName: '@logto/connector-github',
      // The emulator serves GitHub.com's OAuth pages at its root and the REST API under /api/v3/.
      routes: ({ github }) => ({
        'https://github.com/': prefixOf(github.baseUrl),
        'https://api.github.com/': `${prefixOf(github.baseUrl)}api/v3/`,
      }),
    },
  ],
  [
    'google-universal',
    {
      packageName: '@logto/connector-google',
      routes: ({ google }) =>
        originsTo(
          ['accounts.google.com', 'oauth2.googleapis.com', 'openidconnect.googleapis.com'].map(
            (host) => `https://${host}`,
          ),
          google.issuer,
        ),
    },
  ],
  ['simple-mail-transfer-protocol', { packageName: '@logto/connector-smtp', routes: noRoutes }],
  [
    'aliyun-direct-mail',
    {
      packageName: '@logto/connector-aliyun-dm',
      routes: ({ aliyun }) =>
        originsTo(
          Object.values(aliyunDmEndpoints).flatMap(({ host, vpcHost }) => [
            `https://${host}`,
            `https://${vpcHost}`,
          ]),
          aliyun.url,
        ),
    },
  ],
  [
    'aws-ses-mail',
    {
      packageName: '@logto/connector-aws-ses',
      // The AWS SDK's SESv2 endpoint for the configured region.
      routes: ({ ses }, config) =>
        originsTo([`https://email.${String(config.region)}.amazonaws.com`], ses.url),
    },
  ],
  [
    'sendgrid-email-service',
    {
      packageName: '@logto/connector-sendgrid-email',
      routes: ({ sendgrid }) => originsTo(sendGridOrigins, sendgrid.url),
    },
  ],
  [
    'postmark-mail',
    {
      packageName: '@logto/connector-postmark',
      routes: ({ postmark }) => originsTo(postmarkOrigins, postmark.url),
    },
  ],
  [
    'mailgun-email',
    {
      packageName: '@logto/connector-mailgun',
      routes: ({ mailgun }) => originsTo(mailgunOrigins, mailgun.url),
      // The official guard takes only an `endpoint` ending in `.mailgun.net`: without it, the
      // package calls api.mailgun.net, which the route above serves from the emulator.
      officialConfig: ({ endpoint: _emulator, ...config }) => config,
    },
  ],
  ['http-email', { packageName: '@logto/connector-http-email', routes: noRoutes }],
  [
    'twilio-short-message-service',
    {
      packageName: '@logto/connector-twilio-sms',
      routes: ({ twilio }) => originsTo([`https://${twilioApiHost}`], twilio.url),
    },
  ],
  [
    'aliyun-short-message-service',
    {
      packageName: '@logto/connector-aliyun-sms',
      routes: ({ aliyunSms }) => originsTo([`https://${aliyunSmsHost}`], aliyunSms.url),
    },
  ],
  ['http-sms', { packageName: '@logto/connector-http-sms', routes: noRoutes }],
]);

export type LoadedOfficialPackage =
  | { installed: true; module: unknown }
  | { installed: false; reason: string };

const isModuleNotFound = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
};

/**
 * The official package, imported on first use ("where installed": a playground installed without
 * dev dependencies still runs, and says so on the page).
 */
export const loadOfficialPackage = async (
  packageName: string,
  importModule: (specifier: string) => Promise<unknown> = (specifier) => import(specifier),
): Promise<LoadedOfficialPackage> => {
  try {
    return { installed: true, module: await importModule(packageName) };
  } catch (error) {
    if (isModuleNotFound(error)) {
      return { installed: false, reason: `${packageName} is not installed` };
    }
    return {
      installed: false,
      reason: `${packageName} could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
};

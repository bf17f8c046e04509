import { blankAsUnset, clientCertificateProblems, urlConfigField } from '@idplug/base';
import { z } from 'zod';
import { presetNames, presetOf, withPresetDefaults } from './presets';

/**
 * The SMTP config: every key of `@logto/connector-smtp` with the same meaning, so a stored config
 * keeps working after the package swap. Additions (`pool`, `dkim`, `authMethod`) are
 * optional. Defaults here are applied (the official connector validates but then hands the raw
 * object to nodemailer, so its 2-minute and 10-minute timeout defaults never took effect).
 */

/** Entra ID's current documentation signs certificate credentials with PS256 (and `x5t#S256`). */
export const defaultCertificateSigningAlgorithm = 'PS256';

/** Connect and greeting deadlines that fit a person waiting for a code (Logto's console gives up after 20 s). */
export const defaultConnectionTimeoutMs = 10_000;
export const defaultGreetingTimeoutMs = 10_000;
/** Inactivity on an open socket (a server that stops answering mid-transaction). */
export const defaultSocketTimeoutMs = 20_000;
export const defaultDnsTimeoutMs = 10_000;
/** Most SMTP connections open at once to one server, per config and per process. */
export const defaultMaxConnections = 5;
/** Messages per connection before it is replaced (nodemailer's default; many providers cap it). */
export const defaultMaxMessages = 100;
/** A pooled connection idle this long says QUIT, before any socket timeout can fire on it. */
export const defaultPoolIdleTimeoutMs = 15_000;

const templateGuard = z.object({
  usageType: z.string(),
  // The official guard requires it; absent, the content decides (markup = HTML).
  contentType: z.enum(['text/plain', 'text/html']).optional(),
  subject: z.string(),
  content: z.string(),
  // Honoured by the official connector when present in the stored template.
  replyTo: z.string().optional(),
  sendFrom: z.string().optional(),
});

// "login" with user + pass; with neither, no AUTH is attempted (an IP-authorized relay).
const loginAuthGuard = z
  .object({
    user: z.string().optional(),
    pass: z.string().optional(),
    type: z.enum(['login', 'Login', 'LOGIN']).optional(),
  })
  .strict();

// XOAUTH2 with a service account key (nodemailer's 2LO).
const oauth2AuthWithKeyGuard = z.object({
  type: z.enum(['oauth2', 'OAuth2', 'OAUTH2']).optional(),
  user: z.string(),
  privateKey: z.string().or(z.object({ key: z.string(), passphrase: z.string() })),
  serviceClient: z.string(),
});

// XOAUTH2 with a 3LO client and tokens; nodemailer refreshes the access token.
const oauth2AuthWithTokenGuard = z.object({
  type: z.enum(['oauth2', 'OAuth2', 'OAUTH2']).optional(),
  user: z.string(),
  clientId: z.string().optional(),
  clientSecret: z.string().optional(),
  refreshToken: z.string().optional(),
  accessToken: z.string().optional(),
  /** Access token expiry time, in ms since the epoch. */
  expires: z.number().optional(),
  accessUrl: z.string().optional(),
});

// XOAUTH2 with an app's own token (client credentials, RFC 6749 §4.4): Microsoft 365 after the
// retirement of basic SMTP AUTH. `tenantId` tells it apart (see smtpAuthGuard). The app proves
// itself with a client secret, or with a certificate: a client assertion (RFC 7523) signed with
// the certificate's private key and naming the certificate by its thumbprint, as Entra ID wants
// (https://learn.microsoft.com/entra/identity-platform/certificate-credentials).
const oauth2ClientCredentialsGuard = z
  .object({
    type: z.enum(['oauth2', 'OAuth2', 'OAUTH2']).optional(),
    /** The mailbox the app sends as (the XOAUTH2 user). */
    user: z.string().min(1),
    tenantId: z.string().min(1),
    clientId: z.string().min(1),
    /** A client secret of the app registration; or `privateKey` and `certificate`. */
    clientSecret: z.string().min(1).optional(),
    /** PEM private key (PKCS#8 or PKCS#1 RSA) of the certificate uploaded to the app registration. */
    privateKey: z.string().min(1).optional(),
    /** PEM X.509 certificate uploaded to the app registration. */
    certificate: z.string().min(1).optional(),
    /**
     * How the client assertion is signed: `PS256` naming the certificate by `x5t#S256` (Entra ID's
     * current documentation), or `RS256` with `x5t` (its earlier one). @default PS256
     */
    signingAlgorithm: z.enum(['PS256', 'RS256']).optional(),
    /** @default https://outlook.office365.com/.default */
    scope: z.string().min(1).optional(),
    /** @default https://login.microsoftonline.com/<tenantId>/oauth2/v2.0/token */
    tokenEndpoint: urlConfigField().optional(),
  })
  .strict()
  .superRefine((auth, context) => {
    const certificateKeys = (['privateKey', 'certificate'] as const).filter((key) => auth[key]);
    if (auth.clientSecret && certificateKeys.length > 0) {
      context.addIssue({
        code: z.ZodIssueCode.custom,
        path: [certificateKeys[0] ?? 'privateKey'],
        message:
          'Set either `clientSecret` or `privateKey` with `certificate`, not both: the app authenticates one way',
      });
      return;
    }
    if (!auth.clientSecret && certificateKeys.length < 2) {
      const missing = auth.privateKey
        ? 'certificate'
        : auth.certificate
          ? 'privateKey'
          : 'clientSecret';
      context.addIssue({
        code: z.ZodIssueCode.custom,
        path: [missing],
        message:
          missing === 'clientSecret'
            ? 'Required: a client secret (`clientSecret`), or a certificate (`privateKey` and `certificate`, PEM) of the app registration'
            : `Required with ${missing === 'certificate' ? '`privateKey`' : '`certificate`'}: the certificate credential is the PEM private key and its PEM certificate`,
      });
      return;
    }
    if (auth.privateKey && auth.certificate) {
      for (const problem of clientCertificateProblems(
        { privateKey: auth.privateKey, certificate: auth.certificate },
        { algorithm: auth.signingAlgorithm ?? defaultCertificateSigningAlgorithm },
      )) {
        context.addIssue({
          code: z.ZodIssueCode.custom,
          path: [problem.field],
          message: problem.message,
        });
      }
    }
  });

const hasTenantId = (value: unknown) =>
  typeof value === 'object' && value !== null && 'tenantId' in value;

const otherAuthGuard = loginAuthGuard.or(oauth2AuthWithKeyGuard).or(oauth2AuthWithTokenGuard);

/**
 * `auth`: an object with `tenantId` is the client-credentials kind and is checked as that alone
 * (a union would fall through to the refresh-token kind, which accepts any object with a `user`,
 * and drop the real problem); anything else is one of the other kinds.
 */
export const smtpAuthGuard = z
  .object({})
  .passthrough()
  .transform(
    (
      auth,
      context,
    ): z.infer<typeof oauth2ClientCredentialsGuard> | z.infer<typeof otherAuthGuard> => {
      const result = (hasTenantId(auth) ? oauth2ClientCredentialsGuard : otherAuthGuard).safeParse(
        auth,
      );
      if (!result.success) {
        for (const issue of result.error.issues) {
          context.addIssue(issue);
        }
        return z.NEVER;
      }
      return result.data;
    },
  );

const positiveMs = z.number().int().positive();
// The official guard takes any number; nodemailer treats 0 (and less) as "its default", which
// here means ours.
const timeoutMs = (fallback: number) =>
  z
    .number()
    .transform((value) => (value > 0 ? Math.round(value) : fallback))
    .default(fallback);

/**
 * Keys earlier versions accepted that no longer do anything: dropped, so a stored config keeps
 * loading. `noDelay: false` kept Nagle's algorithm on for a benchmark's A/B alone (the finding is
 * in packages/bench/README.md); nodemailer turns it off on every SMTP socket.
 */
const withoutRetiredPoolKeys = (pool: unknown) => {
  if (pool === null || typeof pool !== 'object' || Array.isArray(pool) || !('noDelay' in pool)) {
    return pool;
  }
  const { noDelay: _retired, ...rest } = pool as Record<string, unknown>;
  return rest;
};

export const smtpPoolGuard = z.preprocess(
  withoutRetiredPoolKeys,
  z
    .object({
      /** @default 5 */
      maxConnections: z.number().int().min(1).max(50).default(defaultMaxConnections),
      /** @default 100 */
      maxMessages: z.number().int().min(1).default(defaultMaxMessages),
      /** Close a connection idle this long (ms). @default 15000 */
      idleTimeout: positiveMs.default(defaultPoolIdleTimeoutMs),
      /** At most `rateLimit` messages per `rateDelta` ms over the pool (nodemailer's limiter). */
      rateLimit: z.number().int().positive().optional(),
      /** @default 1000 */
      rateDelta: positiveMs.optional(),
    })
    .strict(),
);

export const smtpDkimGuard = z
  .object({
    domainName: z.string().min(1),
    keySelector: z.string().min(1),
    /** PEM private key (RSA or Ed25519). */
    privateKey: z.string().min(1),
    /** Colon-separated header names to sign instead of nodemailer's default list. */
    headerFieldNames: z.string().optional(),
    /** Colon-separated header names never to sign. */
    skipFields: z.string().optional(),
  })
  .strict();

// RFC 5321 §4.1.1.1 and §4.1.3: the EHLO argument is a domain or an address literal, in ASCII
// (an IDN goes in its punycode "xn--" form). Gmail answers a non-ASCII one with 501.
const ehloNamePattern = /^[!-~]+$/;

const smtpConfigObject = z.object({
  preset: z
    .preprocess(
      blankAsUnset,
      z
        .string()
        .refine((name) => presetOf(name) !== undefined, {
          message: `Unknown preset; use one of ${presetNames.join(', ')}`,
        })
        .optional(),
    )
    .describe(
      `Fills \`host\`, \`port\` and \`secure\` for a known service: ${presetNames.map((name) => `\`${name}\``).join(', ')}. A \`host\` or \`port\` set in the config wins; \`secure\` follows the port (the preset's own with the preset's port).`,
    ),
  host: z.string().describe('SMTP server host name.'),
  // The official guard takes any number, but no socket can use one outside 1-65535 (Node throws
  // synchronously deep inside nodemailer): such a config never worked, so it is refused here.
  port: z
    .number()
    .int()
    .min(1)
    .max(65_535)
    .describe('SMTP server port (587 STARTTLS, 465 implicit TLS, 25 relay); 1-65535.'),
  // Required by the official guard; optional here (no AUTH, e.g. an IP-authorized relay).
  auth: smtpAuthGuard
    .optional()
    .describe(
      '`{"user", "pass"}` for LOGIN/PLAIN, an OAuth2 object (`type: "OAuth2"` with `user` and either `tenantId`/`clientId` with `clientSecret` or with `privateKey`/`certificate` (PEM, optional `signingAlgorithm` `PS256`/`RS256`) for Microsoft 365 client credentials, `clientId`/`clientSecret`/`refreshToken`/`accessToken`, or `serviceClient`/`privateKey`), or leave it out for an IP-authorized relay.',
    ),
  fromEmail: z
    .string()
    .describe(
      'The `From` address, e.g. `"Example" <no-reply@example.com>`. A template\'s `sendFrom` wins.',
    ),
  replyTo: z.string().optional().describe("`Reply-To` address. A template's `replyTo` wins."),
  templates: z
    .array(templateGuard)
    .describe(
      '`[{usageType, contentType, subject, content}]`; `{{code}}` and other payload values are filled in (HTML-escaped in HTML templates). A usage type without a template uses `Generic`.',
    ),
  logger: z
    .boolean()
    .optional()
    .describe('nodemailer logging to the console (credentials are masked). Default `false`.'),
  debug: z
    .boolean()
    .optional()
    .describe('Log the SMTP traffic too (with `logger`). Default `false`.'),
  disableFileAccess: z
    .boolean()
    .optional()
    .describe('Kept for compatibility; messages are always built from strings.'),
  disableUrlAccess: z
    .boolean()
    .optional()
    .describe('Kept for compatibility; messages are always built from strings.'),
  /** The EHLO name. @default the machine's host name */
  name: z
    .string()
    .regex(ehloNamePattern, {
      message:
        'The EHLO name must be ASCII without spaces (RFC 5321 §4.1.1.1): write an internationalized domain name in its punycode form (xn--...)',
    })
    .optional()
    .describe("Host name sent with EHLO. Default: the machine's host name."),
  localAddress: z.string().optional().describe('Local IP address to connect from.'),
  /** ms to open the TCP (and implicit TLS) connection. @default 10000 */
  connectionTimeout: timeoutMs(defaultConnectionTimeoutMs).describe(
    'ms to open the TCP (and implicit TLS) connection. Default 10000.',
  ),
  /** ms to wait for the 220 greeting. @default 10000 */
  greetingTimeout: timeoutMs(defaultGreetingTimeoutMs).describe(
    "ms to wait for the server's 220 greeting. Default 10000.",
  ),
  /** ms of inactivity on an open connection. @default 20000 */
  socketTimeout: timeoutMs(defaultSocketTimeoutMs).describe(
    'ms of inactivity on an open connection. Default 20000.',
  ),
  /** @default 10000 */
  dnsTimeout: timeoutMs(defaultDnsTimeoutMs).describe('ms for the DNS lookup. Default 10000.'),
  /**
   * ms one message may take from the call to the server's final reply, waiting for a free pooled
   * connection included. @default the larger of connectionTimeout + greetingTimeout and socketTimeout
   */
  sendTimeout: positiveMs
    .optional()
    .describe(
      'ms one message may take in all, waiting for a free pooled connection included. Default: the larger of `connectionTimeout + greetingTimeout` and `socketTimeout`.',
    ),
  /**
   * Implicit TLS from the first byte (usually port 465). Left unset it follows nodemailer: TLS on
   * 465, STARTTLS when offered elsewhere. (The official guard's `false` default never applied.)
   */
  secure: z
    .boolean()
    .optional()
    .describe(
      '`true`: implicit TLS (usually 465); `false`: plain, upgraded with STARTTLS when offered (usually 587). Unset: implicit TLS on 465, STARTTLS elsewhere.',
    ),
  // Node's tls.connect options (ca, rejectUnauthorized, minVersion, ...).
  tls: z
    .object({})
    .catchall(z.unknown())
    .optional()
    .describe(
      'Node.js TLS options, e.g. `{"ca": "<PEM>"}` for a private CA or `{"minVersion": "TLSv1.2"}`.',
    ),
  servername: z
    .string()
    .optional()
    .describe('Name to check the certificate against when `host` is an IP address.'),
  ignoreTLS: z.boolean().optional().describe('Never use STARTTLS. Default `false`.'),
  requireTLS: z
    .boolean()
    .optional()
    .describe('Fail unless the server offers STARTTLS. Default `false`.'),
  customHeaders: z
    .record(z.string().or(z.string().array()))
    .optional()
    .describe(
      'Extra headers on every message (string or string array values). Addressing and MIME headers (`From`, `To`, `Bcc`, `Content-Type`, ...) are ignored.',
    ),
  /** nodemailer's `authMethod` (e.g. `PLAIN`), honoured by the official connector too. */
  authMethod: z
    .string()
    .optional()
    .describe('Force an AUTH mechanism, e.g. `PLAIN`. Default: the best one the server offers.'),
  /** Connection pool settings; the pool is always on (at most 5 connections by default). */
  pool: smtpPoolGuard
    .optional()
    .describe(
      'Connection pool: `maxConnections` (5, at most 50), `maxMessages` per connection (100), `idleTimeout` ms (15000), `rateLimit` messages per `rateDelta` ms. One pool per process and per distinct transport config.',
    ),
  /** DKIM-sign every message (RFC 6376). */
  dkim: smtpDkimGuard
    .optional()
    .describe(
      'DKIM-sign every message (RFC 6376): `{"domainName", "keySelector", "privateKey"}` (PEM), optional `headerFieldNames`, `skipFields`.',
    ),
});

/**
 * The two most common SMTP setup mistakes, refused before any connection instead of surfacing as
 * an OpenSSL "wrong version number" or a greeting timeout: 587 is submission with STARTTLS
 * (RFC 6409, RFC 3207) and 465 is implicit TLS (RFC 8314 §3.3).
 */
const portSecureMismatch = (config: { port: number; secure?: boolean }): string | undefined => {
  if (config.port === 587 && config.secure === true) {
    return 'Port 587 uses STARTTLS, so "secure" must be false (the connection starts in plain text and is upgraded); for implicit TLS use port 465 with "secure": true';
  }
  if (config.port === 465 && config.secure === false) {
    return 'Port 465 uses implicit TLS, so "secure" must be true (or left out); for STARTTLS use port 587 with "secure": false';
  }
  return undefined;
};

export const smtpConfigGuard = z.preprocess(
  withPresetDefaults,
  smtpConfigObject.superRefine((config, context) => {
    const mismatch = portSecureMismatch(config);
    if (mismatch) {
      context.addIssue({ code: z.ZodIssueCode.custom, path: ['secure'], message: mismatch });
    }
  }),
);

export type SmtpConfig = z.infer<typeof smtpConfigObject>;

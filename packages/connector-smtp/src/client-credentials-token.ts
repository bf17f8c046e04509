import {
  authenticateClient,
  type ClientCredentials,
  connectorError,
  createHttpClient,
  type NetworkOptions,
} from '@idplug/base';
import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { z } from 'zod';

/**
 * XOAUTH2 access tokens from the OAuth 2.0 client credentials grant (RFC 6749 §4.4), as Microsoft
 * 365 (Exchange Online) wants them for SMTP AUTH by an application: an Entra ID app registration
 * with the `SMTP.SendAsApp` permission, a token for `https://outlook.office365.com/.default`,
 * and the mailbox as the XOAUTH2 user. One source per pool: its connections share the token,
 * which is fetched again shortly before it expires, or at once when the server refuses it.
 */

export type ClientCredentialsAuth = {
  user: string;
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  /** With `certificate`: the certificate credential (the guard has checked the pair). */
  privateKey?: string;
  certificate?: string;
  signingAlgorithm?: 'PS256' | 'RS256';
  scope?: string;
  tokenEndpoint?: string;
};

export const microsoft365SmtpScope = 'https://outlook.office365.com/.default';

/**
 * How the app authenticates at the token endpoint: its secret in the form (what Entra ID's
 * client-credentials examples post), or a client assertion signed with the certificate's key that
 * names the certificate by `x5t#S256` with PS256, or by `x5t` with RS256, the two forms of
 * https://learn.microsoft.com/entra/identity-platform/certificate-credentials.
 */
const clientCredentialsOf = (auth: ClientCredentialsAuth): ClientCredentials => {
  if (auth.privateKey && auth.certificate) {
    const signingAlgorithm = auth.signingAlgorithm ?? 'PS256';
    return {
      clientId: auth.clientId,
      method: 'private_key_jwt',
      privateKey: auth.privateKey,
      signingAlgorithm,
      certificate: {
        pem: auth.certificate,
        thumbprintHeader: signingAlgorithm === 'RS256' ? 'x5t' : 'x5t#S256',
      },
    };
  }
  return {
    clientId: auth.clientId,
    method: 'client_secret_post',
    ...(auth.clientSecret && { clientSecret: auth.clientSecret }),
  };
};

export const tokenEndpointOf = (auth: ClientCredentialsAuth) =>
  auth.tokenEndpoint ??
  `https://login.microsoftonline.com/${encodeURIComponent(auth.tenantId)}/oauth2/v2.0/token`;

/** What nodemailer's SMTPConnection calls for AUTH XOAUTH2 (its `auth.oauth2`). */
export type XOAuth2TokenSource = {
  getToken: (renew: boolean, callback: (error: Error | null, accessToken?: string) => void) => void;
  buildXOAuth2Token: (accessToken: string) => string;
};

/** A token failure carried through nodemailer, which rewrites the `code` of errors it is handed. */
export type TokenFailure = Error & { connectorError: ConnectorError };

const tokenResponseGuard = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
});

/** Azure AD tokens live 60-90 minutes; renew this long before expiry (a tenth of short lifetimes). */
const renewalMarginMs = (lifetimeMs: number) => Math.min(5 * 60 * 1000, lifetimeMs / 10);
/** RFC 6749 §5.1 makes `expires_in` optional; without it, assume a short life. */
const assumedLifetimeMs = 5 * 60 * 1000;

export const createClientCredentialsTokenSource = (
  auth: ClientCredentialsAuth,
  timeoutMs: number,
  /** The connector's proxy and CA: the token request goes the way the mail does. */
  network?: NetworkOptions,
): XOAuth2TokenSource & { tokenRequests: () => number } => {
  const tokenEndpoint = tokenEndpointOf(auth);
  const client = clientCredentialsOf(auth);
  const http = createHttpClient({
    providerName: new URL(tokenEndpoint).host,
    timeoutMs,
    ...(network && { network }),
  });
  let cached: { accessToken: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;
  let requests = 0;

  const requestToken = async (): Promise<string> => {
    requests += 1;
    // A fresh assertion per request: each has its own jti and a one-minute life.
    const authentication = await authenticateClient(client, tokenEndpoint);
    const response = await http.request({
      method: 'POST',
      url: tokenEndpoint,
      purpose: 'token',
      credentials: [auth.clientSecret, authentication.form.client_assertion].filter(
        (value): value is string => Boolean(value),
      ),
      headers: authentication.headers,
      form: {
        grant_type: 'client_credentials',
        ...authentication.form,
        scope: auth.scope ?? microsoft365SmtpScope,
      },
    });
    const parsed = tokenResponseGuard.safeParse(response.body);
    if (!parsed.success) {
      throw connectorError(
        ConnectorErrorCodes.InvalidResponse,
        `The token response from ${new URL(tokenEndpoint).host} has no usable access_token`,
        { provider: new URL(tokenEndpoint).host, stage: 'auth' },
      );
    }
    const lifetimeMs = (parsed.data.expires_in ?? assumedLifetimeMs / 1000) * 1000;
    cached = {
      accessToken: parsed.data.access_token,
      renewAt: Date.now() + lifetimeMs - renewalMarginMs(lifetimeMs),
    };
    return parsed.data.access_token;
  };

  return {
    getToken: (renew, callback) => {
      if (!renew && cached && Date.now() < cached.renewAt) {
        callback(null, cached.accessToken);
        return;
      }
      // Connections opening at once share one request.
      pending ??= requestToken().finally(() => {
        pending = undefined;
      });
      pending.then(
        (accessToken) => callback(null, accessToken),
        (error: unknown) => {
          const reason =
            error instanceof ConnectorError
              ? error
              : connectorError(ConnectorErrorCodes.General, 'The access token request failed', {
                  provider: new URL(tokenEndpoint).host,
                  stage: 'auth',
                });
          callback(
            Object.assign(new Error('Could not get an access token for XOAUTH2'), {
              connectorError: reason,
            }) as TokenFailure,
          );
        },
      );
    },
    // Google's and Microsoft's XOAUTH2 initial response: user, bearer token, ^A separated.
    buildXOAuth2Token: (accessToken) =>
      Buffer.from(`user=${auth.user}\u0001auth=Bearer ${accessToken}\u0001\u0001`, 'utf8').toString(
        'base64',
      ),
    tokenRequests: () => requests,
  };
};

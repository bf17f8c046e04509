/**
 * Microsoft Entra ID's token endpoint for the client credentials grant, on loopback: what an app
 * (a daemon, an SMTP sender) calls for its own token. `POST /{tenant}/oauth2/v2.0/token` with
 * `grant_type=client_credentials`, a `.default` scope, and the app's credential:
 * - a client secret (`client_secret` in the form), or
 * - a certificate credential: a client assertion JWT (RFC 7523) signed with the key of a
 *   certificate registered for the app, found by the thumbprint in its header, `x5t` (SHA-1) or
 *   `x5t#S256` (SHA-256), with `aud` the token endpoint, `iss` = `sub` = the client id, a `jti`
 *   never seen before, and `nbf`/`exp` around now.
 * Tokens are opaque and live `ttlSeconds`; `verifyAccessToken` is what a resource server (Exchange
 * Online's SMTP AUTH) would check. Errors carry Entra's `error`, `error_description` with an AADSTS
 * code, and `error_codes`. Source:
 * https://learn.microsoft.com/entra/identity-platform/certificate-credentials,
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow.
 */
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { listenOnLoopback, readBody, safeEqual, sendJson, stopServer } from './emulator-http';

export type EntraApp = {
  clientId: string;
  /** Client secrets the app registration holds. */
  secrets?: string[];
  /** PEM certificates uploaded to the app registration. */
  certificates?: string[];
};

export type EntraClientCredentialsEmulatorOptions = {
  /** @default 'contoso' */
  tenantId?: string;
  apps: EntraApp[];
  /** @default 3600 */
  ttlSeconds?: number;
};

/** One token request as the emulator judged it. */
export type EntraTokenRequest = {
  clientId: string | undefined;
  credential: 'secret' | 'certificate' | 'none';
  /** The client assertion's JOSE header (certificate credentials). */
  assertionHeader?: Record<string, unknown>;
  /** The AADSTS code of the refusal, when refused. */
  refusedWith?: number;
};

export type EntraClientCredentialsEmulator = {
  url: string;
  tokenEndpoint: string;
  readonly requests: readonly EntraTokenRequest[];
  /** The app and scope an access token was issued for, while it lives. */
  verifyAccessToken(accessToken: string): { clientId: string; scope: string } | undefined;
  stop(): Promise<void>;
};

type Refusal = { status: number; error: string; code: number; description: string };

const refusal = (status: number, error: string, code: number, description: string): Refusal => ({
  status,
  error,
  code,
  description: `AADSTS${code}: ${description}`,
});

const thumbprintsOf = (pem: string) => {
  const der = new X509Certificate(pem).raw;
  return {
    x5t: createHash('sha1').update(der).digest('base64url'),
    'x5t#S256': createHash('sha256').update(der).digest('base64url'),
  };
};

export const startEntraClientCredentialsEmulator = async (
  options: EntraClientCredentialsEmulatorOptions,
): Promise<EntraClientCredentialsEmulator> => {
  const tenantId = options.tenantId ?? 'contoso';
  const ttlSeconds = options.ttlSeconds ?? 3600;
  const requests: EntraTokenRequest[] = [];
  const issued = new Map<string, { clientId: string; scope: string; expiresAt: number }>();
  const seenJtis = new Set<string>();
  const tokenPath = `/${tenantId}/oauth2/v2.0/token`;
  let tokenEndpoint = '';

  /** Checks a certificate credential; the app it authenticates, or why not. */
  const verifyAssertion = async (
    app: EntraApp,
    assertion: string,
    record: EntraTokenRequest,
  ): Promise<Refusal | undefined> => {
    let header: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(assertion) as Record<string, unknown>;
    } catch {
      return refusal(400, 'invalid_request', 50027, 'The client assertion is not a valid JWT.');
    }
    record.assertionHeader = header;
    const certificate = (app.certificates ?? []).find((pem) => {
      const thumbprints = thumbprintsOf(pem);
      return (
        (header.x5t !== undefined && header.x5t === thumbprints.x5t) ||
        (header['x5t#S256'] !== undefined && header['x5t#S256'] === thumbprints['x5t#S256'])
      );
    });
    if (!certificate) {
      return refusal(
        401,
        'invalid_client',
        700027,
        'The certificate with the thumbprint in the assertion (x5t or x5t#S256) is not registered for the application.',
      );
    }
    const algorithm = String(header.alg);
    if (algorithm !== 'RS256' && algorithm !== 'PS256') {
      return refusal(401, 'invalid_client', 700027, `Unsupported signing algorithm ${algorithm}.`);
    }
    try {
      const { payload } = await jwtVerify(assertion, await importX509(certificate, algorithm), {
        audience: tokenEndpoint,
        issuer: app.clientId,
        subject: app.clientId,
        requiredClaims: ['jti', 'exp', 'nbf'],
      });
      if (seenJtis.has(String(payload.jti))) {
        return refusal(
          401,
          'invalid_client',
          700027,
          'The client assertion was used before (jti).',
        );
      }
      seenJtis.add(String(payload.jti));
      return undefined;
    } catch (error) {
      return refusal(
        401,
        'invalid_client',
        700027,
        `Client assertion failed validation: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };

  const handleToken = async (request: IncomingMessage, response: ServerResponse) => {
    const form = new URLSearchParams(await readBody(request));
    const clientId = form.get('client_id') ?? undefined;
    const assertion = form.get('client_assertion');
    const secret = form.get('client_secret');
    const record: EntraTokenRequest = {
      clientId,
      credential: assertion ? 'certificate' : secret ? 'secret' : 'none',
    };
    requests.push(record);
    const refuse = ({ status, error, code, description }: Refusal) => {
      record.refusedWith = code;
      sendJson(response, status, { error, error_description: description, error_codes: [code] });
    };

    if (form.get('grant_type') !== 'client_credentials') {
      return refuse(
        refusal(400, 'unsupported_grant_type', 70003, 'This emulator serves client_credentials.'),
      );
    }
    const scope = form.get('scope') ?? '';
    if (!/^\S+\/\.default$/.test(scope)) {
      return refuse(
        refusal(400, 'invalid_scope', 1002012, 'The scope must be a resource with /.default.'),
      );
    }
    const app = options.apps.find((candidate) => candidate.clientId === clientId);
    if (!app) {
      return refuse(refusal(400, 'unauthorized_client', 700016, 'Application not found.'));
    }
    if (assertion) {
      if (
        form.get('client_assertion_type') !==
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
      ) {
        return refuse(refusal(400, 'invalid_request', 50027, 'Unexpected client_assertion_type.'));
      }
      const refused = await verifyAssertion(app, assertion, record);
      if (refused) {
        return refuse(refused);
      }
    } else if (!secret || !(app.secrets ?? []).some((known) => safeEqual(known, secret))) {
      return refuse(
        refusal(
          401,
          'invalid_client',
          7000215,
          'Invalid client secret provided. Ensure the secret being sent is the client secret value, not the client secret ID.',
        ),
      );
    }
    const accessToken = randomBytes(24).toString('base64url');
    issued.set(accessToken, {
      clientId: app.clientId,
      scope,
      expiresAt: Date.now() + ttlSeconds * 1000,
    });
    sendJson(response, 200, {
      token_type: 'Bearer',
      expires_in: ttlSeconds,
      ext_expires_in: ttlSeconds,
      access_token: accessToken,
    });
  };

  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'POST' && path === tokenPath) {
      handleToken(request, response).catch(() => {
        sendJson(response, 500, { error: 'server_error' });
      });
      return;
    }
    sendJson(response, 404, { error: 'not_found' });
  });
  const { port } = await listenOnLoopback(server, 0);
  const url = `http://127.0.0.1:${port}`;
  tokenEndpoint = `${url}${tokenPath}`;

  return {
    url,
    tokenEndpoint,
    requests,
    verifyAccessToken: (accessToken) => {
      const token = issued.get(accessToken);
      return token && Date.now() < token.expiresAt
        ? { clientId: token.clientId, scope: token.scope }
        : undefined;
    },
    stop: () => stopServer(server),
  };
};

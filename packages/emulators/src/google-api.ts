/**
 * A Google sign-in emulator on loopback: the OpenID Connect endpoints Google's discovery document
 * lists (https://accounts.google.com/.well-known/openid-configuration), under one base URL, with
 * Google's paths and answers:
 * - `GET  /o/oauth2/v2/auth` — an account chooser page (or, with `autoApprove`, a redirect);
 * - `POST /o/oauth2/v2/auth` — the chooser's buttons;
 * - `POST /token` — authorization code (PKCE S256/plain) and refresh token grants, returning an
 *   RS256 ID token signed by a key generated at start;
 * - `GET  /oauth2/v3/certs` — the JWKS; `GET|POST /v1/userinfo`; the discovery document.
 *
 * The issuer is the base URL (`http://127.0.0.1:<port>`), so a relying party pointed at the
 * emulator must accept that issuer instead of `https://accounts.google.com`; the Google connector
 * does so through `configureGoogleConnector({ endpoints })`, which its default export never uses.
 *
 * Sources: https://developers.google.com/identity/openid-connect/openid-connect (ID token claims,
 * `hd`, `nonce`, `at_hash`), https://developers.google.com/identity/protocols/oauth2/web-server
 * (`access_type=offline`, `prompt`, error codes `redirect_uri_mismatch`, `invalid_grant`,
 * `invalid_client`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import {
  escapeHtml,
  listenOnLoopback,
  readBody,
  safeEqual,
  sendHtml as sendEmulatorHtml,
  sendJson,
  stopServer,
} from './emulator-http';

/** One Google account: the claims Google releases for it (`sub` is its numeric id). */
export type GoogleEmulatorAccount = {
  sub: string;
  email: string;
  email_verified: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
  picture?: string;
  locale?: string;
  /** The Google Workspace domain, for Workspace accounts only. */
  hd?: string;
};

export type GoogleEmulatorClient = {
  clientId: string;
  clientSecret: string;
  /**
   * Authorized redirect URIs (exact match, as Google requires).
   * @default undefined (any http(s) URL on a loopback host)
   */
  redirectUris?: string[];
};

export type GoogleEmulatorOptions = {
  /** @default [defaultGoogleEmulatorClient] */
  clients?: GoogleEmulatorClient[];
  /** @default defaultGoogleEmulatorAccounts */
  accounts?: GoogleEmulatorAccount[];
  /**
   * Skip the account chooser: sign the first account (or the `login_hint` one) in at once.
   * @default false
   */
  autoApprove?: boolean;
  /**
   * Leave the profile claims (name, picture...) out of the ID token, so a relying party must read
   * them from the userinfo endpoint.
   * @default false (Google puts them in the ID token when `profile` is granted)
   */
  profileClaimsInUserinfoOnly?: boolean;
  /** @default 0 (a free port) */
  port?: number;
};

export type GoogleEmulatorRequest = { method: string; path: string };

export type GoogleEmulator = {
  /** `http://127.0.0.1:<port>`, also the `iss` of every ID token. */
  issuer: string;
  discoveryUrl: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userinfoEndpoint: string;
  jwksUri: string;
  /** `configureGoogleConnector(connectorOptions)` reaches this emulator (Google's endpoints are fixed). */
  connectorOptions: {
    endpoints: {
      authorizationEndpoint: string;
      tokenEndpoint: string;
      userinfoEndpoint: string;
      jwksUri: string;
      issuers: string[];
    };
  };
  clients: readonly GoogleEmulatorClient[];
  accounts: readonly GoogleEmulatorAccount[];
  /** Every request received, in order (query strings dropped). */
  readonly requests: readonly GoogleEmulatorRequest[];
  stop(): Promise<void>;
};

export const defaultGoogleEmulatorClient: GoogleEmulatorClient = {
  clientId: '000000000000-emulator.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-emulator-client-secret-000',
};

export const defaultGoogleEmulatorAccounts: GoogleEmulatorAccount[] = [
  {
    sub: '104729104729104729104',
    email: 'alice.liddell@example.com',
    email_verified: true,
    name: 'Alice Liddell',
    given_name: 'Alice',
    family_name: 'Liddell',
    picture: 'https://avatars.example.com/google/alice.png',
    locale: 'en',
  },
];

const CodeTtlMs = 5 * 60 * 1000;
const AccessTokenTtlSeconds = 3599;
const IdTokenTtlSeconds = 3600;
const LoopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

const EmailScope = 'https://www.googleapis.com/auth/userinfo.email';
const ProfileScope = 'https://www.googleapis.com/auth/userinfo.profile';

type AuthorizationRequest = {
  client: GoogleEmulatorClient;
  redirectUri: string;
  state: string | undefined;
  /** Granted scopes, in Google's spelling (`email` becomes the userinfo.email URL). */
  scopes: string[];
  nonce: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: 'S256' | 'plain';
  offline: boolean;
  loginHint: string | undefined;
};

type Grant = AuthorizationRequest & { account: GoogleEmulatorAccount };

// Google's account chooser lists accounts as left-aligned buttons.
const sendHtml = (response: ServerResponse, status: number, title: string, body: string) =>
  sendEmulatorHtml(
    response,
    'Google emulator',
    status,
    title,
    body,
    'button{text-align:left}button.secondary{text-align:center}',
  );

/** Google answers `scope` with the long spellings of `email` and `profile`. */
const grantedScopes = (requested: string): string[] => {
  const scopes = requested.split(/\s+/).filter(Boolean);
  return [
    ...new Set(
      scopes.map((scope) =>
        scope === 'email' ? EmailScope : scope === 'profile' ? ProfileScope : scope,
      ),
    ),
  ];
};

/** OIDC Core §3.1.3.6: the left half of SHA-256 of the access token, base64url. */
const atHash = (accessToken: string): string => {
  return createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
};

const profileClaimsOf = (account: GoogleEmulatorAccount): Record<string, unknown> => {
  const { name, given_name, family_name, picture, locale } = account;
  return Object.fromEntries(
    Object.entries({ name, given_name, family_name, picture, locale }).filter(
      ([, value]) => value !== undefined,
    ),
  );
};

const claimsFor = (account: GoogleEmulatorAccount, scopes: string[]): Record<string, unknown> => {
  return {
    sub: account.sub,
    ...(account.hd !== undefined && { hd: account.hd }),
    ...(scopes.includes(EmailScope) && {
      email: account.email,
      email_verified: account.email_verified,
    }),
    ...(scopes.includes(ProfileScope) && profileClaimsOf(account)),
  };
};

export const startGoogleEmulator = async (
  options: GoogleEmulatorOptions = {},
): Promise<GoogleEmulator> => {
  const clients = options.clients ?? [defaultGoogleEmulatorClient];
  const accounts = options.accounts ?? defaultGoogleEmulatorAccounts;
  const requests: GoogleEmulatorRequest[] = [];
  const pending = new Map<string, AuthorizationRequest>();
  const codes = new Map<string, Grant & { expiresAt: number }>();
  const accessTokens = new Map<string, Grant & { expiresAt: number }>();
  const refreshTokens = new Map<string, Grant>();

  const kid = `emulator-${randomBytes(8).toString('hex')}`;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };

  let issuer = '';
  const path = {
    authorization: '/o/oauth2/v2/auth',
    token: '/token',
    userinfo: '/v1/userinfo',
    jwks: '/oauth2/v3/certs',
    discovery: '/.well-known/openid-configuration',
  };

  const findClient = (clientId: string) =>
    clients.find((client) => safeEqual(client.clientId, clientId));

  const redirectUriAllowed = (client: GoogleEmulatorClient, value: string): boolean => {
    if (client.redirectUris !== undefined) {
      return client.redirectUris.includes(value);
    }
    try {
      const url = new URL(value);
      return (
        (url.protocol === 'http:' || url.protocol === 'https:') && LoopbackHosts.has(url.hostname)
      );
    } catch {
      return false;
    }
  };

  const redirectBack = (
    response: ServerResponse,
    request: AuthorizationRequest,
    params: Record<string, string>,
  ) => {
    const target = new URL(request.redirectUri);
    for (const [key, value] of Object.entries(params)) {
      target.searchParams.set(key, value);
    }
    if (request.state !== undefined) {
      target.searchParams.set('state', request.state);
    }
    // Google adds the RFC 9207 issuer identifier to its authorization responses.
    target.searchParams.set('iss', issuer);
    response.writeHead(302, { location: target.href, 'cache-control': 'no-store' });
    response.end();
  };

  const signIn = (
    response: ServerResponse,
    request: AuthorizationRequest,
    account: GoogleEmulatorAccount,
  ) => {
    const code = `4/0${randomBytes(24).toString('base64url')}`;
    codes.set(code, { ...request, account, expiresAt: Date.now() + CodeTtlMs });
    redirectBack(response, request, {
      code,
      scope: request.scopes.join(' '),
      authuser: '0',
      prompt: request.offline ? 'consent' : 'none',
    });
  };

  const authorize = (response: ServerResponse, url: URL) => {
    const params = url.searchParams;
    const client = findClient(params.get('client_id') ?? '');
    if (client === undefined) {
      return sendHtml(
        response,
        401,
        'Access blocked: invalid_client',
        '<p>The OAuth client was not found.</p><p>Error 401: <code>invalid_client</code></p>',
      );
    }
    const redirectUri = params.get('redirect_uri') ?? '';
    if (!redirectUriAllowed(client, redirectUri)) {
      return sendHtml(
        response,
        400,
        'Access blocked: redirect_uri_mismatch',
        `<p>The redirect URI <code>${escapeHtml(redirectUri)}</code> is not registered for this client.</p><p>Error 400: <code>redirect_uri_mismatch</code></p>`,
      );
    }
    const method = params.get('code_challenge_method') ?? 'plain';
    const request: AuthorizationRequest = {
      client,
      redirectUri,
      state: params.get('state') ?? undefined,
      scopes: grantedScopes(params.get('scope') ?? ''),
      nonce: params.get('nonce') ?? undefined,
      codeChallenge: params.get('code_challenge') ?? undefined,
      codeChallengeMethod: method === 'S256' ? 'S256' : 'plain',
      offline: params.get('access_type') === 'offline',
      loginHint: params.get('login_hint') ?? undefined,
    };
    if (params.get('response_type') !== 'code') {
      return redirectBack(response, request, {
        error: 'unsupported_response_type',
        error_description: 'Only response_type=code is supported by this emulator',
      });
    }
    if (method !== 'S256' && method !== 'plain') {
      return redirectBack(response, request, {
        error: 'invalid_request',
        error_description: `Invalid code_challenge_method: ${method}`,
      });
    }
    if (request.scopes.length === 0) {
      return redirectBack(response, request, {
        error: 'invalid_request',
        error_description: 'Missing required parameter: scope',
      });
    }
    const prompts = (params.get('prompt') ?? '').split(' ').filter(Boolean);
    if (prompts.includes('none') && prompts.length > 1) {
      return redirectBack(response, request, {
        error: 'invalid_request',
        error_description: 'prompt=none cannot be combined with other prompts',
      });
    }
    const hinted = accounts.find(
      (account) => account.email === request.loginHint || account.sub === request.loginHint,
    );
    if (options.autoApprove || prompts.includes('none')) {
      const account = hinted ?? accounts[0];
      if (account === undefined || (prompts.includes('none') && !options.autoApprove)) {
        // prompt=none without a session: no page may be shown (OIDC Core §3.1.2.6).
        return redirectBack(response, request, {
          error: 'interaction_required',
          error_description: 'The user is not signed in',
        });
      }
      return signIn(response, request, account);
    }

    const id = randomBytes(12).toString('hex');
    pending.set(id, request);
    const chooser = accounts
      .map(
        (account) =>
          `<button type="submit" name="account" value="${escapeHtml(account.sub)}"${account === hinted ? ' autofocus' : ''}>${escapeHtml(account.name ?? account.email)}<br><small>${escapeHtml(account.email)}${account.email_verified ? '' : ' · email not verified'}</small></button>`,
      )
      .join('\n');
    const scopeList = request.scopes.map((scope) => `<code>${escapeHtml(scope)}</code>`).join(' ');
    return sendHtml(
      response,
      200,
      'Choose an account',
      `<p>to continue to <code>${escapeHtml(new URL(redirectUri).origin)}</code>, which asks for ${scopeList}</p>
<form method="post" action="${path.authorization}" data-emulator="google">
<input type="hidden" name="request" value="${id}">
${chooser}
<button type="submit" name="account" value="" class="secondary">Cancel</button>
</form>`,
    );
  };

  const choose = async (request: IncomingMessage, response: ServerResponse) => {
    const form = new URLSearchParams(await readBody(request));
    const authorization = pending.get(form.get('request') ?? '');
    if (authorization === undefined) {
      return sendHtml(
        response,
        400,
        'Expired',
        '<p>This sign-in request is unknown or already answered.</p>',
      );
    }
    pending.delete(form.get('request') ?? '');
    const account = accounts.find((candidate) => candidate.sub === form.get('account'));
    if (account === undefined) {
      return redirectBack(response, authorization, { error: 'access_denied' });
    }
    return signIn(response, authorization, account);
  };

  const tokenError = (
    response: ServerResponse,
    status: number,
    error: string,
    description: string,
  ) => sendJson(response, status, { error, error_description: description });

  const issueTokens = async (grant: Grant, withRefreshToken: boolean, includeIdToken: boolean) => {
    const accessToken = `ya29.${randomBytes(32).toString('base64url')}`;
    accessTokens.set(accessToken, {
      ...grant,
      expiresAt: Date.now() + AccessTokenTtlSeconds * 1000,
    });
    const body: Record<string, unknown> = {
      access_token: accessToken,
      expires_in: AccessTokenTtlSeconds,
      scope: grant.scopes.join(' '),
      token_type: 'Bearer',
    };
    if (withRefreshToken) {
      const refreshToken = `1//0${randomBytes(32).toString('base64url')}`;
      refreshTokens.set(refreshToken, grant);
      body.refresh_token = refreshToken;
    }
    if (includeIdToken && grant.scopes.includes('openid')) {
      const now = Math.floor(Date.now() / 1000);
      const claims = claimsFor(grant.account, grant.scopes);
      if (options.profileClaimsInUserinfoOnly) {
        for (const name of Object.keys(profileClaimsOf(grant.account))) {
          delete claims[name];
        }
      }
      body.id_token = await new SignJWT({
        ...claims,
        azp: grant.client.clientId,
        at_hash: atHash(accessToken),
        ...(grant.nonce !== undefined && { nonce: grant.nonce }),
      })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(grant.client.clientId)
        .setIssuedAt(now)
        .setExpirationTime(now + IdTokenTtlSeconds)
        .sign(privateKey);
    }
    return body;
  };

  const token = async (request: IncomingMessage, response: ServerResponse) => {
    const params = Object.fromEntries(new URLSearchParams(await readBody(request)));
    // client_secret_basic or client_secret_post, both listed in Google's discovery document.
    let clientId = params.client_id ?? '';
    let clientSecret = params.client_secret ?? '';
    const basic = /^basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (basic?.[1] !== undefined) {
      const [id = '', secret = ''] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id);
      clientSecret = decodeURIComponent(secret);
    }
    const client = findClient(clientId);
    if (client === undefined || !safeEqual(clientSecret, client.clientSecret)) {
      return tokenError(response, 401, 'invalid_client', 'Unauthorized');
    }

    if (params.grant_type === 'refresh_token') {
      const grant = refreshTokens.get(params.refresh_token ?? '');
      if (grant === undefined || grant.client.clientId !== client.clientId) {
        return tokenError(response, 400, 'invalid_grant', 'Token has been expired or revoked.');
      }
      return sendJson(response, 200, await issueTokens(grant, false, true));
    }
    if (params.grant_type !== 'authorization_code') {
      return tokenError(
        response,
        400,
        'unsupported_grant_type',
        `Invalid grant_type: ${params.grant_type ?? ''}`,
      );
    }
    const code = params.code ?? '';
    const grant = codes.get(code);
    codes.delete(code);
    if (
      grant === undefined ||
      grant.expiresAt < Date.now() ||
      grant.client.clientId !== client.clientId
    ) {
      return tokenError(response, 400, 'invalid_grant', 'Malformed auth code.');
    }
    if (params.redirect_uri !== grant.redirectUri) {
      return tokenError(response, 400, 'redirect_uri_mismatch', 'Bad Request');
    }
    if (grant.codeChallenge !== undefined) {
      const verifier = params.code_verifier ?? '';
      const computed =
        grant.codeChallengeMethod === 'S256'
          ? createHash('sha256').update(verifier).digest('base64url')
          : verifier;
      if (verifier === '' || computed !== grant.codeChallenge) {
        return tokenError(response, 400, 'invalid_grant', 'Invalid code verifier.');
      }
    } else if (params.code_verifier !== undefined) {
      return tokenError(
        response,
        400,
        'invalid_grant',
        'code_verifier sent without code_challenge.',
      );
    }
    return sendJson(response, 200, await issueTokens(grant, grant.offline, true));
  };

  const userinfo = (request: IncomingMessage, response: ServerResponse) => {
    const match = /^bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const grant = match?.[1] === undefined ? undefined : accessTokens.get(match[1]);
    if (grant === undefined || grant.expiresAt < Date.now()) {
      response.setHeader(
        'www-authenticate',
        'Bearer realm="https://accounts.google.com/", error="invalid_token"',
      );
      return sendJson(response, 401, {
        error: 'invalid_request',
        error_description: 'Invalid Credentials',
      });
    }
    return sendJson(response, 200, claimsFor(grant.account, grant.scopes));
  };

  const discovery = () => ({
    issuer,
    authorization_endpoint: `${issuer}${path.authorization}`,
    token_endpoint: `${issuer}${path.token}`,
    userinfo_endpoint: `${issuer}${path.userinfo}`,
    jwks_uri: `${issuer}${path.jwks}`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'email', 'profile'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    code_challenge_methods_supported: ['plain', 'S256'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
  });

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    requests.push({ method, path: url.pathname });
    const fail = (error: unknown) => {
      if (!response.headersSent) {
        sendJson(response, 500, { error: 'internal_failure', error_description: String(error) });
      } else {
        response.destroy();
      }
    };
    switch (`${method} ${url.pathname}`) {
      case `GET ${path.authorization}`:
        return authorize(response, url);
      case `POST ${path.authorization}`:
        return void choose(request, response).catch(fail);
      case `POST ${path.token}`:
        return void token(request, response).catch(fail);
      case `GET ${path.userinfo}`:
      case `POST ${path.userinfo}`:
        return userinfo(request, response);
      case `GET ${path.jwks}`:
        return sendJson(response, 200, { keys: [publicJwk] });
      case `GET ${path.discovery}`:
        return sendJson(response, 200, discovery());
      default:
        return sendJson(response, 404, { error: 'not_found' });
    }
  });
  const { port } = await listenOnLoopback(server, options.port ?? 0);
  issuer = `http://127.0.0.1:${port}`;

  const endpoints = {
    authorizationEndpoint: `${issuer}${path.authorization}`,
    tokenEndpoint: `${issuer}${path.token}`,
    userinfoEndpoint: `${issuer}${path.userinfo}`,
    jwksUri: `${issuer}${path.jwks}`,
  };
  return {
    issuer,
    discoveryUrl: `${issuer}${path.discovery}`,
    ...endpoints,
    connectorOptions: { endpoints: { ...endpoints, issuers: [issuer] } },
    clients,
    accounts,
    get requests() {
      return requests;
    },
    stop: () => stopServer(server),
  };
};

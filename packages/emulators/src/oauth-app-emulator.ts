/**
 * The OAuth 2.0 authorization server part every plain-OAuth provider emulator shares (RFC 6749
 * §4.1 code flow, §6 refresh): the authorization page (oauth-authorization-page.ts), single-use codes bound to their redirect URI (and PKCE S256 challenge, RFC 7636),
 * client authentication (form or Basic), access and refresh tokens. A provider emulator declares
 * its paths, its error format and its API routes on top (discord.ts, gitlab.ts, facebook.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, readBody, safeEqual, sendJson, stopServer } from './emulator-http';
import { createAuthorizationEndpoint } from './oauth-authorization-page';

export type OAuthEmulatorApp = { clientId: string; clientSecret: string; name: string };

/** One grant: what the user approved, carried by its code and then by its tokens. */
export type OAuthEmulatorGrant = {
  redirectUri: string;
  state: string | undefined;
  scopes: string[];
  codeChallenge: string | undefined;
  /** Every parameter of the authorization request (a nonce, say). */
  parameters: Record<string, string>;
  /** Who signed in: one of `otherAccounts` by id; `undefined` for the emulator's default user. */
  accountId?: string;
};

/** A user besides the default one, offered as "Sign in as <label>" (the personas, personas.ts). */
export type OAuthEmulatorAccount<User> = { label: string; user: User };

/**
 * The users of an emulator with one default user and `otherAccounts`: what the authorization page
 * offers, and the user a token was issued for.
 */
export const emulatorAccountsOf = <User>(
  defaultUser: User,
  otherAccounts: readonly OAuthEmulatorAccount<User>[] = [],
  idOf: (user: User) => string,
) => {
  const byId = new Map(otherAccounts.map((account) => [idOf(account.user), account.user]));
  return {
    pageAccounts: otherAccounts.map((account) => ({
      id: idOf(account.user),
      label: account.label,
    })),
    userOf: (grant: { accountId?: string } | undefined): User =>
      (grant?.accountId === undefined ? undefined : byId.get(grant.accountId)) ?? defaultUser,
  };
};

export type OAuthEmulatorToken = OAuthEmulatorGrant & { accessToken: string; expiresAt: number };

/** A token-endpoint failure in the provider's own format. */
export type OAuthEmulatorTokenError =
  | 'invalid_client'
  | 'invalid_grant'
  | 'invalid_request'
  | 'unsupported_grant_type';

/** Why a code was refused. */
export type OAuthEmulatorCodeRefusal = 'unknown' | 'used' | 'expired' | 'redirect_uri' | 'pkce';

export type OAuthEmulatorRequest = { method: string; path: string; query: Record<string, string> };

export type OAuthEmulatorRouteContext = {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  /** The grant of the `Bearer` token (or `access_token` query parameter), if it is valid. */
  token: OAuthEmulatorToken | undefined;
  /** The token as presented, valid or not. */
  presentedToken: string | undefined;
  baseUrl: string;
};

export type OAuthEmulatorRoute = {
  method: 'GET' | 'POST';
  path: string;
  handle: (context: OAuthEmulatorRouteContext) => void | Promise<void>;
};

export type OAuthEmulatorDefinition = {
  /** "Discord emulator", for page titles. */
  name: string;
  app: OAuthEmulatorApp;
  /** The account shown on the authorization page. */
  accountLabel: string;
  /** Other users to sign in as, each a button beside "Authorize" (`emulatorAccountsOf`). */
  otherAccounts?: ReadonlyArray<{ id: string; label: string }>;
  authorizePath: string;
  tokenPath: string;
  /** Facebook also accepts the code exchange as a GET. @default ['POST'] */
  tokenMethods?: readonly ('GET' | 'POST')[];
  /** Issue refresh tokens and accept the refresh grant. */
  refreshTokens: boolean;
  /** Seconds an access token lives. @default 3600 */
  accessTokenTtl?: number;
  autoApprove?: boolean;
  /**
   * The token endpoint's error answer, in the provider's format; `reason` says why a code was
   * refused (Facebook answers each with its own subcode).
   */
  tokenError: (
    response: ServerResponse,
    error: OAuthEmulatorTokenError,
    description: string,
    reason?: OAuthEmulatorCodeRefusal,
  ) => void;
  /** Extra members of a successful token response (an ID token, say). */
  tokenResponseExtras?: (
    token: OAuthEmulatorToken,
    baseUrl: string,
  ) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Other grants (Facebook's `fb_exchange_token`): answer and return true, or return false. */
  extraGrant?: (
    parameters: Record<string, string>,
    context: {
      response: ServerResponse;
      issue: (grant: OAuthEmulatorGrant) => OAuthEmulatorToken;
      lookup: (accessToken: string) => OAuthEmulatorToken | undefined;
    },
  ) => boolean;
  routes: OAuthEmulatorRoute[];
  /** The answer to any other path. */
  notFound: (response: ServerResponse) => void;
  port?: number;
};

export type OAuthEmulator = {
  baseUrl: string;
  app: OAuthEmulatorApp;
  /** Every request received, in order. */
  readonly requests: readonly OAuthEmulatorRequest[];
  /** Makes a valid access token without a browser (for API tests). */
  issueAccessToken: (scopes: string[]) => string;
  stop(): Promise<void>;
};

/** RFC 6749 §5.2's error answer: 401 for a failed client authentication, 400 otherwise. */
export const sendStandardTokenError: OAuthEmulatorDefinition['tokenError'] = (
  response,
  error,
  description,
) =>
  sendJson(response, error === 'invalid_client' ? 401 : 400, {
    error,
    error_description: description,
  });

const CodeTtlMs = 10 * 60 * 1000;
const basicCredentials = (header: string | undefined): [string, string] | undefined => {
  const match = /^basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) {
    return undefined;
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    return undefined;
  }
  return [
    decodeURIComponent(decoded.slice(0, colon)),
    decodeURIComponent(decoded.slice(colon + 1)),
  ];
};

export const startOAuthEmulator = async (
  definition: OAuthEmulatorDefinition,
): Promise<OAuthEmulator> => {
  const { app } = definition;
  const ttl = (definition.accessTokenTtl ?? 3600) * 1000;
  const requests: OAuthEmulatorRequest[] = [];
  const codes = new Map<string, OAuthEmulatorGrant & { expiresAt: number }>();
  const usedCodes = new Set<string>();
  const accessTokens = new Map<string, OAuthEmulatorToken>();
  const refreshTokens = new Map<string, OAuthEmulatorGrant>();
  let baseUrl = '';

  const issue = (grant: OAuthEmulatorGrant): OAuthEmulatorToken => {
    const token = {
      ...grant,
      accessToken: randomBytes(18).toString('base64url'),
      expiresAt: Date.now() + ttl,
    };
    accessTokens.set(token.accessToken, token);
    return token;
  };
  const lookup = (accessToken: string) => {
    const token = accessTokens.get(accessToken);
    return token && token.expiresAt > Date.now() ? token : undefined;
  };

  const authorizationEndpoint = createAuthorizationEndpoint(definition, (grant) => {
    const code = randomBytes(12).toString('hex');
    codes.set(code, { ...grant, expiresAt: Date.now() + CodeTtlMs });
    return code;
  });

  const tokenSuccess = async (response: ServerResponse, token: OAuthEmulatorToken) => {
    const refreshToken = definition.refreshTokens
      ? randomBytes(18).toString('base64url')
      : undefined;
    if (refreshToken) {
      refreshTokens.set(refreshToken, token);
    }
    sendJson(response, 200, {
      access_token: token.accessToken,
      token_type: 'Bearer',
      expires_in: Math.round(ttl / 1000),
      ...(refreshToken && { refresh_token: refreshToken }),
      scope: token.scopes.join(' '),
      ...(await definition.tokenResponseExtras?.(token, baseUrl)),
    });
  };

  const token = async (request: IncomingMessage, response: ServerResponse, url: URL) => {
    const parameters =
      request.method === 'GET'
        ? Object.fromEntries(url.searchParams)
        : Object.fromEntries(new URLSearchParams(await readBody(request)));
    const [clientId, clientSecret] = basicCredentials(request.headers.authorization) ?? [
      parameters.client_id ?? '',
      parameters.client_secret ?? '',
    ];
    if (!safeEqual(clientId, app.clientId) || !safeEqual(clientSecret, app.clientSecret)) {
      return definition.tokenError(response, 'invalid_client', 'Client authentication failed.');
    }
    if (definition.extraGrant?.(parameters, { response, issue, lookup })) {
      return;
    }
    if (parameters.grant_type === 'refresh_token' && definition.refreshTokens) {
      const grant = refreshTokens.get(parameters.refresh_token ?? '');
      if (grant === undefined) {
        return definition.tokenError(response, 'invalid_grant', 'The refresh token is invalid.');
      }
      refreshTokens.delete(parameters.refresh_token ?? '');
      return tokenSuccess(response, issue(grant));
    }
    // Facebook's exchange names no grant type; everyone else sends authorization_code.
    if (parameters.grant_type !== undefined && parameters.grant_type !== 'authorization_code') {
      return definition.tokenError(
        response,
        'unsupported_grant_type',
        'The grant type is not supported.',
      );
    }
    const code = parameters.code ?? '';
    const issued = codes.get(code);
    // RFC 6749 §4.1.2: a code is good once.
    codes.delete(code);
    const refuse = (reason: OAuthEmulatorCodeRefusal, description: string) =>
      definition.tokenError(response, 'invalid_grant', description, reason);
    if (issued === undefined) {
      return usedCodes.has(code)
        ? refuse('used', 'The authorization code has already been used.')
        : refuse('unknown', 'The authorization code is invalid.');
    }
    usedCodes.add(code);
    if (issued.expiresAt < Date.now()) {
      return refuse('expired', 'The authorization code has expired.');
    }
    if (parameters.redirect_uri !== issued.redirectUri) {
      return refuse('redirect_uri', 'The redirect_uri does not match the authorization request.');
    }
    if (issued.codeChallenge !== undefined) {
      const verifier = parameters.code_verifier ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== issued.codeChallenge) {
        return refuse('pkce', 'The code_verifier does not match the code_challenge.');
      }
    }
    return tokenSuccess(response, issue(issued));
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    requests.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams) });
    const fail = (error: unknown) => {
      if (!response.headersSent) {
        sendJson(response, 500, { message: String(error) });
      } else {
        response.destroy();
      }
    };
    const run = (work: () => void | Promise<void>) => {
      void Promise.resolve().then(work).catch(fail);
    };
    if (url.pathname === definition.authorizePath) {
      if (method === 'GET') {
        return authorizationEndpoint.show(response, url);
      }
      if (method === 'POST') {
        return run(() => authorizationEndpoint.decide(request, response));
      }
    }
    if (
      url.pathname === definition.tokenPath &&
      (definition.tokenMethods ?? ['POST']).includes(method as 'GET' | 'POST')
    ) {
      return run(() => token(request, response, url));
    }
    const route = definition.routes.find(
      (candidate) => candidate.path === url.pathname && candidate.method === method,
    );
    if (route === undefined) {
      return definition.notFound(response);
    }
    const presentedToken =
      /^bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ??
      url.searchParams.get('access_token') ??
      undefined;
    return run(() =>
      route.handle({
        request,
        response,
        url,
        token: presentedToken === undefined ? undefined : lookup(presentedToken),
        presentedToken,
        baseUrl,
      }),
    );
  });
  const { port } = await listenOnLoopback(server, definition.port ?? 0);
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    app,
    get requests() {
      return requests;
    },
    issueAccessToken: (scopes) =>
      issue({ redirectUri: '', state: undefined, scopes, codeChallenge: undefined, parameters: {} })
        .accessToken,
    stop: () => stopServer(server),
  };
};

/**
 * A Sign in with Apple emulator on loopback, built on jose, with Apple's paths under one base URL:
 * - `GET  /auth/authorize` — an account page (or, with `autoApprove`, the answer at once);
 * - `POST /auth/authorize` — the page's buttons;
 *   the answer is Apple's `response_mode=form_post`: a page whose form posts `code`, `id_token`
 *   (with `response_type=code id_token`), `state` and, on an account's first authorization of a
 *   client only, `user` (a JSON string with the name and email) to the redirect URI by itself;
 * - `POST /auth/token` — authorization code and refresh token grants; the `client_secret` must be
 *   an ES256 JWT signed by the client's registered key (`kid`), `iss` the team, `sub` the client,
 *   `aud` the issuer, at most six months long, else `invalid_client` (Apple's only answer);
 * - `GET  /auth/keys` — the JWKS of the RS256 key that signs the ID tokens.
 *
 * The issuer is the base URL (`http://127.0.0.1:<port>`); the Apple connector is pointed at it
 * through `configureAppleConnector({ endpoints })`, which its default export never uses.
 *
 * Sources: https://developer.apple.com/documentation/sign_in_with_apple/request_an_authorization_to_the_sign_in_with_apple_server
 * (parameters, form_post, `user`), .../generate_and_validate_tokens (grants, client secret),
 * .../authenticating-users-with-sign-in-with-apple (ID token claims, string booleans),
 * .../errorresponse (`invalid_client`, `invalid_grant`), `user_cancelled_authorize`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  decodeProtectedHeader,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  importJWK,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import {
  escapeHtml,
  listenOnLoopback,
  readBody,
  sendHtml,
  sendJson,
  stopServer,
} from './emulator-http';

/** One Apple ID, as Apple releases it to one team. */
export type AppleEmulatorAccount = {
  sub: string;
  /** The real address, or a private relay one (`…@privaterelay.appleid.com`). */
  email?: string;
  firstName?: string;
  lastName?: string;
  /**
   * The button reads "Sign in as <label>" instead of "Continue as <name>" (the personas,
   * personas.ts, beside the usual account).
   */
  label?: string;
  /** Apple sends `email_verified` / `is_private_email` as strings or booleans. @default 'string' */
  booleansAs?: 'string' | 'boolean';
};

/** A Services ID with the Sign in with Apple key its team registered (the public half). */
export type AppleEmulatorClient = {
  clientId: string;
  teamId: string;
  keyId: string;
  publicKey: JWK;
};

export type AppleEmulatorOptions = {
  /** @default one client with a key generated at start (its private key in `connectorConfig`) */
  clients?: AppleEmulatorClient[];
  /** @default defaultAppleEmulatorAccounts */
  accounts?: AppleEmulatorAccount[];
  /** Answer at once for the first account, without the account page. @default false */
  autoApprove?: boolean;
  /** @default 0 (a free port) */
  port?: number;
};

export type AppleEmulatorRequest = { method: string; path: string };

/** What the form_post page posts to the redirect URI. */
export type AppleFormPost = { action: string; fields: Record<string, string> };

export type AppleEmulator = {
  /** `http://127.0.0.1:<port>`: the `iss` of the ID tokens and the `aud` of client secrets. */
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  /** `configureAppleConnector({ endpoints })` for this emulator. */
  endpoints: {
    issuer: string;
    authorizationEndpoint: string;
    tokenEndpoint: string;
    jwksUri: string;
  };
  /**
   * A connector config for the first client: with the generated key (code flow) when the
   * emulator made one, else the ID-token-only config.
   */
  connectorConfig: Record<string, string>;
  clients: readonly AppleEmulatorClient[];
  accounts: readonly AppleEmulatorAccount[];
  /** Every request received, in order (query strings dropped). */
  readonly requests: readonly AppleEmulatorRequest[];
  /** Every client secret the token endpoint accepted or refused, in order. */
  readonly clientSecrets: readonly string[];
  /**
   * A browser on the authorization URL: picks `account` (the first by default) or cancels, and
   * returns the form the answer page would post to the redirect URI.
   */
  authorize(
    url: string | URL,
    choice?: { account?: string; cancel?: boolean },
  ): Promise<AppleFormPost>;
  stop(): Promise<void>;
};

export const defaultAppleEmulatorAccounts: AppleEmulatorAccount[] = [
  {
    sub: '001234.0a1b2c3d4e5f60718293a4b5c6d7e8f9.1234',
    email: 'k7x9q2mz4p@privaterelay.appleid.com',
    firstName: 'Zoë',
    lastName: 'Åkesson',
  },
];

const codeTtlMs = 5 * 60 * 1000;
/** Apple's limit on a client secret: 15777000 seconds (six months). */
const maxClientSecretSeconds = 15_777_000;
const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

type AuthorizationRequest = {
  client: AppleEmulatorClient;
  redirectUri: string;
  state: string | undefined;
  nonce: string | undefined;
  scopes: string[];
  withIdToken: boolean;
};

type Grant = AuthorizationRequest & { account: AppleEmulatorAccount };

const fieldsOfFormPage = (html: string): AppleFormPost => {
  const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1] ?? '';
  const fields: Record<string, string> = {};
  for (const [, name = '', value = ''] of html.matchAll(
    /<input type="hidden" name="([^"]*)" value="([^"]*)">/g,
  )) {
    fields[name] = value.replace(/&#(\d+);/g, (_, code: string) =>
      String.fromCharCode(Number(code)),
    );
  }
  return {
    action: action.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))),
    fields,
  };
};

export const startAppleEmulator = async (
  options: AppleEmulatorOptions = {},
): Promise<AppleEmulator> => {
  let generatedPrivateKey: string | undefined;
  let clients = options.clients;
  if (!clients) {
    const pair = await generateKeyPair('ES256', { extractable: true });
    generatedPrivateKey = await exportPKCS8(pair.privateKey);
    clients = [
      {
        clientId: 'com.example.emulator.web',
        teamId: 'EMU1234567',
        keyId: 'EMUKEY0001',
        publicKey: await exportJWK(pair.publicKey),
      },
    ];
  }
  const accounts = options.accounts ?? defaultAppleEmulatorAccounts;
  const requests: AppleEmulatorRequest[] = [];
  const clientSecrets: string[] = [];
  const pending = new Map<string, AuthorizationRequest>();
  const codes = new Map<string, Grant & { expiresAt: number }>();
  const refreshTokens = new Map<string, Grant>();
  /** `user` is posted on an account's first authorization of a client only. */
  const authorizedBefore = new Set<string>();

  const kid = `emulator-${randomBytes(6).toString('hex')}`;
  const signing = await generateKeyPair('RS256', { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(signing.publicKey)), kid, alg: 'RS256', use: 'sig' };

  let issuer = '';
  const path = { authorization: '/auth/authorize', token: '/auth/token', jwks: '/auth/keys' };
  const page = (response: ServerResponse, status: number, title: string, body: string) =>
    sendHtml(response, 'Apple emulator', status, title, body);

  const redirectUriAllowed = (value: string): boolean => {
    try {
      const url = new URL(value);
      return (
        (url.protocol === 'http:' || url.protocol === 'https:') && loopbackHosts.has(url.hostname)
      );
    } catch {
      return false;
    }
  };

  const booleanClaim = (account: AppleEmulatorAccount, value: boolean) =>
    account.booleansAs === 'boolean' ? value : String(value);

  const idTokenFor = async (grant: Grant) => {
    const now = Math.floor(Date.now() / 1000);
    const { account } = grant;
    return new SignJWT({
      ...(grant.nonce !== undefined && { nonce: grant.nonce, nonce_supported: true }),
      ...(grant.scopes.includes('email') &&
        account.email !== undefined && {
          email: account.email,
          email_verified: booleanClaim(account, true),
          is_private_email: booleanClaim(
            account,
            account.email.endsWith('@privaterelay.appleid.com'),
          ),
        }),
      auth_time: now,
      real_user_status: 2,
    })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(issuer)
      .setAudience(grant.client.clientId)
      .setSubject(account.sub)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(signing.privateKey);
  };

  /** The form_post answer: a page whose form posts itself to the redirect URI. */
  const formPost = (
    response: ServerResponse,
    request: AuthorizationRequest,
    fields: Record<string, string>,
  ) => {
    const inputs = Object.entries({
      ...fields,
      ...(request.state !== undefined && { state: request.state }),
    })
      .map(
        ([name, value]) =>
          `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
      )
      .join('\n');
    page(
      response,
      200,
      'Signing in…',
      `<form method="post" action="${escapeHtml(request.redirectUri)}" data-emulator="apple">
${inputs}
<noscript><button type="submit">Continue</button></noscript>
</form>
<script>document.forms[0].submit()</script>`,
    );
  };

  const signIn = async (
    response: ServerResponse,
    request: AuthorizationRequest,
    account: AppleEmulatorAccount,
  ) => {
    const code = `c${randomBytes(24).toString('hex')}.0.emu.${randomBytes(8).toString('hex')}`;
    const grant: Grant = { ...request, account };
    codes.set(code, { ...grant, expiresAt: Date.now() + codeTtlMs });
    const firstTime = !authorizedBefore.has(`${request.client.clientId}\n${account.sub}`);
    authorizedBefore.add(`${request.client.clientId}\n${account.sub}`);
    const user =
      firstTime && request.scopes.length > 0
        ? JSON.stringify({
            ...(request.scopes.includes('name') && {
              name: { firstName: account.firstName ?? '', lastName: account.lastName ?? '' },
            }),
            ...(request.scopes.includes('email') &&
              account.email !== undefined && { email: account.email }),
          })
        : undefined;
    formPost(response, request, {
      code,
      ...(request.withIdToken && { id_token: await idTokenFor(grant) }),
      ...(user !== undefined && { user }),
    });
  };

  const authorize = async (response: ServerResponse, url: URL) => {
    const params = url.searchParams;
    const client = clients.find((candidate) => candidate.clientId === params.get('client_id'));
    const redirectUri = params.get('redirect_uri') ?? '';
    if (client === undefined || !redirectUriAllowed(redirectUri)) {
      // Apple shows "Your request could not be completed" and redirects nowhere.
      return page(
        response,
        400,
        'invalid_request',
        '<p>Invalid client id or web redirect url.</p>',
      );
    }
    const responseType = (params.get('response_type') ?? '').split(' ').sort().join(' ');
    const scopes = (params.get('scope') ?? '').split(/\s+/).filter(Boolean);
    const request: AuthorizationRequest = {
      client,
      redirectUri,
      state: params.get('state') ?? undefined,
      nonce: params.get('nonce') ?? undefined,
      scopes,
      withIdToken: responseType === 'code id_token',
    };
    if (responseType !== 'code' && responseType !== 'code id_token') {
      return page(response, 400, 'unsupported_response_type', '<p>Invalid response_type.</p>');
    }
    // Apple requires form_post whenever a scope is requested.
    if (scopes.length > 0 && params.get('response_mode') !== 'form_post') {
      return page(
        response,
        400,
        'invalid_request',
        '<p>response_mode must be form_post when name or email scope is requested.</p>',
      );
    }
    if (options.autoApprove && accounts[0]) {
      return signIn(response, request, accounts[0]);
    }
    const id = randomBytes(12).toString('hex');
    pending.set(id, request);
    const buttons = accounts
      .map(
        (account) =>
          `<button type="submit" name="account" value="${escapeHtml(account.sub)}">${
            account.label === undefined
              ? `Continue as ${escapeHtml([account.firstName, account.lastName].filter(Boolean).join(' ') || account.sub)}`
              : `Sign in as ${escapeHtml(account.label)}`
          }</button>`,
      )
      .join('\n');
    return page(
      response,
      200,
      'Sign in with Apple ID',
      `<p>to <code>${escapeHtml(client.clientId)}</code>${scopes.length > 0 ? `, sharing ${scopes.map((scope) => `<code>${escapeHtml(scope)}</code>`).join(' ')}` : ''}</p>
<form method="post" action="${path.authorization}" data-emulator="apple">
<input type="hidden" name="request" value="${id}">
${buttons}
<button type="submit" name="account" value="" class="secondary">Cancel</button>
</form>`,
    );
  };

  const choose = async (request: IncomingMessage, response: ServerResponse) => {
    const form = new URLSearchParams(await readBody(request));
    const authorization = pending.get(form.get('request') ?? '');
    pending.delete(form.get('request') ?? '');
    if (authorization === undefined) {
      return page(
        response,
        400,
        'Expired',
        '<p>This sign-in request is unknown or already answered.</p>',
      );
    }
    const account = accounts.find((candidate) => candidate.sub === form.get('account'));
    if (account === undefined) {
      return formPost(response, authorization, { error: 'user_cancelled_authorize' });
    }
    return signIn(response, authorization, account);
  };

  /** Apple's client secret check; every failure is the same `invalid_client`. */
  const clientOf = async (clientId: string, clientSecret: string) => {
    clientSecrets.push(clientSecret);
    const client = clients.find((candidate) => candidate.clientId === clientId);
    if (client === undefined) {
      return undefined;
    }
    try {
      if (decodeProtectedHeader(clientSecret).kid !== client.keyId) {
        return undefined;
      }
      const { payload } = await jwtVerify(
        clientSecret,
        await importJWK(client.publicKey, 'ES256'),
        {
          algorithms: ['ES256'],
          issuer: client.teamId,
          subject: client.clientId,
          audience: issuer,
          requiredClaims: ['iat', 'exp'],
        },
      );
      return (payload.exp ?? 0) - (payload.iat ?? 0) <= maxClientSecretSeconds ? client : undefined;
    } catch {
      return undefined;
    }
  };

  const tokens = async (grant: Grant, withRefreshToken: boolean) => {
    const body: Record<string, unknown> = {
      access_token: `a${randomBytes(24).toString('hex')}.0.emu.${randomBytes(8).toString('hex')}`,
      token_type: 'Bearer',
      expires_in: 3600,
      id_token: await idTokenFor(grant),
    };
    if (withRefreshToken) {
      const refreshToken = `r${randomBytes(24).toString('hex')}.0.emu.${randomBytes(8).toString('hex')}`;
      refreshTokens.set(refreshToken, grant);
      body.refresh_token = refreshToken;
    }
    return body;
  };

  const token = async (request: IncomingMessage, response: ServerResponse) => {
    const params = Object.fromEntries(new URLSearchParams(await readBody(request)));
    const client = await clientOf(params.client_id ?? '', params.client_secret ?? '');
    if (client === undefined) {
      return sendJson(response, 400, { error: 'invalid_client' });
    }
    if (params.grant_type === 'refresh_token') {
      const grant = refreshTokens.get(params.refresh_token ?? '');
      if (grant === undefined || grant.client.clientId !== client.clientId) {
        return sendJson(response, 400, { error: 'invalid_grant' });
      }
      // Apple's refresh answer: a new access token and ID token, no new refresh token.
      return sendJson(response, 200, await tokens(grant, false));
    }
    if (params.grant_type !== 'authorization_code') {
      return sendJson(response, 400, { error: 'unsupported_grant_type' });
    }
    const grant = codes.get(params.code ?? '');
    codes.delete(params.code ?? '');
    if (
      grant === undefined ||
      grant.expiresAt < Date.now() ||
      grant.client.clientId !== client.clientId ||
      params.redirect_uri !== grant.redirectUri
    ) {
      return sendJson(response, 400, { error: 'invalid_grant' });
    }
    return sendJson(response, 200, await tokens(grant, true));
  };

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
        return void authorize(response, url).catch(fail);
      case `POST ${path.authorization}`:
        return void choose(request, response).catch(fail);
      case `POST ${path.token}`:
        return void token(request, response).catch(fail);
      case `GET ${path.jwks}`:
        return sendJson(response, 200, { keys: [publicJwk] });
      default:
        return sendJson(response, 404, { error: 'not_found' });
    }
  });
  const { port } = await listenOnLoopback(server, options.port ?? 0);
  issuer = `http://127.0.0.1:${port}`;
  const endpoints = {
    issuer,
    authorizationEndpoint: `${issuer}${path.authorization}`,
    tokenEndpoint: `${issuer}${path.token}`,
    jwksUri: `${issuer}${path.jwks}`,
  };
  const first = clients[0];

  const authorizeAs: AppleEmulator['authorize'] = async (url, choice = {}) => {
    const answer = await fetch(url);
    const html = await answer.text();
    if (
      /data-emulator="apple"[\s\S]*name="request"/.test(html) &&
      !html.includes('document.forms[0].submit()')
    ) {
      const id = /name="request" value="([^"]+)"/.exec(html)?.[1] ?? '';
      const account = choice.cancel ? '' : (choice.account ?? accounts[0]?.sub ?? '');
      const decided = await fetch(endpoints.authorizationEndpoint, {
        method: 'POST',
        body: new URLSearchParams({ request: id, account }),
      });
      return fieldsOfFormPage(await decided.text());
    }
    if (answer.status !== 200) {
      throw new Error(
        `The Apple emulator refused the authorization request (${answer.status}): ${html.slice(0, 300)}`,
      );
    }
    return fieldsOfFormPage(html);
  };

  return {
    ...endpoints,
    endpoints,
    connectorConfig: {
      clientId: first?.clientId ?? '',
      scope: 'name email',
      ...(first &&
        generatedPrivateKey && {
          teamId: first.teamId,
          keyId: first.keyId,
          privateKey: generatedPrivateKey,
        }),
    },
    clients,
    accounts,
    get requests() {
      return requests;
    },
    get clientSecrets() {
      return clientSecrets;
    },
    authorize: authorizeAs,
    stop: () => stopServer(server),
  };
};

/**
 * A GitHub emulator on loopback, shaped like a GitHub Enterprise Server instance so the GitHub
 * connector reaches it through its `enterpriseUrl` option, unchanged:
 * - `GET  /login/oauth/authorize` — the authorization page (or, with `autoApprove`, a redirect);
 * - `POST /login/oauth/authorize` — the page's "Authorize" / "Cancel" buttons;
 * - `POST /login/oauth/access_token` — the code exchange, with PKCE S256;
 * - `GET  /api/v3/user` and `GET /api/v3/user/emails` — the REST API the connector reads.
 *
 * Behaviour follows GitHub's documentation for OAuth apps
 * (https://docs.github.com/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps and
 * https://docs.github.com/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors):
 * token errors come back with status 200 and an `error` member; the token response is
 * form-encoded unless the client accepts JSON; `scope` in it is comma-separated; the callback
 * carries the RFC 9207 `iss` (`<base>/login/oauth`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  escapeHtml,
  listenOnLoopback,
  readBody,
  safeEqual,
  sendHtml,
  sendJson,
  stopServer,
} from './emulator-http';

export type GithubEmulatorUser = {
  id: number;
  login: string;
  name: string | null;
  /** The public profile email (GitHub only lets a user pick a verified one). */
  email: string | null;
  avatar_url: string;
};

export type GithubEmulatorEmail = {
  email: string;
  primary: boolean;
  verified: boolean;
  visibility: 'public' | 'private' | null;
};

/** A user other than the default one, offered as "Sign in as" on the authorization page. */
export type GithubEmulatorAccount = {
  /** The button's text after "Sign in as". */
  label: string;
  user: GithubEmulatorUser;
  /** What `/user/emails` returns for this user. */
  emails: GithubEmulatorEmail[];
};

export type GithubEmulatorOptions = {
  /** @default defaultGithubEmulatorApp */
  app?: { clientId: string; clientSecret: string; name?: string };
  /** @default defaultGithubEmulatorUser */
  user?: GithubEmulatorUser;
  /** What `/user/emails` returns. @default defaultGithubEmulatorEmails */
  emails?: GithubEmulatorEmail[];
  /**
   * More users to sign in as (the personas, personas.ts), each a button beside "Authorize" for
   * the default user. Logins must differ from the default user's and from each other.
   * @default []
   */
  otherAccounts?: GithubEmulatorAccount[];
  /**
   * Callback URLs the app registered. GitHub accepts a `redirect_uri` whose host and port match
   * one and whose path is the same or below it; loopback hosts match on any port.
   * @default undefined (any http(s) URL on a loopback host)
   */
  callbackUrls?: string[];
  /**
   * Skip the authorization page: `GET /login/oauth/authorize` redirects back at once, as GitHub
   * does for an app the user has already authorized with these scopes.
   * @default false
   */
  autoApprove?: boolean;
  /** @default 0 (a free port) */
  port?: number;
};

export type GithubEmulatorRequest = { method: string; path: string };

export type GithubEmulator = {
  /** `http://127.0.0.1:<port>`: the connector's `enterpriseUrl`. */
  baseUrl: string;
  /** RFC 9207 issuer the callback carries: `<baseUrl>/login/oauth`. */
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userEndpoint: string;
  emailsEndpoint: string;
  app: { clientId: string; clientSecret: string; name: string };
  user: GithubEmulatorUser;
  /** Every request received, in order (query strings dropped). */
  readonly requests: readonly GithubEmulatorRequest[];
  stop(): Promise<void>;
};

export const defaultGithubEmulatorApp = {
  clientId: 'Iv1.emulator0client',
  clientSecret: 'emulator-github-client-secret-0123456789',
  name: 'idplug playground',
};

export const defaultGithubEmulatorUser: GithubEmulatorUser = {
  id: 583231,
  login: 'alice-gh',
  name: 'Alice Liddell',
  email: null,
  avatar_url: 'https://avatars.example.com/u/583231',
};

export const defaultGithubEmulatorEmails: GithubEmulatorEmail[] = [
  { email: 'alice@example.com', primary: true, verified: true, visibility: 'private' },
  { email: 'alice@old.example.org', primary: false, verified: false, visibility: null },
];

const CodeTtlMs = 10 * 60 * 1000; // GitHub: "codes expire after 10 minutes".
const LoopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

type PendingAuthorization = {
  /** Who signs in: the default user unless a "Sign in as" button chose another. */
  account?: Omit<GithubEmulatorAccount, 'label'>;
  redirectUri: string;
  state: string | undefined;
  scope: string;
  codeChallenge: string | undefined;
};

type IssuedCode = PendingAuthorization & { expiresAt: number };

/** The token request's parameters: a form (what the connector sends) or JSON (GitHub takes both). */
const parseParameters = (body: string, contentType: string | undefined): Record<string, string> => {
  if (contentType?.includes('application/json')) {
    try {
      const parsed = JSON.parse(body) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        return Object.fromEntries(
          Object.entries(parsed).filter((entry): entry is [string, string] => {
            return typeof entry[1] === 'string';
          }),
        );
      }
    } catch {
      // An unparsable body has no parameters; the checks below name what is missing.
    }
    return {};
  }
  return Object.fromEntries(new URLSearchParams(body));
};

/** GitHub's rule for `redirect_uri` against a registered callback URL. */
const matchesCallbackUrl = (redirectUri: URL, registered: URL): boolean => {
  if (redirectUri.protocol !== registered.protocol) {
    return false;
  }
  if (redirectUri.hostname !== registered.hostname) {
    return false;
  }
  if (!LoopbackHosts.has(redirectUri.hostname) && redirectUri.port !== registered.port) {
    return false;
  }
  const base = registered.pathname.replace(/\/$/, '');
  return (
    redirectUri.pathname === registered.pathname || redirectUri.pathname.startsWith(`${base}/`)
  );
};

export const startGithubEmulator = async (
  options: GithubEmulatorOptions = {},
): Promise<GithubEmulator> => {
  const app = {
    name: defaultGithubEmulatorApp.name,
    ...(options.app ?? defaultGithubEmulatorApp),
  };
  const user = options.user ?? defaultGithubEmulatorUser;
  const emails = options.emails ?? defaultGithubEmulatorEmails;
  const requests: GithubEmulatorRequest[] = [];
  const pending = new Map<string, PendingAuthorization>();
  const codes = new Map<string, IssuedCode>();
  const defaultAccount = { user, emails };
  const accessTokens = new Map<
    string,
    { scopes: string[]; account: Omit<GithubEmulatorAccount, 'label'> }
  >();
  const otherAccounts = options.otherAccounts ?? [];
  let baseUrl = '';

  const redirectUriAllowed = (value: string): boolean => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return false;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return false;
    }
    if (options.callbackUrls === undefined) {
      return LoopbackHosts.has(url.hostname);
    }
    return options.callbackUrls.some((registered) => matchesCallbackUrl(url, new URL(registered)));
  };

  const redirectBack = (
    response: ServerResponse,
    authorization: PendingAuthorization,
    params: Record<string, string>,
  ) => {
    const target = new URL(authorization.redirectUri);
    for (const [key, value] of Object.entries(params)) {
      target.searchParams.set(key, value);
    }
    if (authorization.state !== undefined) {
      target.searchParams.set('state', authorization.state);
    }
    target.searchParams.set('iss', `${baseUrl}/login/oauth`);
    response.writeHead(302, { location: target.href, 'cache-control': 'no-store' });
    response.end();
  };

  const approve = (response: ServerResponse, authorization: PendingAuthorization) => {
    const code = randomBytes(10).toString('hex');
    codes.set(code, { ...authorization, expiresAt: Date.now() + CodeTtlMs });
    redirectBack(response, authorization, { code });
  };

  const authorizePage = (response: ServerResponse, url: URL) => {
    const clientId = url.searchParams.get('client_id') ?? '';
    if (!safeEqual(clientId, app.clientId)) {
      return sendHtml(
        response,
        'GitHub emulator',
        404,
        'Not Found',
        '<p>No OAuth app has this <code>client_id</code>.</p>',
      );
    }
    const redirectUri = url.searchParams.get('redirect_uri') ?? '';
    if (!redirectUriAllowed(redirectUri)) {
      return sendHtml(
        response,
        'GitHub emulator',
        400,
        'Redirect URI mismatch',
        `<p>The <code>redirect_uri</code> ${escapeHtml(redirectUri)} is not associated with this application.</p>`,
      );
    }
    const method = url.searchParams.get('code_challenge_method');
    const codeChallenge = url.searchParams.get('code_challenge') ?? undefined;
    const state = url.searchParams.get('state') ?? undefined;
    const authorization: PendingAuthorization = {
      redirectUri,
      state,
      // GitHub treats an empty scope as "public information only".
      scope: (url.searchParams.get('scope') ?? '').trim(),
      codeChallenge,
    };
    if (codeChallenge !== undefined && method !== 'S256') {
      // GitHub supports only S256 (changelog 2025-07-14).
      return redirectBack(response, authorization, {
        error: 'invalid_request',
        error_description: 'code_challenge_method must be S256',
      });
    }
    if (options.autoApprove) {
      return approve(response, authorization);
    }

    const id = randomBytes(12).toString('hex');
    pending.set(id, authorization);
    const scopes = authorization.scope.split(/[\s,]+/).filter(Boolean);
    const scopeList =
      scopes.length === 0
        ? '<li>Public information only</li>'
        : scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('');
    return sendHtml(
      response,
      'GitHub emulator',
      200,
      `Authorize ${app.name}`,
      `<p><strong>${escapeHtml(app.name)}</strong> wants to access the account <strong>${escapeHtml(user.login)}</strong> (${escapeHtml(user.name ?? user.login)}):</p>
<ul>${scopeList}</ul>
<form method="post" action="/login/oauth/authorize" data-emulator="github">
<input type="hidden" name="authorization" value="${id}">
<button type="submit" name="decision" value="allow">Authorize ${escapeHtml(user.login)}</button>
${otherAccounts
  .map(
    (account) =>
      `<button type="submit" name="account" value="${escapeHtml(account.user.login)}" class="secondary">Sign in as ${escapeHtml(account.label)}</button>`,
  )
  .join('\n')}
<button type="submit" name="decision" value="deny" class="secondary">Cancel</button>
</form>
<p>Redirecting to <code>${escapeHtml(new URL(redirectUri).origin)}</code>.</p>`,
    );
  };

  const decide = async (request: IncomingMessage, response: ServerResponse) => {
    const form = new URLSearchParams(await readBody(request));
    const id = form.get('authorization') ?? '';
    const authorization = pending.get(id);
    if (authorization === undefined) {
      return sendHtml(
        response,
        'GitHub emulator',
        400,
        'Expired',
        '<p>This authorization request is unknown or already answered.</p>',
      );
    }
    pending.delete(id);
    const chosen = form.get('account');
    if (chosen !== null) {
      const account = otherAccounts.find((candidate) => candidate.user.login === chosen);
      if (account === undefined) {
        return sendHtml(
          response,
          'GitHub emulator',
          400,
          'Unknown account',
          `<p>No account ${escapeHtml(chosen)} to sign in as.</p>`,
        );
      }
      return approve(response, { ...authorization, account });
    }
    if (form.get('decision') !== 'allow') {
      return redirectBack(response, authorization, {
        error: 'access_denied',
        error_description: 'The user has denied your application access.',
        error_uri:
          'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#access-denied',
      });
    }
    return approve(response, authorization);
  };

  const exchangeCode = async (request: IncomingMessage, response: ServerResponse) => {
    const params = parseParameters(await readBody(request), request.headers['content-type']);
    const wantsJson = (request.headers.accept ?? '').includes('json');
    const reply = (body: Record<string, string>) => {
      if (wantsJson) {
        return sendJson(response, 200, body);
      }
      response.writeHead(200, {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      });
      response.end(new URLSearchParams(body).toString());
    };
    const fail = (error: string, description: string) =>
      reply({
        error,
        error_description: description,
        error_uri: `https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#${error.replaceAll('_', '-')}`,
      });

    if (
      !safeEqual(params.client_id ?? '', app.clientId) ||
      !safeEqual(params.client_secret ?? '', app.clientSecret)
    ) {
      return fail(
        'incorrect_client_credentials',
        'The client_id and/or client_secret passed are incorrect.',
      );
    }
    const issued = codes.get(params.code ?? '');
    // A code is good once (RFC 6749 §4.1.2).
    if (params.code !== undefined) {
      codes.delete(params.code);
    }
    if (issued === undefined || issued.expiresAt < Date.now()) {
      return fail('bad_verification_code', 'The code passed is incorrect or expired.');
    }
    if (params.redirect_uri !== undefined && params.redirect_uri !== issued.redirectUri) {
      return fail(
        'redirect_uri_mismatch',
        'The redirect_uri MUST match the registered callback URL for this application.',
      );
    }
    if (issued.codeChallenge !== undefined) {
      const verifier = params.code_verifier ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (verifier === '' || challenge !== issued.codeChallenge) {
        return fail(
          'bad_verification_code',
          'The code_verifier does not match the code_challenge.',
        );
      }
    }
    const accessToken = `gho_${randomBytes(18).toString('base64url')}`;
    const scopes = issued.scope.split(/[\s,]+/).filter(Boolean);
    accessTokens.set(accessToken, { scopes, account: issued.account ?? defaultAccount });
    return reply({ access_token: accessToken, token_type: 'bearer', scope: scopes.join(',') });
  };

  const api = (request: IncomingMessage, response: ServerResponse, path: string) => {
    const authorization = request.headers.authorization ?? '';
    const match = /^(?:bearer|token)\s+(\S+)$/i.exec(authorization);
    const token = match?.[1] === undefined ? undefined : accessTokens.get(match[1]);
    const documentation = 'https://docs.github.com/rest';
    if (token === undefined) {
      return sendJson(response, 401, {
        message: 'Bad credentials',
        documentation_url: documentation,
        status: '401',
      });
    }
    const scopeHeaders = {
      'x-oauth-scopes': token.scopes.join(', '),
      'x-github-media-type': 'github.v3',
    };
    if (path === '/api/v3/user') {
      return sendJson(response, 200, token.account.user, scopeHeaders);
    }
    // Without `user:email` (or `user`), GitHub answers the email list with 404.
    if (!token.scopes.some((scope) => scope === 'user:email' || scope === 'user')) {
      return sendJson(
        response,
        404,
        { message: 'Not Found', documentation_url: documentation, status: '404' },
        scopeHeaders,
      );
    }
    return sendJson(response, 200, token.account.emails, scopeHeaders);
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    requests.push({ method, path: url.pathname });
    const fail = (error: unknown) => {
      if (!response.headersSent) {
        sendJson(response, 500, { message: String(error) });
      } else {
        response.destroy();
      }
    };
    if (url.pathname === '/login/oauth/authorize' && method === 'GET') {
      return authorizePage(response, url);
    }
    if (url.pathname === '/login/oauth/authorize' && method === 'POST') {
      return void decide(request, response).catch(fail);
    }
    if (url.pathname === '/login/oauth/access_token' && method === 'POST') {
      return void exchangeCode(request, response).catch(fail);
    }
    if (
      (url.pathname === '/api/v3/user' || url.pathname === '/api/v3/user/emails') &&
      method === 'GET'
    ) {
      return api(request, response, url.pathname);
    }
    sendJson(response, 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
    });
  });
  const { port } = await listenOnLoopback(server, options.port ?? 0);
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    issuer: `${baseUrl}/login/oauth`,
    authorizationEndpoint: `${baseUrl}/login/oauth/authorize`,
    tokenEndpoint: `${baseUrl}/login/oauth/access_token`,
    userEndpoint: `${baseUrl}/api/v3/user`,
    emailsEndpoint: `${baseUrl}/api/v3/user/emails`,
    app,
    user,
    get requests() {
      return requests;
    },
    stop: () => stopServer(server),
  };
};

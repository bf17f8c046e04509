/**
 * A programmatic user agent for the OIDC emulator: `fetch` with manual redirects and a cookie jar,
 * no real browser. It follows an authorization URL through the emulator's login and consent pages
 * (oidc-provider-interactions.ts), answers them for one account, and stops at the redirect to the
 * client's `redirect_uri`, which it returns parsed instead of following.
 */
import { promptHeader } from './oidc-provider-interactions';

/** The authorization response, from the redirect to the client (RFC 6749 §4.1.2, RFC 9207). */
export type AuthorizationCallback = {
  /** The full callback URL, as a browser would have loaded it. */
  url: string;
  /** Every query parameter of the callback. */
  params: Record<string, string>;
  code?: string;
  state?: string;
  /** RFC 9207 issuer identifier. */
  iss?: string;
  error?: string;
  errorDescription?: string;
};

export type AuthorizeOptions = {
  /** The `sub` to sign in as when the provider asks for a login. */
  accountId?: string;
  /**
   * `deny` cancels at the first page the provider shows (login or consent), so the callback
   * carries `error=access_denied`. A browser with an SSO session whose consent covers the
   * request sees no page, so there is nothing to deny: use a fresh browser, or `offline_access`.
   * @default 'allow'
   */
  decision?: 'allow' | 'deny';
  /**
   * Where the flow ends. Defaults to the `redirect_uri` of the authorization URL; without one,
   * the first redirect off the provider's origin ends it.
   */
  redirectUri?: string;
};

export type OAuthBrowser = {
  /** Runs one authorization request to its callback. Cookies persist across calls (SSO). */
  authorize(
    authorizationUrl: string | URL,
    options?: AuthorizeOptions,
  ): Promise<AuthorizationCallback>;
  clearCookies(): void;
};

export class OAuthBrowserError extends Error {
  override name = 'OAuthBrowserError';
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
    readonly body?: string,
  ) {
    super(message);
  }
}

const MaxNavigations = 20;

type StoredCookie = { name: string; value: string; host: string; path: string; expiresAt: number };

/** RFC 6265 §5.1.4 path-match. oidc-provider scopes cookies to `/interaction/<uid>` and `/auth/<uid>`. */
const pathMatches = (requestPath: string, cookiePath: string): boolean => {
  if (requestPath === cookiePath) {
    return true;
  }
  if (!requestPath.startsWith(cookiePath)) {
    return false;
  }
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
};

/** RFC 6265 §5.1.4 default-path. */
const defaultPath = (url: URL): string => {
  const lastSlash = url.pathname.lastIndexOf('/');
  return lastSlash <= 0 ? '/' : url.pathname.slice(0, lastSlash);
};

/** A host-only cookie jar: enough for one loopback host, which shares cookies across ports. */
class CookieJar {
  #cookies: StoredCookie[] = [];

  store(url: URL, setCookieHeaders: string[]): void {
    for (const header of setCookieHeaders) {
      const [pair = '', ...attributes] = header.split(';');
      const separator = pair.indexOf('=');
      if (separator <= 0) {
        continue;
      }
      const cookie: StoredCookie = {
        name: pair.slice(0, separator).trim(),
        value: pair.slice(separator + 1).trim(),
        host: url.hostname,
        path: defaultPath(url),
        expiresAt: Infinity,
      };
      for (const attribute of attributes) {
        const [rawKey = '', ...rest] = attribute.split('=');
        const key = rawKey.trim().toLowerCase();
        const value = rest.join('=').trim();
        if (key === 'path' && value.startsWith('/')) {
          cookie.path = value;
        } else if (key === 'max-age') {
          cookie.expiresAt = Date.now() + Number(value) * 1000;
        } else if (key === 'expires' && cookie.expiresAt === Infinity) {
          cookie.expiresAt = Date.parse(value);
        }
      }
      this.#cookies = this.#cookies.filter(
        (c) => !(c.name === cookie.name && c.host === cookie.host && c.path === cookie.path),
      );
      if (cookie.expiresAt > Date.now()) {
        this.#cookies.push(cookie);
      }
    }
  }

  headerFor(url: URL): string | undefined {
    const now = Date.now();
    this.#cookies = this.#cookies.filter((c) => c.expiresAt > now);
    const matching = this.#cookies
      .filter((c) => c.host === url.hostname && pathMatches(url.pathname, c.path))
      // RFC 6265 §5.4: longer paths first.
      .sort((a, b) => b.path.length - a.path.length);
    return matching.length === 0
      ? undefined
      : matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  clear(): void {
    this.#cookies = [];
  }
}

const toCallback = (url: URL): AuthorizationCallback => {
  const params = Object.fromEntries(url.searchParams);
  const callback: AuthorizationCallback = { url: url.href, params };
  if (params.code !== undefined) {
    callback.code = params.code;
  }
  if (params.state !== undefined) {
    callback.state = params.state;
  }
  if (params.iss !== undefined) {
    callback.iss = params.iss;
  }
  if (params.error !== undefined) {
    callback.error = params.error;
  }
  if (params.error_description !== undefined) {
    callback.errorDescription = params.error_description;
  }
  return callback;
};

const readText = async (response: Response): Promise<string> => {
  const text = await response.text();
  // Page text without markup, short enough for an error message.
  return text
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 500);
};

export const createOAuthBrowser = (): OAuthBrowser => {
  const jar = new CookieJar();

  const navigate = async (url: URL, form?: URLSearchParams): Promise<Response> => {
    const headers = new Headers({ accept: 'text/html' });
    const cookie = jar.headerFor(url);
    if (cookie !== undefined) {
      headers.set('cookie', cookie);
    }
    if (form !== undefined) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
    }
    const response = await fetch(url, {
      method: form === undefined ? 'GET' : 'POST',
      headers,
      body: form,
      redirect: 'manual',
    });
    jar.store(url, response.headers.getSetCookie());
    return response;
  };

  return {
    async authorize(authorizationUrl, options = {}) {
      const start = new URL(authorizationUrl);
      const redirectUri =
        options.redirectUri ?? start.searchParams.get('redirect_uri') ?? undefined;
      const isCallback = (url: URL) => {
        if (redirectUri === undefined) {
          return url.origin !== start.origin;
        }
        const expected = new URL(redirectUri);
        return url.origin === expected.origin && url.pathname === expected.pathname;
      };

      let url = start;
      let form: URLSearchParams | undefined;
      for (let navigation = 0; navigation < MaxNavigations; navigation += 1) {
        const response = await navigate(url, form);
        form = undefined;

        const location = response.headers.get('location');
        if (response.status >= 300 && response.status < 400 && location !== null) {
          await response.body?.cancel();
          const next = new URL(location, url);
          if (isCallback(next)) {
            return toCallback(next);
          }
          url = next;
          continue;
        }

        const prompt = response.headers.get(promptHeader);
        if (response.status !== 200 || prompt === null) {
          const body = await readText(response);
          throw new OAuthBrowserError(
            `Expected a redirect or an emulator page at ${url.href}, got ${response.status}: ${body}`,
            url.href,
            response.status,
            body,
          );
        }
        await response.body?.cancel();

        const interactionUrl = `${url.origin}${url.pathname.replace(/\/$/, '')}`;
        if (options.decision === 'deny') {
          url = new URL(`${interactionUrl}/abort`);
          form = new URLSearchParams();
        } else if (prompt === 'login') {
          if (options.accountId === undefined) {
            throw new OAuthBrowserError('The provider asks for a login; pass accountId', url.href);
          }
          url = new URL(`${interactionUrl}/login`);
          form = new URLSearchParams({ account_id: options.accountId });
        } else if (prompt === 'consent') {
          url = new URL(`${interactionUrl}/confirm`);
          form = new URLSearchParams();
        } else {
          throw new OAuthBrowserError(`Unsupported prompt "${prompt}"`, url.href);
        }
      }
      throw new OAuthBrowserError(`More than ${MaxNavigations} navigations`, url.href);
    },

    clearCookies() {
      jar.clear();
    },
  };
};

/** One authorization in a fresh browser (no cookies, so no SSO session). */
export const authorizeWithBrowser = (
  authorizationUrl: string | URL,
  options?: AuthorizeOptions,
): Promise<AuthorizationCallback> => {
  return createOAuthBrowser().authorize(authorizationUrl, options);
};

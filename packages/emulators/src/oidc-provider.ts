/**
 * A real OpenID Provider on loopback: panva's certified `oidc-provider`, configured for tests and
 * the playground. Binds 127.0.0.1 on a free port; the issuer is plain `http://127.0.0.1:<port>`.
 *
 * Plain http works without special settings: oidc-provider only marks cookies `Secure` when the
 * request is secure (ctx.secure), and nothing in the authorization code flow insists on https.
 * `proxy` stays off, since there is no TLS-terminating proxy in front of it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { JWK } from 'jose';
import type { ClientMetadata, Configuration, Provider } from 'oidc-provider';
import { listenOnLoopback } from './emulator-http';
import {
  escapeHtml,
  handleInteraction,
  type InteractionAction,
  interactionPathPattern,
  sendHtml,
} from './oidc-provider-interactions';
import {
  type EmulatorSigningAlgorithm,
  generateSigningKeys,
  type SignIdTokenOptions,
  type SigningKeyGeneration,
  signJwt,
} from './oidc-provider-signing-keys';
import { createEmulatorStorage } from './oidc-provider-storage';

export {
  type AuthorizationCallback,
  type AuthorizeOptions,
  authorizeWithBrowser,
  createOAuthBrowser,
  type OAuthBrowser,
  OAuthBrowserError,
} from './oauth-browser';
export type { EmulatorSigningAlgorithm, SignIdTokenOptions };

/** An account's claims, as OIDC Core §5.1 names them, plus anything else (Logto's `username`). */
export type OidcEmulatorClaims = Record<string, unknown>;

export type OidcEmulatorClient = {
  clientId: string;
  /** Required for `client_secret_basic`, `client_secret_post` and `client_secret_jwt`. */
  clientSecret?: string;
  /** Exact-match redirect URIs (OIDC Core §3.1.2.1). */
  redirectUris: string[];
  /**
   * RFC 7591 §2 `token_endpoint_auth_method`.
   * @default 'client_secret_basic' with a secret, 'private_key_jwt' with `jwks`, otherwise 'none'
   */
  tokenEndpointAuthMethod?:
    | 'client_secret_basic'
    | 'client_secret_post'
    | 'client_secret_jwt'
    | 'private_key_jwt'
    | 'none';
  /**
   * More methods the client may authenticate with besides `tokenEndpointAuthMethod` (which stays
   * the registered one). RFC 7591 registers one method per client and oidc-provider enforces it;
   * a playground whose form offers every method lets the same client use any of them.
   */
  alsoAcceptedTokenEndpointAuthMethods?: ReadonlyArray<
    'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt' | 'private_key_jwt' | 'none'
  >;
  /** The client's public keys, for `private_key_jwt`. */
  jwks?: { keys: JWK[] };
  /** @default 'RS256' */
  idTokenSigningAlg?: EmulatorSigningAlgorithm;
  /** More client metadata in RFC 7591 spelling, passed to oidc-provider as is; wins over the above. */
  metadata?: Record<string, unknown>;
};

export type OidcEmulatorOptions = {
  /** @default [defaultOidcEmulatorClient] */
  clients?: OidcEmulatorClient[];
  /** Accounts by `sub`. @default defaultOidcEmulatorAccounts */
  accounts?: Record<string, OidcEmulatorClaims>;
  /**
   * Reject authorization requests without an S256 `code_challenge` (RFC 7636; oidc-provider
   * supports no other method).
   * @default true
   */
  requirePkce?: boolean;
  /**
   * When a refresh token comes with the code exchange: `offline_access` when that scope was
   * granted (OIDC Core §11); `always` suits plain OAuth 2.0 clients that never ask for it.
   * @default 'offline_access'
   */
  refreshTokens?: 'offline_access' | 'always' | 'never';
  /**
   * OIDC Core §11 lets a provider ignore `offline_access` unless `prompt` contains `consent`,
   * and oidc-provider does. Most providers (Logto included) do not insist, so by default the
   * emulator adds `consent` to the prompt of such requests (the consent page then always shows).
   * `true` keeps oidc-provider's behaviour: no `prompt=consent`, no refresh token.
   * @default false
   */
  strictOfflineAccess?: boolean;
  /**
   * Put the claims of granted scopes (profile, email, phone...) in the ID token, as Logto, Google
   * and Auth0 do. `false` is OIDC Core §5.4 to the letter (oidc-provider's `conformIdTokenClaims`):
   * they come from the userinfo endpoint only.
   * @default true
   */
  scopeClaimsInIdToken?: boolean;
  /** Claims each scope releases, merged over OIDC Core §5.4 (plus `username` under `profile`). */
  claimsByScope?: Record<string, string[]>;
  /**
   * Honour the OIDC Core §5.5 `claims` request parameter (oidc-provider's `claimsParameter`
   * feature): a claim asked for by name is released even when no granted scope covers it.
   * @default false
   */
  claimsParameter?: boolean;
  /**
   * Headers the userinfo endpoint insists on besides the bearer token (Twitch's `Client-Id`):
   * without each of them, with this exact value, it answers 401 before oidc-provider sees the
   * request. Names in lower case.
   */
  userinfoRequiredHeaders?: Record<string, string>;
  /**
   * Enable the client credentials grant (RFC 6749 §4.4) for clients whose metadata allows it
   * (`grant_types: ['client_credentials']`), with these extra scope values (e.g.
   * `https://outlook.office365.com/.default`) and access tokens living `ttlSeconds`. Lifetimes
   * follow `Date.now()`, so a test can move a faked clock instead of waiting.
   * @default undefined (the grant is off)
   */
  clientCredentials?: { scopes?: string[]; ttlSeconds?: number };
  /** @default 0 (a free port) */
  port?: number;
};

export type RecordedRequest = { method: string; path: string };

export type TokenResponseBody = Record<string, unknown>;

export type OidcEmulator = {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  issuer: string;
  discoveryUrl: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userinfoEndpoint: string;
  jwksUri: string;
  clients: readonly OidcEmulatorClient[];
  accounts: Readonly<Record<string, OidcEmulatorClaims>>;
  /** Every request received, in order (query strings dropped). Live: read it after the calls. */
  readonly requests: readonly RecordedRequest[];
  clearRequests(): void;
  /** Unexpected errors inside oidc-provider (its `server_error` event); empty in a healthy run. */
  readonly serverErrors: readonly Error[];
  /**
   * Replaces the signing keys with new ones under new kids; ID tokens issued from now on carry
   * them. By default the old keys leave the JWKS at once (a hard rotation, so a relying party
   * with a cached JWKS meets an unknown kid and must refetch); `keepPrevious` keeps publishing
   * them (a graceful rotation). Sessions, codes and tokens issued before stay valid.
   */
  rotateSigningKey(options?: { keepPrevious?: boolean }): Promise<void>;
  /** The kids currently published, signing keys first. */
  publishedKeyIds(): string[];
  /**
   * Signs arbitrary claims the way the provider would, or wrongly on purpose (see options).
   * Defaults: `iss` the issuer, `aud` the first client, `sub` the first account, `iat` now,
   * `exp` in 10 minutes; `claims` wins over them.
   */
  signIdToken(claims?: Record<string, unknown>, options?: SignIdTokenOptions): Promise<string>;
  /**
   * Rewrites the body of the next successful token response (e.g. to swap in an expired or
   * forged ID token from `signIdToken`, or to drop `refresh_token`). One-shot; calls queue.
   */
  rewriteNextTokenResponse(
    rewrite: (body: TokenResponseBody) => TokenResponseBody | Promise<TokenResponseBody>,
  ): void;
  /**
   * The client and scope of a client-credentials access token this provider issued and that has
   * not expired (by `Date.now()`); `undefined` for anything else. For a resource server (an SMTP
   * server's XOAUTH2 check) in tests.
   */
  verifyClientCredentialsToken(
    token: string,
  ): Promise<{ clientId: string; scope: string | undefined; expiresAt: number } | undefined>;
  stop(): Promise<void>;
};

export const defaultOidcEmulatorClient: OidcEmulatorClient = {
  clientId: 'emulator-client',
  clientSecret: 'emulator-client-secret-of-at-least-32-chars',
  redirectUris: ['http://127.0.0.1/callback'],
};

/** Logto's claim set (sub, name, picture, email, phone, username) for one account. */
export const defaultOidcEmulatorAccounts: Record<string, OidcEmulatorClaims> = {
  'user-alice': {
    name: 'Alice Liddell',
    picture: 'https://example.com/avatars/alice.png',
    email: 'alice@example.com',
    email_verified: true,
    phone_number: '+15555550100',
    phone_number_verified: true,
    username: 'alice',
  },
};

/** OIDC Core §5.4, plus the non-standard `username` that Logto releases under `profile`. */
const StandardClaimsByScope: Record<string, string[]> = {
  openid: ['sub'],
  profile: [
    'name',
    'family_name',
    'given_name',
    'middle_name',
    'nickname',
    'preferred_username',
    'profile',
    'picture',
    'website',
    'gender',
    'birthdate',
    'zoneinfo',
    'locale',
    'updated_at',
    'username',
  ],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  address: ['address'],
};

const Day = 24 * 60 * 60;

// Explicit lifetimes: oidc-provider logs a "you SHOULD change it" notice whenever a default TTL
// function runs.
const TtlSeconds = {
  AccessToken: 3600,
  AuthorizationCode: 60,
  IdToken: 3600,
  RefreshToken: 14 * Day,
  Interaction: 3600,
  Session: 14 * Day,
  Grant: 14 * Day,
};

type OidcProviderModule = typeof import('oidc-provider');
let oidcProviderModule: Promise<OidcProviderModule> | undefined;

/**
 * oidc-provider 9 warns "Unsupported runtime. Use Node.js v22.x LTS" once, on import, under
 * Node 20; it runs fine there (this package's tests run on 20.20). The import is deferred to the
 * first start so only that one line is filtered, and only while the module evaluates.
 */
const loadOidcProvider = (): Promise<OidcProviderModule> => {
  oidcProviderModule ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes('WARNING: Unsupported runtime')) {
        return;
      }
      warn.apply(console, args);
    };
    try {
      return await import('oidc-provider');
    } finally {
      console.warn = warn;
    }
  })();
  return oidcProviderModule;
};

const toClientMetadata = (client: OidcEmulatorClient): ClientMetadata => {
  const authMethod =
    client.tokenEndpointAuthMethod ??
    (client.clientSecret !== undefined
      ? 'client_secret_basic'
      : client.jwks !== undefined
        ? 'private_key_jwt'
        : 'none');
  // oidc-provider derives a client's HMAC keys for client assertions only when client_secret_jwt
  // is its registered method; the other accepted methods are let through by `clientAuthMethod`.
  const registered = client.alsoAcceptedTokenEndpointAuthMethods?.includes('client_secret_jwt')
    ? 'client_secret_jwt'
    : authMethod;
  return {
    client_id: client.clientId,
    ...(client.clientSecret === undefined ? {} : { client_secret: client.clientSecret }),
    redirect_uris: client.redirectUris,
    token_endpoint_auth_method: registered,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    id_token_signed_response_alg: client.idTokenSigningAlg ?? 'RS256',
    ...(client.jwks === undefined ? {} : { jwks: client.jwks as ClientMetadata['jwks'] }),
    ...client.metadata,
  };
};

/** See `strictOfflineAccess`. `prompt=none` stays as is: it forbids any page, consent included. */
const withConsentPromptForOfflineAccess = (
  query: Record<string, string | string[] | undefined>,
): Record<string, string | string[] | undefined> => {
  const { scope, prompt } = query;
  if (typeof scope !== 'string' || !scope.split(' ').includes('offline_access')) {
    return query;
  }
  if (prompt !== undefined && typeof prompt !== 'string') {
    return query; // duplicated: let it fail
  }
  const prompts = prompt?.split(' ').filter(Boolean) ?? [];
  if (prompts.includes('consent') || prompts.includes('none')) {
    return query;
  }
  return { ...query, prompt: [...prompts, 'consent'].join(' ') };
};

type TokenRequestContext = {
  headers: Record<string, string | string[] | undefined>;
  oidc?: { params?: Record<string, unknown> };
};

/**
 * The method a token-endpoint request authenticates with, from what it carries (RFC 6749 §2.3.1,
 * RFC 7523 §2.2): a `client_assertion` signed with HMAC is `client_secret_jwt`, any other
 * signature `private_key_jwt`; a Basic header or a `client_secret` parameter a secret method.
 */
const requestAuthMethod = (ctx: TokenRequestContext): string | undefined => {
  const params = ctx.oidc?.params ?? {};
  if (typeof params.client_assertion === 'string') {
    try {
      const header = JSON.parse(
        Buffer.from(params.client_assertion.split('.')[0] ?? '', 'base64url').toString('utf8'),
      ) as { alg?: unknown };
      return typeof header.alg === 'string' && header.alg.startsWith('HS')
        ? 'client_secret_jwt'
        : 'private_key_jwt';
    } catch {
      return undefined;
    }
  }
  if (typeof params.client_secret === 'string') {
    return 'client_secret_post';
  }
  if (ctx.headers.authorization !== undefined) {
    return 'client_secret_basic';
  }
  return 'none';
};

export const startOidcEmulator = async (
  options: OidcEmulatorOptions = {},
): Promise<OidcEmulator> => {
  const { Provider } = await loadOidcProvider();

  const clients = options.clients ?? [defaultOidcEmulatorClient];
  const accountsRecord = options.accounts ?? defaultOidcEmulatorAccounts;
  const accounts = new Map(Object.entries(accountsRecord));
  const requirePkce = options.requirePkce ?? true;
  const refreshTokens = options.refreshTokens ?? 'offline_access';
  const claimsByScope = { ...StandardClaimsByScope, ...options.claimsByScope };
  const storage = createEmulatorStorage();
  // Shared by every Provider this emulator builds, so cookies survive a key rotation.
  const cookieKeys = [randomBytes(32).toString('base64url')];

  const requests: RecordedRequest[] = [];
  const serverErrors: Error[] = [];
  const tokenResponseRewrites: Array<
    (body: TokenResponseBody) => TokenResponseBody | Promise<TokenResponseBody>
  > = [];
  let generation = 1;
  let signingKeys = await generateSigningKeys(generation);
  let publishedKeys: SigningKeyGeneration[] = [signingKeys];
  let provider: Provider | undefined;
  let dispatchToProvider:
    | ((request: IncomingMessage, response: ServerResponse) => unknown)
    | undefined;

  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: request.method ?? 'GET', path });
    if (provider === undefined || dispatchToProvider === undefined) {
      return sendHtml(response, 503, 'Starting', '<p>The emulator is starting.</p>');
    }
    const interaction = interactionPathPattern.exec(path);
    if (interaction !== null) {
      const action = (interaction[2] ?? 'render') as InteractionAction;
      void handleInteraction({ provider, accounts }, action, request, response);
      return;
    }
    dispatchToProvider(request, response);
  });
  const { port } = await listenOnLoopback(server, options.port ?? 0);
  const issuer = `http://127.0.0.1:${port}`;

  const configuration = (): Configuration => ({
    adapter: storage,
    clients: clients.map(toClientMetadata),
    // The first key of each type signs; later ones are published for verification only.
    jwks: { keys: publishedKeys.flatMap((keys) => [keys.rsa, keys.ec]) as never },
    findAccount: (_ctx, sub) => {
      const claims = accounts.get(sub);
      return claims === undefined
        ? undefined
        : { accountId: sub, claims: () => ({ ...claims, sub }) };
    },
    claims: claimsByScope,
    conformIdTokenClaims: !(options.scopeClaimsInIdToken ?? true),
    pkce: { required: () => requirePkce },
    issueRefreshToken: (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') &&
      (refreshTokens === 'always' ||
        (refreshTokens === 'offline_access' && code.scopes.has('offline_access'))),
    features: {
      // Replaced by the emulator's own pages (oidc-provider-interactions.ts).
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      claimsParameter: { enabled: options.claimsParameter ?? false },
      clientCredentials: { enabled: options.clientCredentials !== undefined },
    },
    ...(options.clientCredentials?.scopes && {
      scopes: ['openid', 'offline_access', ...options.clientCredentials.scopes],
    }),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: {
      keys: cookieKeys,
      // Browsers share cookies across ports of one host, so names carry the port: the playground
      // runs several emulators and its own page on 127.0.0.1.
      names: {
        session: `op${port}_session`,
        interaction: `op${port}_interaction`,
        resume: `op${port}_interaction_resume`,
      },
    },
    ttl: {
      ...TtlSeconds,
      ClientCredentials: options.clientCredentials?.ttlSeconds ?? TtlSeconds.AccessToken,
    },
    // The loopback emulator answers any origin (the playground page may call it from a browser).
    clientBasedCORS: () => true,
    renderError: (ctx, out) => {
      const rows = Object.entries(out)
        .map(
          ([key, value]) =>
            `<p><strong>${escapeHtml(key)}</strong>: ${escapeHtml(String(value))}</p>`,
        )
        .join('');
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(String(out.error))}</title></head><body><h1>OIDC emulator error</h1>${rows}</body></html>`;
    },
  });

  // The request being handled, for the client auth method getter below.
  const currentRequest = new AsyncLocalStorage<TokenRequestContext>();
  const acceptedMethods = new Map(
    clients.map((client) => {
      const also = client.alsoAcceptedTokenEndpointAuthMethods ?? [];
      const own = toClientMetadata({ ...client, alsoAcceptedTokenEndpointAuthMethods: [] })
        .token_endpoint_auth_method as string;
      const methods = new Set<string>(also.length > 0 ? [...also, own] : []);
      // oidc-provider takes Basic and the form parameter for one method (the same secret).
      if (methods.has('client_secret_basic') || methods.has('client_secret_post')) {
        methods.add('client_secret_basic').add('client_secret_post');
      }
      return [client.clientId, methods];
    }),
  );

  const buildProvider = (): void => {
    const built = new Provider(issuer, configuration());
    // oidc-provider compares the request's method with `clientAuthMethod` (its registered
    // `token_endpoint_auth_method`); a client with more accepted methods answers with the
    // request's own when it is one of them.
    const registered = Object.getOwnPropertyDescriptor(built.Client.prototype, 'clientAuthMethod');
    Object.defineProperty(built.Client.prototype, 'clientAuthMethod', {
      configurable: true,
      get(this: { clientId: string }) {
        const own = registered?.get?.call(this) as string;
        const ctx = currentRequest.getStore();
        const used = ctx === undefined ? undefined : requestAuthMethod(ctx);
        return used !== undefined && acceptedMethods.get(this.clientId)?.has(used) ? used : own;
      },
    });
    const tokenPath = new URL(built.urlFor('token')).pathname;
    const authorizationPath = new URL(built.urlFor('authorization')).pathname;
    const userinfoPath = new URL(built.urlFor('userinfo')).pathname;
    built.use(async (ctx, next) => {
      const missingHeader =
        ctx.path === userinfoPath &&
        Object.entries(options.userinfoRequiredHeaders ?? {}).find(
          ([name, value]) => ctx.get(name) !== value,
        );
      if (missingHeader) {
        ctx.status = 401;
        ctx.body = {
          error: 'invalid_request',
          error_description: `the ${missingHeader[0]} header is required`,
        };
        return;
      }
      if (!options.strictOfflineAccess && ctx.method === 'GET' && ctx.path === authorizationPath) {
        ctx.query = withConsentPromptForOfflineAccess(ctx.query);
      }
      await currentRequest.run(ctx as unknown as TokenRequestContext, next);
      const rewrite =
        ctx.method === 'POST' && ctx.path === tokenPath && ctx.status === 200
          ? tokenResponseRewrites.shift()
          : undefined;
      if (rewrite !== undefined) {
        ctx.body = await rewrite({ ...(ctx.body as TokenResponseBody) });
      }
    });
    built.on('server_error', (_ctx: unknown, error: Error) => serverErrors.push(error));
    provider = built;
    dispatchToProvider = built.callback();
  };

  const stop = async (): Promise<void> => {
    if (!server.listening) {
      return;
    }
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive sockets (undici's pool in the test process) would otherwise hold close() open.
    server.closeAllConnections();
    await closed;
  };

  try {
    buildProvider();
    // Invalid metadata would otherwise surface only as invalid_client at the first request.
    for (const metadata of clients.map(toClientMetadata)) {
      await provider!.Client.validate(metadata).catch((error: unknown) => {
        const description = (error as { error_description?: string }).error_description;
        throw new Error(`OIDC emulator client "${metadata.client_id}": ${description ?? error}`, {
          cause: error,
        });
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const endpoint = (name: string) => provider!.urlFor(name);
  const firstClientId = clients[0]?.clientId;
  const firstAccountId = accounts.keys().next().value;

  return {
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    authorizationEndpoint: endpoint('authorization'),
    tokenEndpoint: endpoint('token'),
    userinfoEndpoint: endpoint('userinfo'),
    jwksUri: endpoint('jwks'),
    clients,
    accounts: accountsRecord,
    get requests() {
      return requests;
    },
    clearRequests() {
      requests.length = 0;
    },
    get serverErrors() {
      return serverErrors;
    },
    async rotateSigningKey({ keepPrevious = false } = {}) {
      generation += 1;
      signingKeys = await generateSigningKeys(generation);
      publishedKeys = keepPrevious ? [signingKeys, ...publishedKeys] : [signingKeys];
      // oidc-provider reads `jwks` once, at construction: a new Provider over the same storage
      // and cookie keys is the supported way to change keys.
      buildProvider();
    },
    publishedKeyIds() {
      return publishedKeys.flatMap((keys) => [keys.rsa.kid, keys.ec.kid]);
    },
    signIdToken(claims = {}, signOptions = {}) {
      const now = Math.floor(Date.now() / 1000);
      return signJwt(
        {
          iss: issuer,
          aud: firstClientId,
          sub: firstAccountId,
          iat: now,
          exp: now + 600,
          ...claims,
        },
        signingKeys,
        signOptions,
      );
    },
    rewriteNextTokenResponse(rewrite) {
      tokenResponseRewrites.push(rewrite);
    },
    async verifyClientCredentialsToken(token) {
      const found = await provider?.ClientCredentials.find(token);
      if (!found || found.isExpired || !found.clientId || found.exp === undefined) {
        return undefined;
      }
      return { clientId: found.clientId, scope: found.scope, expiresAt: found.exp * 1000 };
    },
    stop,
  };
};

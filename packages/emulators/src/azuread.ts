/**
 * A Microsoft Entra ID emulator on loopback: one oidc-provider (panva's certified OpenID Provider)
 * per tenant, mounted at `/{tenant}/v2.0` with issuer `http://127.0.0.1:<port>/{tenant}/v2.0`,
 * and Microsoft's v2.0 paths in front of it:
 * - `GET  /{tenant}/oauth2/v2.0/authorize`, `POST /{tenant}/oauth2/v2.0/token`;
 * - `GET  /{tenant}/discovery/v2.0/keys` (the JWKS);
 * - `GET  /{tenant}/v2.0/.well-known/openid-configuration`;
 * - `common`, `organizations` and `consumers` in place of `{tenant}` are served by the tenant the
 *   options name for them, so the ID token's `iss` carries that tenant's id, as Entra's do;
 * - a verified domain of a tenant works as `{tenant}` too (its discovery names the tenant's id);
 * - `GET  /v1.0/me`: a Microsoft Graph stub that answers for an access token the emulator issued.
 *
 * ID tokens carry Entra's `tid`, `oid`, `ver`, `preferred_username` and, when set, `xms_edov`.
 * Point `@idplug/connector-azuread` at it with `cloudInstance` and `graphApiUrl` set to `url`
 * (`connectorConfig` is ready-made). Sources:
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow,
 * https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference,
 * https://learn.microsoft.com/graph/api/user-get.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Configuration, Provider } from 'oidc-provider';
import { listenOnLoopback, sendJson, stopServer } from './emulator-http';
import {
  handleInteraction,
  type InteractionAction,
  interactionPathPattern,
  sendHtml,
} from './oidc-provider-interactions';
import { generateSigningKeys } from './oidc-provider-signing-keys';
import { createEmulatorStorage } from './oidc-provider-storage';

/** One user of a tenant: what the ID token and Graph `/me` say about them. */
export type AzureAdEmulatorAccount = {
  /** The object id (`oid`); also Graph's `id` of a work or school account. */
  oid: string;
  /** Graph `/me`'s `id` when it is not the `oid` (personal accounts: 16 hex digits). */
  graphId?: string;
  displayName?: string | null;
  /** Graph's `mail`: `null` for an account without a mailbox. */
  mail?: string | null;
  userPrincipalName: string;
  mobilePhone?: string | null;
  /** The `xms_edov` optional claim (email domain owner verified). */
  emailDomainVerified?: boolean;
};

export type AzureAdEmulatorTenant = {
  /** The directory (tenant) id, a GUID. */
  tenantId: string;
  /** Verified domains that name this tenant in URLs (`contoso.onmicrosoft.com`). */
  domains?: string[];
  /** Accounts by `sub` (Entra's pairwise subject). */
  accounts: Record<string, AzureAdEmulatorAccount>;
};

export type AzureAdEmulatorClient = {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
};

export type AzureAdEmulatorOptions = {
  /** @default defaultAzureAdEmulatorTenants */
  tenants?: AzureAdEmulatorTenant[];
  /** Registered in every tenant (a multi-tenant app). @default [defaultAzureAdEmulatorClient] */
  clients?: AzureAdEmulatorClient[];
  /** The tenant serving `common` and `organizations`. @default the first tenant */
  multiTenantHome?: string;
  /** @default 0 (a free port) */
  port?: number;
};

export type AzureAdEmulator = {
  /** `http://127.0.0.1:<port>`: the cloud instance and the Graph base URL. */
  url: string;
  tenants: readonly AzureAdEmulatorTenant[];
  clients: readonly AzureAdEmulatorClient[];
  /** `<url>/<tenant>/v2.0`, the `iss` of that tenant's tokens. */
  issuerOf(tenantId: string): string;
  /** A config for `@idplug/connector-azuread` signing in through this emulator. */
  connectorConfig(tenantId?: string): Record<string, unknown>;
  /** Every request received, in order, query strings dropped. */
  readonly requests: readonly { method: string; path: string }[];
  clearRequests(): void;
  /** Unexpected errors inside oidc-provider; empty in a healthy run. */
  readonly serverErrors: readonly Error[];
  stop(): Promise<void>;
};

/** The tenant of every personal Microsoft account. */
export const azureAdConsumersTenantId = '9188040d-6c67-4c5b-b112-36a304b66dad';

export const defaultAzureAdEmulatorClient: AzureAdEmulatorClient = {
  clientId: '6731de76-14a6-49ae-97bc-6eba6914391e',
  clientSecret: 'emulator-azuread-client-secret-value',
  redirectUris: ['http://127.0.0.1/callback'],
};

export const defaultAzureAdEmulatorTenants: AzureAdEmulatorTenant[] = [
  {
    tenantId: 'aaaaaaaa-1111-4222-8333-bbbbbbbbbbbb',
    domains: ['contoso.onmicrosoft.com'],
    accounts: {
      AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ: {
        oid: '48d31887-5fad-4d73-a9f5-3c356e68a038',
        displayName: 'Megan Bowen',
        mail: 'MeganB@contoso.onmicrosoft.com',
        userPrincipalName: 'MeganB@contoso.onmicrosoft.com',
        mobilePhone: '+1 425 555 0109',
        emailDomainVerified: true,
      },
    },
  },
  {
    tenantId: azureAdConsumersTenantId,
    accounts: {
      AAAAAAAAAAAAAAAAAAAAAPersonalAccountSubject: {
        oid: '00000000-0000-0000-4d7e-3b1c2a9f8e60',
        graphId: '4d7e3b1c2a9f8e60',
        displayName: 'Ada Lovelace',
        mail: null,
        userPrincipalName: 'ada.lovelace@outlook.com',
      },
    },
  },
];

const Day = 24 * 60 * 60;
const multiTenantKeywords = new Set(['common', 'organizations', 'consumers']);

/** Microsoft's v2.0 paths, as the routes of a provider mounted at `/{tenant}/v2.0`. */
const entraRoutes: Array<[RegExp, string]> = [
  [/^\/([^/]+)\/oauth2\/v2\.0\/authorize(\/.*)?$/, '/oauth2/authorize'],
  [/^\/([^/]+)\/oauth2\/v2\.0\/token$/, '/oauth2/token'],
  [/^\/([^/]+)\/discovery\/v2\.0\/keys$/, '/discovery/keys'],
];

type TenantProvider = {
  tenant: AzureAdEmulatorTenant;
  provider: Provider;
  handle: (request: IncomingMessage, response: ServerResponse) => unknown;
};

type OidcProviderModule = typeof import('oidc-provider');
let oidcProviderModule: Promise<OidcProviderModule> | undefined;

/** As in oidc-provider.ts: only the "Unsupported runtime" notice of Node 20 is filtered. */
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

/** Graph `/me` without `$select`: the default property set. */
const graphUserOf = (account: AzureAdEmulatorAccount) => ({
  '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
  businessPhones: [],
  displayName: account.displayName ?? null,
  givenName: null,
  jobTitle: null,
  mail: account.mail ?? null,
  mobilePhone: account.mobilePhone ?? null,
  officeLocation: null,
  preferredLanguage: null,
  surname: null,
  userPrincipalName: account.userPrincipalName,
  id: account.graphId ?? account.oid,
});

export const startAzureAdEmulator = async (
  options: AzureAdEmulatorOptions = {},
): Promise<AzureAdEmulator> => {
  const { Provider } = await loadOidcProvider();
  const tenants = options.tenants ?? defaultAzureAdEmulatorTenants;
  const clients = options.clients ?? [defaultAzureAdEmulatorClient];
  const requests: { method: string; path: string }[] = [];
  const serverErrors: Error[] = [];
  const byTenantId = new Map<string, TenantProvider>();
  /** Which tenant's provider started an interaction: the pages sit at `/interaction/:uid`. */
  const tenantOfInteraction = new Map<string, TenantProvider>();

  const server = createServer((request, response) => {
    void dispatch(request, response).catch((error: unknown) => {
      serverErrors.push(error instanceof Error ? error : new Error(String(error)));
      if (!response.headersSent) {
        sendJson(response, 500, { error: 'server_error' });
      }
    });
  });
  const { port } = await listenOnLoopback(server, options.port ?? 0);
  const url = `http://127.0.0.1:${port}`;
  const issuerOf = (tenantId: string) => `${url}/${tenantId}/v2.0`;
  const homeId = options.multiTenantHome ?? tenants[0]?.tenantId;

  /** A tenant id, domain or multi-tenant keyword in a URL, to the provider that serves it. */
  const resolveTenant = (segment: string): TenantProvider | undefined => {
    const name = segment.toLowerCase();
    if (multiTenantKeywords.has(name)) {
      const id = name === 'consumers' ? azureAdConsumersTenantId : homeId;
      return id === undefined ? undefined : byTenantId.get(id);
    }
    return (
      byTenantId.get(name) ??
      [...byTenantId.values()].find(({ tenant }) =>
        tenant.domains?.some((domain) => domain.toLowerCase() === name),
      )
    );
  };

  for (const [index, tenant] of tenants.entries()) {
    const keys = await generateSigningKeys(index + 1);
    const accounts = new Map(Object.entries(tenant.accounts));
    const configuration: Configuration = {
      adapter: createEmulatorStorage(),
      clients: clients.map((client) => ({
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: client.redirectUris,
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      })),
      jwks: { keys: [keys.rsa] as never },
      findAccount: (_ctx, sub) => {
        const account = accounts.get(sub);
        return account === undefined
          ? undefined
          : {
              accountId: sub,
              claims: () => ({
                sub,
                ver: '2.0',
                tid: tenant.tenantId,
                oid: account.oid,
                name: account.displayName ?? undefined,
                preferred_username: account.userPrincipalName,
                ...(account.emailDomainVerified !== undefined && {
                  xms_edov: account.emailDomainVerified,
                }),
              }),
            };
      },
      claims: {
        openid: ['sub', 'ver', 'tid', 'oid'],
        profile: ['name', 'preferred_username', 'xms_edov'],
      },
      // Entra accepts Graph's scopes next to the OIDC ones.
      scopes: ['openid', 'offline_access', 'profile', 'email', 'User.Read'],
      conformIdTokenClaims: false,
      pkce: { required: () => false },
      // Entra issues a refresh token whenever `offline_access` was asked for, consent or not.
      issueRefreshToken: (_ctx, client, code) =>
        client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
      routes: {
        authorization: '/oauth2/authorize',
        token: '/oauth2/token',
        jwks: '/discovery/keys',
        userinfo: '/oidc/userinfo',
      },
      features: { devInteractions: { enabled: false } },
      interactions: {
        url: (_ctx, interaction) => {
          tenantOfInteraction.set(interaction.uid, byTenantId.get(tenant.tenantId)!);
          return `/interaction/${interaction.uid}`;
        },
      },
      cookies: {
        keys: [randomBytes(32).toString('base64url')],
        // One host and port, several providers: the names keep their sessions apart.
        names: {
          session: `entra${port}_${index}_session`,
          interaction: `entra${port}_${index}_interaction`,
          resume: `entra${port}_${index}_resume`,
        },
      },
      ttl: {
        AccessToken: 3600,
        AuthorizationCode: 60,
        IdToken: 3600,
        RefreshToken: 14 * Day,
        Interaction: 3600,
        Session: 14 * Day,
        Grant: 14 * Day,
      },
    };
    const provider = new Provider(issuerOf(tenant.tenantId), configuration);
    // oidc-provider drops `offline_access` unless the prompt includes `consent` (OIDC Core §11
    // allows that); Entra does not insist, so the emulator asks for consent in such requests.
    provider.use(async (ctx, next) => {
      const { scope, prompt } = ctx.query;
      if (
        ctx.method === 'GET' &&
        ctx.path === '/oauth2/authorize' &&
        typeof scope === 'string' &&
        scope.split(' ').includes('offline_access') &&
        (prompt === undefined || typeof prompt === 'string') &&
        !prompt?.split(' ').some((value) => value === 'none' || value === 'consent')
      ) {
        // Setting the query rewrites the request URL: keep the mount path oidc-provider derives
        // from `originalUrl` (the part before the URL) in step.
        const request = ctx.req as IncomingMessage & { originalUrl?: string };
        const mount = request.originalUrl?.slice(0, request.originalUrl.indexOf(ctx.url)) ?? '';
        ctx.query = { ...ctx.query, prompt: [prompt, 'consent'].filter(Boolean).join(' ') };
        request.originalUrl = `${mount}${ctx.url}`;
      }
      await next();
    });
    provider.on('server_error', (_ctx: unknown, error: Error) => serverErrors.push(error));
    byTenantId.set(tenant.tenantId.toLowerCase(), {
      tenant,
      provider,
      handle: provider.callback(),
    });
  }

  /** Graph `/me` for a bearer token one of the tenants issued. */
  const answerGraphMe = async (request: IncomingMessage, response: ServerResponse) => {
    const token = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    for (const { tenant, provider } of byTenantId.values()) {
      const accessToken = token === undefined ? undefined : await provider.AccessToken.find(token);
      const account = accessToken?.accountId ? tenant.accounts[accessToken.accountId] : undefined;
      if (account) {
        return sendJson(response, 200, graphUserOf(account));
      }
    }
    return sendJson(response, 401, {
      error: {
        code: 'InvalidAuthenticationToken',
        message:
          token === undefined ? 'Access token is empty.' : 'Access token validation failure.',
      },
    });
  };

  /** Runs a tenant's provider with the request's path relative to its mount `/{segment}/v2.0`. */
  const toProvider = (
    target: TenantProvider,
    segment: string,
    innerPath: string,
    request: IncomingMessage,
    response: ServerResponse,
  ) => {
    const query = request.url?.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    const mount = `/${segment}/v2.0`;
    (request as IncomingMessage & { originalUrl?: string }).originalUrl =
      `${mount}${innerPath}${query}`;
    request.url = `${innerPath}${query}`;
    return target.handle(request, response);
  };

  const dispatch = async (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: request.method ?? 'GET', path });
    if (request.method === 'GET' && path === '/v1.0/me') {
      return answerGraphMe(request, response);
    }
    const interaction = interactionPathPattern.exec(path);
    if (interaction !== null) {
      const target = tenantOfInteraction.get(interaction[1] ?? '');
      if (target === undefined) {
        return sendHtml(response, 404, 'Unknown interaction', '<p>Start the sign-in again.</p>');
      }
      const action = (interaction[2] ?? 'render') as InteractionAction;
      return handleInteraction(
        {
          provider: target.provider,
          accounts: new Map(
            Object.entries(target.tenant.accounts).map(([sub, account]) => [
              sub,
              { name: account.displayName, email: account.userPrincipalName },
            ]),
          ),
        },
        action,
        request,
        response,
      );
    }
    for (const [pattern, route] of entraRoutes) {
      const match = pattern.exec(path);
      const target = match ? resolveTenant(match[1] ?? '') : undefined;
      if (match && target) {
        return toProvider(target, match[1] ?? '', `${route}${match[2] ?? ''}`, request, response);
      }
    }
    const mounted = /^\/([^/]+)\/v2\.0(\/.*)$/.exec(path);
    const target = mounted ? resolveTenant(mounted[1] ?? '') : undefined;
    if (mounted && target) {
      return toProvider(target, mounted[1] ?? '', mounted[2] ?? '/', request, response);
    }
    if (mounted || entraRoutes.some(([pattern]) => pattern.test(path))) {
      // Microsoft's answer for a tenant it does not know.
      return sendJson(response, 400, {
        error: 'invalid_tenant',
        error_description: `AADSTS90002: Tenant '${path.split('/')[1]}' not found.`,
        error_codes: [90002],
      });
    }
    return sendJson(response, 404, { error: 'not_found' });
  };

  return {
    url,
    tenants,
    clients,
    issuerOf,
    connectorConfig: (tenantId = homeId ?? 'common') => ({
      clientId: clients[0]?.clientId,
      clientSecret: clients[0]?.clientSecret,
      cloudInstance: url,
      tenantId,
      graphApiUrl: url,
    }),
    get requests() {
      return requests;
    },
    clearRequests() {
      requests.length = 0;
    },
    get serverErrors() {
      return serverErrors;
    },
    stop: () => stopServer(server),
  };
};

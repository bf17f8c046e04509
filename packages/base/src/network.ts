import { X509Certificate } from 'node:crypto';
import {
  type ConnectorConfigFormItem,
  ConnectorConfigFormItemType,
  ConnectorErrorCodes,
  type ConnectorMetadata,
} from '@logto/connector-kit';
import { z } from 'zod';
import type { ConfigGuard } from './config';
import { connectorError } from './errors';

/**
 * The `network` option group every connector accepts: an outbound proxy and extra trusted roots.
 * Node 20's global fetch (undici) ignores `HTTPS_PROXY` and takes no CA option, so a connector
 * that needs either talks through base's own small transport (http-transport.ts); this module
 * says what the config means: which proxy a URL goes through, and which roots are trusted.
 */

export type NetworkOptions = {
  /** `http://[user:password@]host:port` or `https://...`: every request goes through it. */
  proxy?: string;
  /** Hosts that never go through the proxy (`NO_PROXY` syntax). @default `NO_PROXY` */
  noProxy?: string;
  /** PEM certificates trusted in addition to Node's roots (a TLS-intercepting proxy, a private CA). */
  ca?: string;
};

/** A proxy a request goes through: where it is, and the `Proxy-Authorization` value if any. */
export type ProxyRoute = {
  url: URL;
  /** `127.0.0.1:3128`: how messages name the proxy (never its credentials). */
  address: string;
  authorization?: string;
  /** Where the proxy came from, for messages: `network.proxy` or `HTTPS_PROXY`. */
  source: string;
};

const pemBlockPattern = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM bundle, or undefined when a block does not parse. */
export const certificatesOf = (pem: string): string[] | undefined => {
  const blocks = pem.match(pemBlockPattern) ?? [];
  if (blocks.length === 0) {
    return undefined;
  }
  try {
    for (const block of blocks) {
      new X509Certificate(block);
    }
  } catch {
    return undefined;
  }
  return blocks;
};

/** Why a proxy URL cannot be used, or undefined when it can. Never repeats the URL (credentials). */
export const proxyUrlProblem = (value: string): string | undefined => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL (expected http://host:port or https://host:port)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'must start with http:// or https:// (SOCKS proxies are not supported)';
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return 'must be only a scheme, optional user:password@, a host and a port';
  }
  return undefined;
};

const blank = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

export const networkConfigGuard = z
  .object({
    proxy: z.preprocess(
      blank,
      z
        .string()
        .trim()
        .superRefine((value, context) => {
          const problem = proxyUrlProblem(value);
          if (problem) {
            context.addIssue({ code: z.ZodIssueCode.custom, message: `The proxy URL ${problem}` });
          }
        })
        .optional(),
    ),
    noProxy: z.preprocess(blank, z.string().max(10_000).optional()),
    ca: z.preprocess(
      blank,
      z
        .string()
        .max(1_000_000)
        .refine((value) => certificatesOf(value) !== undefined, {
          message: 'Not a PEM bundle: expected one or more -----BEGIN CERTIFICATE----- blocks',
        })
        .optional(),
    ),
  })
  .strict()
  .optional()
  .describe(
    'Outbound network: `{"proxy": "http://user:password@proxy:3128", "noProxy": "internal.example", "ca": "<PEM>"}`. Without `proxy`, `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` from the environment apply. `ca` adds trusted roots (a TLS-intercepting proxy, a private provider).',
  );

type ZodAny = z.ZodType<unknown, z.ZodTypeDef, unknown>;

/** Guards already made by `withNetworkConfig`: wrapping one twice would validate `network` twice. */
const networkAwareGuards = new WeakSet<object>();

/**
 * A connector's config guard that also accepts the `network` group. An intersection keeps the
 * connector's own guard whole (refinements and transforms included): its output loses nothing,
 * and `network` is validated beside it. Connector guards strip unknown keys, so theirs never sees it.
 */
export const withNetworkConfig = <Config>(
  guard: ConfigGuard<Config>,
): ConfigGuard<Config & { network?: NetworkOptions }> => {
  if (networkAwareGuards.has(guard)) {
    return guard as ConfigGuard<Config & { network?: NetworkOptions }>;
  }
  const wrapped = z.intersection(guard as ZodAny, z.object({ network: networkConfigGuard }));
  networkAwareGuards.add(wrapped);
  return wrapped as unknown as ConfigGuard<Config & { network?: NetworkOptions }>;
};

/** The console's field for the group (a JSON object, like `templates`). */
export const networkFormItem: ConnectorConfigFormItem = {
  key: 'network',
  label: 'Network (proxy, CA)',
  type: ConnectorConfigFormItemType.Json,
  required: false,
  description:
    'Optional outbound proxy and trusted roots: `{"proxy": "http://user:pass@host:3128", "noProxy", "ca": "<PEM>"}`. Without `proxy`, HTTPS_PROXY / NO_PROXY apply.',
};

/**
 * What every `define*Connector` does with a definition: its guard accepts `network`, and its
 * console form (when it has one) shows the field.
 */
export const withNetworkOption = <Config>(definition: {
  metadata: ConnectorMetadata;
  configGuard: ConfigGuard<Config>;
}): {
  metadata: ConnectorMetadata;
  configGuard: ConfigGuard<Config & { network?: NetworkOptions }>;
} => {
  const { metadata } = definition;
  const formItems = metadata.formItems;
  return {
    metadata:
      formItems?.length && !formItems.some((item) => item.key === networkFormItem.key)
        ? { ...metadata, formItems: [...formItems, networkFormItem] }
        : metadata,
    configGuard: withNetworkConfig(definition.configGuard),
  };
};

/** The `network` group of a parsed config, if it has one. */
export const networkOf = (config: unknown): NetworkOptions | undefined => {
  const network =
    config && typeof config === 'object' ? (config as { network?: unknown }).network : undefined;
  return network && typeof network === 'object' ? (network as NetworkOptions) : undefined;
};

const environmentValue = (
  names: readonly string[],
): { name: string; value: string } | undefined => {
  for (const name of names) {
    const value = process.env[name]?.trim();
    if (value) {
      return { name, value };
    }
  }
  return undefined;
};

/** `host`, `host:port`, `[::1]:port` or a bare IPv6 address. */
const parseNoProxyEntry = (entry: string): { host: string; port?: string } => {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) {
    return { host: bracketed[1] ?? '', ...(bracketed[2] && { port: bracketed[2] }) };
  }
  const parts = entry.split(':');
  return parts.length === 2 ? { host: parts[0] ?? '', port: parts[1] ?? '' } : { host: entry };
};

/**
 * `NO_PROXY` as curl and most tools read it: comma- or space-separated names; `*` matches every
 * host; `example.com` and `.example.com` match the domain and its subdomains; an entry may carry a
 * `:port`; IP addresses match literally. (CIDR ranges are not supported.)
 */
export const bypassesProxy = (url: URL, noProxy: string | undefined): boolean => {
  if (!noProxy) {
    return false;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((rawEntry) => {
      if (rawEntry === '*') {
        return true;
      }
      const { host: entryHost, port: entryPort } = parseNoProxyEntry(rawEntry);
      if (entryPort && entryPort !== port) {
        return false;
      }
      const name = entryHost.toLowerCase().replace(/^\*?\./, '');
      return host === name || host.endsWith(`.${name}`);
    });
};

const routeOf = (value: string, source: string): ProxyRoute => {
  const problem = proxyUrlProblem(value);
  if (problem) {
    throw connectorError(ConnectorErrorCodes.InvalidConfig, `${source} ${problem}`, {
      stage: 'config',
    });
  }
  const url = new URL(value);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  return {
    url,
    address: `${url.hostname}:${port}`,
    source,
    ...((username || password) && {
      authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
    }),
  };
};

/**
 * The proxy a request to `url` goes through, if any: the configured one, else the environment's
 * (`https_proxy` / `HTTPS_PROXY` for https URLs, `http_proxy` / `HTTP_PROXY` for http ones;
 * lowercase first, as curl reads them), unless `noProxy` (or `NO_PROXY`) lists the host.
 */
export const proxyRouteFor = (
  url: URL,
  network: NetworkOptions | undefined,
): ProxyRoute | undefined => {
  const noProxy = network?.noProxy ?? environmentValue(['no_proxy', 'NO_PROXY'])?.value;
  if (bypassesProxy(url, noProxy)) {
    return undefined;
  }
  if (network?.proxy) {
    return routeOf(network.proxy, 'The configured proxy (network.proxy)');
  }
  const fromEnvironment = environmentValue(
    url.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'],
  );
  return fromEnvironment && routeOf(fromEnvironment.value, fromEnvironment.name);
};

/**
 * Every proxy credential the options (or the environment) could send, for the redactor: the user,
 * the password, and the `Proxy-Authorization` value built from them.
 */
export const proxyCredentialsOf = (network: NetworkOptions | undefined): string[] => {
  const values = [
    network?.proxy,
    ...['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'].map((name) => process.env[name]),
  ];
  const credentials: string[] = [];
  for (const value of values) {
    if (!value || proxyUrlProblem(value.trim())) {
      continue;
    }
    const { url, authorization } = routeOf(value.trim(), 'proxy');
    if (authorization) {
      credentials.push(
        url.username,
        decodeURIComponent(url.username),
        url.password,
        decodeURIComponent(url.password),
        authorization,
        authorization.slice('Basic '.length),
      );
    }
  }
  return credentials.filter(Boolean);
};

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBrowserSessions } from './browser-sessions';
import {
  type ConnectorSource,
  type DiscoveredConnector,
  type DiscoveryResult,
  discoverConnectors,
} from './discovery';
import { type Emulators, startEmulators } from './emulators';
import { sendHtml } from './http-messages';
import { renderProblem } from './pages';
import { routeRequest } from './router';
import type { PlaygroundSite } from './site';

/**
 * The playground's web server: plain node:http on 127.0.0.1, server-rendered pages, per-browser
 * state under a cookie (browser-sessions.ts), and the emulators its presets point at. This file
 * starts and stops them; router.ts says which handler answers a request.
 */

/** `pnpm playground`'s port unless told otherwise: a stable callback URL across restarts. */
export const defaultPlaygroundPort = 5175;

export type PlaygroundOptions = {
  /** @default 0 (a free port) */
  port?: number;
  /** When `port` is taken, listen on a free one instead of failing. @default false */
  fallbackToFreePort?: boolean;
  /** The base URL of the previous run, to warn on the pages when the callback URLs changed. */
  previousBaseUrl?: string | undefined;
  /** Import connectors from `src` (tsx) or their built `lib`. @default 'src' */
  source?: ConnectorSource;
  /** Where the `connector-*` folders are. @default this workspace's `packages/` */
  packagesDirectory?: string;
  /** Run the official `@logto/connector-*` package beside each test send (`--compare`). @default false */
  compare?: boolean;
};

export type Playground = {
  /** `http://127.0.0.1:<port>` */
  url: string;
  connectors: DiscoveredConnector[];
  broken: DiscoveryResult['broken'];
  emulators: Emulators;
  /** Set when `port` was taken and the playground fell back to a free one. */
  portInUse?: number;
  stop: () => Promise<void>;
};

/** The Node.js error of a port someone else listens on. */
export const isAddressInUse = (error: unknown) =>
  (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';

const listen = (server: Server, port: number) =>
  new Promise<AddressInfo>((resolve, reject) => {
    const fail = (error: Error) => reject(error);
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      resolve(server.address() as AddressInfo);
    });
  });

export const startPlayground = async (options: PlaygroundOptions = {}): Promise<Playground> => {
  const { connectors, broken } = await discoverConnectors({
    ...(options.packagesDirectory !== undefined && {
      packagesDirectory: options.packagesDirectory,
    }),
    ...(options.source !== undefined && { source: options.source }),
  });

  const server = createServer();
  const requestedPort = options.port ?? 0;
  let portInUse: number | undefined;
  const address = await listen(server, requestedPort).catch((error: unknown) => {
    if (!(isAddressInUse(error) && options.fallbackToFreePort && requestedPort !== 0)) {
      throw error;
    }
    portInUse = requestedPort;
    return listen(server, 0);
  });
  const baseUrl = `http://127.0.0.1:${address.port}`;
  // Filled in once the emulators run (the OpenID Provider needs the exact callback URLs).
  let emulators: Emulators | undefined;
  const site: PlaygroundSite = {
    baseUrl,
    connectors,
    broken,
    bySlug: new Map(connectors.map((connector) => [connector.slug, connector])),
    // Browsers share cookies across the ports of one host: the name carries the port.
    sessions: createBrowserSessions(`idplug_playground_${address.port}`),
    presetOf: (connector) => emulators?.presets.get(connector.metadata.id),
    previousBaseUrl: options.previousBaseUrl === baseUrl ? undefined : options.previousBaseUrl,
    inbox: () => emulators?.inbox,
  };
  // Attached in the same turn of the event loop as the listen callback, before the server can
  // accept a connection.
  server.on('request', (request, response) => {
    routeRequest(site, request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      // Connector calls, guards and presets are caught where they run and shown beside the form
      // (connector-actions.ts); what reaches here is a bug of the playground itself.
      console.error('idplug playground: a request failed', error);
      sendHtml(
        response,
        500,
        renderProblem(
          `The playground failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    });
  });

  const callbackFor = (metadataId: string) => {
    const connector = connectors.find((candidate) => candidate.metadata.id === metadataId);
    return `${baseUrl}/callback/${connector?.slug ?? metadataId}`;
  };
  try {
    emulators = await startEmulators(callbackFor);
  } catch (error) {
    server.close();
    throw error;
  }
  const running = emulators;
  if (options.compare) {
    // Imported only here: compare mode installs msw in this process.
    const { startCompareMode } = await import('./compare/compare-mode');
    site.compare = startCompareMode(running);
  }

  return {
    url: baseUrl,
    connectors,
    broken,
    emulators: running,
    ...(portInUse !== undefined && { portInUse }),
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      site.compare?.stop();
      await Promise.all([closed, running.stop()]);
    },
  };
};

import type { Socket } from 'node:net';
import { ConnectorErrorCodes } from '@logto/connector-kit';
import { connectorError } from './errors';
import { openTunnel, TransportFailure } from './http-transport';
import { certificatesOf, type NetworkOptions, proxyRouteFor } from './network';

/**
 * A TCP tunnel through the connector's proxy for a protocol that is not HTTP (SMTP): an HTTP
 * CONNECT to `host:port` (RFC 9110 §9.3.6), the same proxy choice as base's HTTP client (the
 * configured `network.proxy`, else `HTTPS_PROXY` from the environment, unless `noProxy` /
 * `NO_PROXY` lists the host). The caller speaks its protocol (and starts its own TLS) over the
 * socket. Resolves `undefined` when no proxy applies: connect directly.
 */
export const connectThroughProxy = async (
  target: { host: string; port: number },
  network: NetworkOptions | undefined,
  timeoutMs: number,
): Promise<Socket | undefined> => {
  const bracketed = target.host.includes(':') ? `[${target.host}]` : target.host;
  const address = `${bracketed}:${target.port}`;
  let url: URL;
  try {
    url = new URL(`https://${address}`);
  } catch {
    return undefined;
  }
  const proxy = proxyRouteFor(url, network);
  if (!proxy) {
    return undefined;
  }
  const ca = network?.ca ? certificatesOf(network.ca) : undefined;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    return await openTunnel(proxy, address, { proxy, ...(ca && { ca }) }, signal);
  } catch (error: unknown) {
    if (error instanceof TransportFailure) {
      throw connectorError(error.code, `Could not reach ${address}: ${error.description}`, {
        stage: 'send',
      });
    }
    throw connectorError(
      ConnectorErrorCodes.General,
      signal.aborted
        ? `Could not reach ${address}: the proxy ${proxy.address} (from ${proxy.source}) did not open a tunnel within ${timeoutMs} ms`
        : `Could not reach ${address} through the proxy ${proxy.address}: ${error instanceof Error ? error.message : String(error)}`,
      { stage: 'send' },
    );
  }
};

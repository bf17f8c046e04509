import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectConnectorError } from '../expect-connector-error';
import {
  expectedFaultCodes,
  type Fault,
  type FaultServer,
  faults,
  startFaultServer,
} from './fault-server';
import { type FaultyProxies, proxyFaults, startFaultyProxies } from './proxy-faults';

/**
 * The fault matrix: every operation of a connector against every fault. Each cell must end within
 * the configured timeout plus a margin, throw a `ConnectorError` with the table's code, carry no
 * secret (the configured ones, and every credential the fault server saw the request carry: the
 * Basic header value, the PKCE verifier, the client assertion...; checked by
 * `expectConnectorError`), and send nothing to the other origin a redirect points at. Test names
 * are `<connector> <operation> × <fault>`, so the verbose reporter prints one line per cell
 * (`pnpm test:faults`).
 */

export type FaultOperation = {
  name: string;
  /** Runs the operation against a provider whose every endpoint is `providerUrl`. */
  run: (providerUrl: string) => Promise<unknown>;
  /** Faults whose code differs for this operation alone, with the reason at the call site. */
  expectedCodes?: Partial<Record<Fault, string>>;
};

export type FaultMatrixOptions = {
  connector: string;
  operations: FaultOperation[];
  /** The timeout the operations were configured with, in ms. */
  timeoutMs: number;
  /** Slack on top of the timeout (retries of idempotent reads fit inside the deadline). @default 4000 */
  marginMs?: number;
  secrets: string[];
  /** Faults whose code differs for this connector, with the reason in a comment at the call site. */
  expectedCodes?: Partial<Record<Fault, string>>;
  /** Only these faults (a connector that speaks no HTTP may pick a subset). @default all */
  faults?: readonly Fault[];
  /**
   * The proxy column: each operation with HTTPS_PROXY / HTTP_PROXY pointing at a proxy that is
   * down or never answers (`general`, the proxy named, within the deadline). @default true
   */
  proxyFaults?: boolean;
};

export const describeFaultMatrix = (options: FaultMatrixOptions) => {
  const margin = options.marginMs ?? 4000;
  let server: FaultServer;
  let proxies: FaultyProxies;

  describe(`${options.connector} fault matrix`, () => {
    beforeAll(async () => {
      server = await startFaultServer();
      proxies = await startFaultyProxies();
    });
    afterAll(async () => {
      await server?.stop();
      await proxies?.stop();
    });

    for (const operation of options.proxyFaults === false ? [] : options.operations) {
      for (const fault of proxyFaults) {
        it(`${options.connector} ${operation.name} × ${fault} → general`, {
          timeout: options.timeoutMs + margin + 5000,
        }, async () => {
          server.reset('echo-request');
          const started = performance.now();
          const settled = proxies.withProxy(fault, () => operation.run(server.url));
          await settled.then(
            () => undefined,
            () => undefined,
          );
          const elapsed = performance.now() - started;
          const error = await expectConnectorError(settled, {
            code: 'general',
            secrets: options.secrets,
          });
          expect(error.message).toContain(`proxy ${proxies.addressOf(fault)}`);
          // Nothing reached the provider: every request had to go through the proxy.
          expect(server.requests).toEqual([]);
          expect(elapsed, `took ${Math.round(elapsed)} ms`).toBeLessThan(
            options.timeoutMs + margin,
          );
        });
      }
    }

    for (const operation of options.operations) {
      for (const fault of options.faults ?? faults) {
        const expected =
          operation.expectedCodes?.[fault] ??
          options.expectedCodes?.[fault] ??
          expectedFaultCodes[fault];
        it(`${options.connector} ${operation.name} × ${fault} → ${expected}`, {
          timeout: options.timeoutMs + margin + 5000,
        }, async () => {
          server.reset(fault);
          const started = performance.now();
          const settled = operation.run(server.url);
          // Settle first: the credentials the requests carried are only known afterwards.
          await settled.then(
            () => undefined,
            () => undefined,
          );
          const elapsed = performance.now() - started;
          const carried = server.requests
            .flatMap((request) => request.credentials)
            // A credential of a few characters (the test's `code`) would match ordinary words.
            .filter((credential) => credential.length >= 8);
          const error = await expectConnectorError(settled, {
            code: expected,
            secrets: [...options.secrets, ...carried],
          });
          if (fault.startsWith('redirect-') && expected === 'invalid_response') {
            // The error names the endpoint that redirected, not what the target would have said.
            expect(error.message).toMatch(/redirected/);
          }
          expect(
            server.redirectTarget.requests,
            'the other origin of a redirect received a request',
          ).toEqual([]);
          expect(elapsed, `took ${Math.round(elapsed)} ms`).toBeLessThan(
            options.timeoutMs + margin,
          );
        });
      }
    }
  });
};

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectConnectorError } from '../expect-connector-error';
import {
  expectedFaultCodes,
  type Fault,
  type FaultServer,
  faults,
  startFaultServer,
} from './fault-server';
import {
  type FaultyProxies,
  type ProxyFault,
  proxyFaults,
  startFaultyProxies,
} from './proxy-faults';

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
  /**
   * Runs the operation against a provider whose every endpoint is `providerUrl`, with the
   * connector's `timeout` set to `timeoutMs`: the matrix's short `timeoutMs` for the faults that
   * never answer, a generous one for the faults that answer at once (see `answeringTimeoutMs`).
   */
  run: (providerUrl: string, timeoutMs: number) => Promise<unknown>;
  /** Faults whose code differs for this operation alone, with the reason at the call site. */
  expectedCodes?: Partial<Record<Fault, string>>;
};

export type FaultMatrixOptions = {
  connector: string;
  operations: FaultOperation[];
  /**
   * The connector timeout, in ms, for the faults that are about time (no answer, a body that
   * trickles, a proxy that never answers): each of those cells waits for it, so it is short.
   */
  timeoutMs: number;
  /**
   * The connector timeout for the faults that answer at once (an HTML 503, a redirect, bad JSON):
   * what those cells check is the error's code and that it carries no secret, so their deadline
   * is generous — on a loaded runner a short one was hit before the fault server's instant answer
   * was read, and the cell failed as a timeout. @default 15000
   */
  answeringTimeoutMs?: number;
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

/** The faults whose cells wait for the connector's deadline. */
const timeFaults: ReadonlySet<string> = new Set<Fault | ProxyFault>([
  'no-response',
  'slow-body',
  'proxy-slow',
]);

export const describeFaultMatrix = (options: FaultMatrixOptions) => {
  const margin = options.marginMs ?? 4000;
  const answeringTimeoutMs = options.answeringTimeoutMs ?? 15_000;
  /** The connector timeout a cell runs with, and the time it must end within. */
  const deadlineOf = (fault: Fault | ProxyFault) => {
    const timeoutMs = timeFaults.has(fault) ? options.timeoutMs : answeringTimeoutMs;
    return { timeoutMs, endsWithinMs: timeoutMs + margin };
  };
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
        const { timeoutMs, endsWithinMs } = deadlineOf(fault);
        it(`${options.connector} ${operation.name} × ${fault} → general`, {
          timeout: endsWithinMs + 5000,
        }, async () => {
          server.reset('echo-request');
          const started = performance.now();
          const settled = proxies.withProxy(fault, () => operation.run(server.url, timeoutMs));
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
          expect(elapsed, `took ${Math.round(elapsed)} ms`).toBeLessThan(endsWithinMs);
        });
      }
    }

    for (const operation of options.operations) {
      for (const fault of options.faults ?? faults) {
        const expected =
          operation.expectedCodes?.[fault] ??
          options.expectedCodes?.[fault] ??
          expectedFaultCodes[fault];
        const { timeoutMs, endsWithinMs } = deadlineOf(fault);
        it(`${options.connector} ${operation.name} × ${fault} → ${expected}`, {
          timeout: endsWithinMs + 5000,
        }, async () => {
          server.reset(fault);
          const started = performance.now();
          const settled = operation.run(server.url, timeoutMs);
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
          expect(elapsed, `took ${Math.round(elapsed)} ms`).toBeLessThan(endsWithinMs);
        });
      }
    }
  });
};

import { ConnectorError } from '@logto/connector-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectedFaultCodes,
  type Fault,
  type FaultServer,
  faults,
  startFaultServer,
} from './fault-server';

/**
 * The fault matrix: every operation of a connector against every fault. Each cell must end within
 * the configured timeout plus a margin, throw a `ConnectorError` with the table's code, and carry
 * no secret. Test names are `<connector> <operation> × <fault>`, so the verbose reporter prints
 * one line per cell (`pnpm test:faults`).
 */

export type FaultOperation = {
  name: string;
  /** Runs the operation against a provider whose every endpoint is `providerUrl`. */
  run: (providerUrl: string) => Promise<unknown>;
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
};

export const describeFaultMatrix = (options: FaultMatrixOptions) => {
  const margin = options.marginMs ?? 4000;
  let server: FaultServer;

  describe(`${options.connector} fault matrix`, () => {
    beforeAll(async () => {
      server = await startFaultServer();
    });
    afterAll(async () => {
      await server?.stop();
    });

    for (const operation of options.operations) {
      for (const fault of options.faults ?? faults) {
        const expected = options.expectedCodes?.[fault] ?? expectedFaultCodes[fault];
        it(`${options.connector} ${operation.name} × ${fault} → ${expected}`, {
          timeout: options.timeoutMs + margin + 5000,
        }, async () => {
          server.reset(fault);
          const started = performance.now();
          const outcome = await operation.run(server.url).then(
            (value) => ({ ok: true as const, value }),
            (error: unknown) => ({ ok: false as const, error }),
          );
          const elapsed = performance.now() - started;
          expect(outcome.ok, `${operation.name} succeeded against ${fault}`).toBe(false);
          const error = (outcome as { error: unknown }).error;
          expect(error, `threw ${String(error)}`).toBeInstanceOf(ConnectorError);
          const connectorError = error as ConnectorError;
          expect(connectorError.code, JSON.stringify(connectorError.data)).toBe(expected);
          const text = `${connectorError.message} ${JSON.stringify(connectorError.data)}`;
          for (const secret of options.secrets) {
            expect(text.includes(secret), `the error contains the secret ${secret}`).toBe(false);
          }
          expect(elapsed, `took ${Math.round(elapsed)} ms`).toBeLessThan(
            options.timeoutMs + margin,
          );
        });
      }
    }
  });
};

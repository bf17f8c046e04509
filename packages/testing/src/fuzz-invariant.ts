import { ConnectorError } from '@logto/connector-kit';
import type fc from 'fast-check';
import { expect } from 'vitest';

/**
 * The invariant every fuzz property checks, and how a property runs: a connector either succeeds
 * or throws a `ConnectorError` (Logto turns anything else into a 500), and no secret it holds
 * appears in the error's message or data.
 */

export type FuzzBudget = {
  /** Runs per property. CI has two cores; every run may cost a few requests. @default 40 */
  numRuns?: number;
  /** Pin for a reproduction (fast-check prints the seed of a failure). */
  seed?: number;
};

/**
 * `FUZZ_SEED=<seed printed by a failure> FUZZ_PATH=<path>` replays a counterexample. On CI the
 * seed is fixed (a red build is then reproducible, never a fluke); locally every run explores.
 */
const ciSeed = 20_261_122;
const seedFromEnvironment = process.env.FUZZ_SEED
  ? Number(process.env.FUZZ_SEED)
  : process.env.CI
    ? ciSeed
    : undefined;

/** A property's time limit: past it the property fails (a slow runner must not pass on few runs). */
const propertyTimeLimit = 60_000;

export const runParameters = (budget: FuzzBudget): fc.Parameters<unknown> => ({
  numRuns: budget.numRuns ?? 40,
  ...((budget.seed ?? seedFromEnvironment) !== undefined && {
    seed: budget.seed ?? seedFromEnvironment,
  }),
  ...(process.env.FUZZ_PATH && { path: process.env.FUZZ_PATH }),
  // A failing property shrinks to a small counterexample; keep it bounded on CI.
  endOnFailure: false,
  interruptAfterTimeLimit: propertyTimeLimit,
  // Without it an interrupted property passes with however few runs it made.
  markInterruptAsFailure: true,
});

/** The vitest timeout of a property: its time limit plus room for set-up and shrinking. */
export const propertyTimeout = (budget: FuzzBudget) =>
  Math.max((budget.numRuns ?? 40) * 1000, propertyTimeLimit) + 30_000;

/**
 * Calls `run` and checks the invariant: success, or a `ConnectorError` whose message and data
 * carry none of `secrets`. Returns the error, if any, for further checks. `secrets` may be a
 * function, read after the run: the tokens a connector met during it are secrets too.
 */
export const expectOnlySafeConnectorErrors = async (
  run: () => Promise<unknown>,
  secrets: readonly string[] | (() => readonly string[]),
): Promise<ConnectorError | undefined> => {
  try {
    await run();
    return undefined;
  } catch (error: unknown) {
    expect(
      error,
      `a non-ConnectorError escaped: ${error instanceof Error ? error.stack : String(error)}`,
    ).toBeInstanceOf(ConnectorError);
    const connectorError = error as ConnectorError;
    let text = connectorError.message;
    try {
      text += ` ${JSON.stringify(connectorError.data) ?? ''}`;
    } catch (serializeError: unknown) {
      throw new Error(`the error's data cannot be serialized: ${String(serializeError)}`);
    }
    for (const secret of typeof secrets === 'function' ? secrets() : secrets) {
      expect(
        text.includes(secret),
        `${connectorError.code} carries the secret ${JSON.stringify(secret)}: ${text.slice(0, 500)}`,
      ).toBe(false);
    }
    return connectorError;
  }
};

/**
 * The secrets a mutated config still holds: a secret whose key was replaced is not configured
 * any more, so a provider echoing it is not a leak of this config.
 */
export const secretsStillIn = (config: unknown, secrets: readonly string[]): string[] => {
  const text = JSON.stringify(config) ?? '';
  return secrets.filter((secret) => text.includes(JSON.stringify(secret).slice(1, -1)));
};

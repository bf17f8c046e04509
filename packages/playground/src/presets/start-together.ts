/** Starting and stopping a set of emulators as one. */

type Stoppable = { stop(): Promise<void> };

/** What `startTogether` resolves to: each start's emulator under its name. */
export type Started<Starts extends Record<string, Promise<Stoppable>>> = {
  [Name in keyof Starts]: Awaited<Starts[Name]>;
};

/** Stops each one; one failing to stop does not keep the others running. */
export const stopAll = async (emulators: Record<string, Stoppable>): Promise<void> => {
  await Promise.allSettled(Object.values(emulators).map((emulator) => emulator.stop()));
};

/**
 * Waits for every start; if one fails, stops those that started (no port left open) and throws
 * its error.
 */
export const startTogether = async <Starts extends Record<string, Promise<Stoppable>>>(
  starts: Starts,
): Promise<Started<Starts>> => {
  const names = Object.keys(starts);
  const settled = await Promise.allSettled(Object.values(starts));
  const started: Record<string, Stoppable> = {};
  let failure: { reason: unknown } | undefined;
  for (const [index, outcome] of settled.entries()) {
    if (outcome.status === 'fulfilled') {
      started[names[index]!] = outcome.value;
    } else {
      failure ??= { reason: outcome.reason };
    }
  }
  if (failure) {
    await stopAll(started);
    throw failure.reason;
  }
  return started as Started<Starts>;
};

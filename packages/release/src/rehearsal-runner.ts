/**
 * Runs a list of named steps in order: it logs and times each one, runs the clean-up exactly once
 * (after the last step, after a failure, or on SIGINT/SIGTERM) and owns the signal handlers while
 * it runs. The steps themselves only do their work.
 */

/** One named step. `title` is what the log says while it runs; `name` labels its timing. */
export type Step<Context> = {
  name: string;
  title: string | ((context: Context) => string);
  run: (context: Context) => Promise<void>;
};

export type StepTiming = { name: string; durationMs: number };

export type StepRun = { durationMs: number; steps: StepTiming[] };

/** Where signals come from: the process, or an event emitter in a test. */
export type SignalSource = {
  once: (signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void) => unknown;
  off: (signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void) => unknown;
};

export type RunStepsOptions<Context> = {
  steps: readonly Step<Context>[];
  context: Context;
  /** Runs once, whatever ends the run; the run's result or error waits for it. */
  cleanUp: () => Promise<void>;
  log?: (line: string) => void;
  /** @default ['SIGINT', 'SIGTERM'] */
  signals?: readonly NodeJS.Signals[];
  /** @default process */
  signalSource?: SignalSource;
  /**
   * After a signal's clean-up. The default raises the signal again with Node's own handler, so
   * the process ends as the signal meant it to (the steps' child processes get it from the
   * terminal as well); a caller that wants to live on passes its own.
   */
  afterSignal?: (signal: NodeJS.Signals) => void;
};

const raiseAgain = (signal: NodeJS.Signals) => {
  process.kill(process.pid, signal);
};

export const runSteps = async <Context>({
  steps,
  context,
  cleanUp,
  log = console.log,
  signals = ['SIGINT', 'SIGTERM'],
  signalSource = process,
  afterSignal = raiseAgain,
}: RunStepsOptions<Context>): Promise<StepRun> => {
  const started = Date.now();
  const timings: StepTiming[] = [];
  let cleaning: Promise<void> | undefined;
  let interruptedBy: NodeJS.Signals | undefined;
  const cleanUpOnce = () => {
    cleaning ??= cleanUp();
    return cleaning;
  };
  const removeHandlers = () => {
    for (const signal of signals) {
      signalSource.off(signal, onSignal);
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    removeHandlers();
    interruptedBy = signal;
    log(`${signal}: cleaning up`);
    void cleanUpOnce()
      .catch((error: unknown) => log(`clean-up failed: ${String(error)}`))
      .finally(() => afterSignal(signal));
  };
  for (const signal of signals) {
    signalSource.once(signal, onSignal);
  }
  try {
    for (const step of steps) {
      // A caller whose `afterSignal` lets the process live on gets no further step.
      if (interruptedBy) {
        throw new Error(`Interrupted by ${interruptedBy} before the step ${step.name}`);
      }
      const stepStarted = Date.now();
      const title = typeof step.title === 'function' ? step.title(context) : step.title;
      log(`▸ ${title} (${Math.round((stepStarted - started) / 1000)} s)`);
      await step.run(context);
      timings.push({ name: step.name, durationMs: Date.now() - stepStarted });
    }
    return { durationMs: Date.now() - started, steps: timings };
  } finally {
    removeHandlers();
    await cleanUpOnce();
  }
};

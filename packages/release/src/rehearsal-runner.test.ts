import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runSteps, type SignalSource, type Step } from './rehearsal-runner';

type Trace = { events: string[] };

const step = (name: string, run: Step<Trace>['run'] = async () => undefined): Step<Trace> => ({
  name,
  title: ({ events }) => `${name} after ${events.length} event(s)`,
  run: async (context) => {
    context.events.push(`run ${name}`);
    await run(context);
  },
});

const signalSource = () => {
  const emitter = new EventEmitter();
  return { emitter, source: emitter as unknown as SignalSource };
};

describe('the rehearsal runner', () => {
  it('runs the steps in order, logs each title, times each step and cleans up once', async () => {
    const context: Trace = { events: [] };
    const lines: string[] = [];
    const { emitter, source } = signalSource();
    const result = await runSteps({
      steps: [step('copy'), step('install')],
      context,
      log: (line) => lines.push(line),
      signalSource: source,
      cleanUp: async () => {
        context.events.push('clean up');
      },
    });
    expect(context.events).toEqual(['run copy', 'run install', 'clean up']);
    expect(lines).toEqual([
      expect.stringMatching(/^▸ copy after 0 event\(s\) \(\d+ s\)$/),
      expect.stringMatching(/^▸ install after 1 event\(s\) \(\d+ s\)$/),
    ]);
    expect(result.steps.map(({ name }) => name)).toEqual(['copy', 'install']);
    expect(result.steps.every(({ durationMs }) => durationMs >= 0)).toBe(true);
    expect(emitter.listenerCount('SIGINT') + emitter.listenerCount('SIGTERM')).toBe(0);
  });

  it('cleans up after a failing step, runs no later step, and rethrows the failure', async () => {
    const context: Trace = { events: [] };
    const { emitter, source } = signalSource();
    const failure = new Error('install failed');
    await expect(
      runSteps({
        steps: [
          step('install', async () => {
            throw failure;
          }),
          step('publish'),
        ],
        context,
        log: () => undefined,
        signalSource: source,
        cleanUp: async () => {
          context.events.push('clean up');
        },
      }),
    ).rejects.toBe(failure);
    expect(context.events).toEqual(['run install', 'clean up']);
    expect(emitter.listenerCount('SIGINT')).toBe(0);
  });

  it('on SIGTERM cleans up once, then hands the signal on, and starts no further step', async () => {
    const context: Trace = { events: [] };
    const { emitter, source } = signalSource();
    const lines: string[] = [];
    let handedOn: NodeJS.Signals | undefined;
    let cleanUps = 0;
    const run = runSteps({
      steps: [
        step('build', async () => {
          emitter.emit('SIGTERM', 'SIGTERM');
          // The step's own work goes on until it ends (its child processes get the signal too).
          await Promise.resolve();
        }),
        step('publish'),
      ],
      context,
      log: (line) => lines.push(line),
      signalSource: source,
      afterSignal: (signal) => {
        handedOn = signal;
      },
      cleanUp: async () => {
        cleanUps += 1;
        context.events.push('clean up');
      },
    });
    await expect(run).rejects.toThrow('Interrupted by SIGTERM before the step publish');
    expect(context.events).toEqual(['run build', 'clean up']);
    expect(cleanUps).toBe(1);
    expect(handedOn).toBe('SIGTERM');
    expect(lines).toContain('SIGTERM: cleaning up');
    expect(emitter.listenerCount('SIGINT') + emitter.listenerCount('SIGTERM')).toBe(0);
  });
});

import { spawn } from 'node:child_process';
import path from 'node:path';

export type RunOptions = {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Also stream the command's output to ours (it is always captured). */
  echo?: boolean;
  /** Kill the command after this long. Default: 10 minutes. */
  timeoutMs?: number;
};

export type RunResult = {
  stdout: string;
  stderr: string;
};

export class CommandError extends Error {
  constructor(
    message: string,
    readonly result: RunResult & { code: number | null; signal: NodeJS.Signals | null },
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

const tail = (text: string, lines = 60) => text.trimEnd().split('\n').slice(-lines).join('\n');

/**
 * Runs a command without blocking the event loop (the rehearsal's registry may live in this
 * process's children and must keep answering), captures its output, and rejects with the last
 * lines of it when it fails.
 */
export const run = (
  file: string,
  args: readonly string[],
  options: RunOptions,
): Promise<RunResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (options.echo) {
        process.stdout.write(chunk);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (options.echo) {
        process.stderr.write(chunk);
      }
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs ?? 10 * 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`Could not run ${file}: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve({ stdout, stderr });
        return;
      }
      const command = [file, ...args].join(' ');
      const output = tail(`${stdout}\n${stderr}`);
      reject(
        new CommandError(
          `\`${command}\` in ${options.cwd} ${signal ? `was killed (${signal})` : `exited with ${code}`}:\n${output}`,
          { stdout, stderr, code, signal },
        ),
      );
    });
  });

/**
 * How to start pnpm: the pnpm that runs us when we run under it (`npm_execpath`), else the one on
 * PATH. Returns the file and the arguments that come before pnpm's own.
 */
export const pnpmCommand = (): { file: string; prefix: string[] } => {
  const execPath = process.env.npm_execpath;
  return execPath && /pnpm/.test(path.basename(execPath)) && /\.c?js$/.test(execPath)
    ? { file: process.execPath, prefix: [execPath] }
    : { file: 'pnpm', prefix: [] };
};

/** Runs pnpm with `args`. */
export const runPnpm = (args: readonly string[], options: RunOptions) => {
  const { file, prefix } = pnpmCommand();
  return run(file, [...prefix, ...args], options);
};

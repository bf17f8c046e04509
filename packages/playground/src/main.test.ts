import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `pnpm start` (what `pnpm playground` runs) as a user runs it in a terminal: its own process
 * group, and Ctrl+C as the terminal sends it, a SIGINT to the whole group.
 */

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));

let blocker: Server;
let blockedPort: number;
let stateDirectory: string;

beforeAll(async () => {
  blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  blockedPort = (blocker.address() as { port: number }).port;
  stateDirectory = await mkdtemp(join(tmpdir(), 'playground-main-'));
});

afterAll(async () => {
  await new Promise((resolve) => blocker.close(resolve));
  await rm(stateDirectory, { recursive: true, force: true });
});

/** Resolves with the output once `text` appears in it; rejects if the process ends first. */
const outputUntil = (child: ChildProcess, text: string, output: { text: string }) =>
  new Promise<string>((resolve, reject) => {
    const check = () => {
      if (output.text.includes(text)) {
        resolve(output.text);
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', () => reject(new Error(`exited before printing ${text}:\n${output.text}`)));
  });

describe('pnpm playground in a terminal', () => {
  it('says the port is taken and falls back to a free one, then exits 0 on Ctrl+C with no pnpm error', async () => {
    const child = spawn('pnpm', ['start', '--', '--port', String(blockedPort)], {
      cwd: packageDirectory,
      detached: true,
      env: { ...process.env, PLAYGROUND_LAST_RUN_FILE: join(stateDirectory, 'last-run.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = { text: '' };
    child.stdout.on('data', (chunk: Buffer) => {
      output.text += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output.text += chunk.toString('utf8');
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      const started = await outputUntil(child, 'Ctrl+C to stop.', output);
      expect(started).toContain(
        `Port ${blockedPort} is in use (another playground?), so this one listens on a free port instead.`,
      );
      const url = /idplug playground: (http:\/\/127\.0\.0\.1:\d+)/.exec(started)?.[1];
      expect(url).toBeDefined();
      expect(url).not.toBe(`http://127.0.0.1:${blockedPort}`);
      expect((await fetch(`${url}/health`)).status).toBe(200);
    } finally {
      // Ctrl+C: the terminal signals the whole foreground process group.
      process.kill(-child.pid!, 'SIGINT');
    }
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(output.text).toContain('Stopping the playground…');
    expect(output.text).not.toMatch(/ERR_PNPM|ELIFECYCLE|Error:/);
  });

  it('takes --compare from the repository root (`pnpm playground --compare`) and says what it compares', async () => {
    const child = spawn('pnpm', ['playground', '--compare', '--port', '0'], {
      cwd: join(packageDirectory, '..', '..'),
      detached: true,
      env: { ...process.env, PLAYGROUND_LAST_RUN_FILE: join(stateDirectory, 'last-run.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = { text: '' };
    const append = (chunk: Buffer) => {
      output.text += chunk.toString('utf8');
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const started = await outputUntil(child, 'Ctrl+C to stop.', output);
      expect(started).toContain('compare mode: each test email/SMS also goes through the official');
      const url = /idplug playground: (http:\/\/127\.0\.0\.1:\d+)/.exec(started)?.[1];
      const page = await (await fetch(`${url}/connectors/twilio-sms`)).text();
      expect(page).toContain('data-testid="compare-note" data-compared="true"');
    } finally {
      process.kill(-child.pid!, 'SIGINT');
    }
    expect(await exited).toBe(0);
  });
});

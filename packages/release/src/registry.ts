import { type ChildProcess, fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A Verdaccio registry on loopback, with a user whose token can publish `scope` packages. */
export type LocalRegistry = {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  port: number;
  /** A token for `//127.0.0.1:<port>/:_authToken`. */
  token: string;
  /** Stops the registry process; resolves once it has exited. Safe to call twice. */
  stop: () => Promise<void>;
};

export type LocalRegistryOptions = {
  /** Where its configuration, users file and package storage go. */
  directory: string;
  /** The scope published to it, e.g. `@idplug`: served from its storage only, never proxied. */
  scope: string;
  /**
   * Where every other package is read from (a read-only proxy, for installs that need one).
   * Nothing but `scope` can be published to this registry.
   */
  uplink?: string;
  /** Give up after this long. Default: 30 s. */
  startTimeoutMs?: number;
};

const serverScript = fileURLToPath(new URL('./verdaccio-server.mjs', import.meta.url));

/** Verdaccio 5's configuration, as its `config.yaml` would say it. */
export const verdaccioConfig = ({ directory, scope, uplink }: LocalRegistryOptions) => ({
  self_path: path.join(directory, 'config.yaml'),
  storage: path.join(directory, 'storage'),
  auth: { htpasswd: { file: path.join(directory, 'htpasswd'), max_users: 1 } },
  uplinks: uplink ? { upstream: { url: uplink, timeout: '60s', max_fails: 5 } } : {},
  packages: {
    [`${scope}/*`]: {
      access: '$all',
      publish: '$authenticated',
      unpublish: '$authenticated',
    },
    '**': {
      access: '$all',
      // A group nobody belongs to: the rehearsal publishes nothing outside its scope.
      publish: 'nobody-publishes-here',
      unpublish: 'nobody-publishes-here',
      ...(uplink ? { proxy: 'upstream' } : {}),
    },
  },
  web: { enable: false },
  logs: { type: 'stdout', format: 'pretty', level: 'error' },
  max_body_size: '50mb',
  publish: { allow_offline: true },
});

const waitForPort = (child: ChildProcess, timeoutMs: number) =>
  new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Verdaccio did not start within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.once('message', (message: unknown) => {
      clearTimeout(timer);
      const port =
        typeof message === 'object' && message !== null && 'port' in message
          ? message.port
          : undefined;
      if (typeof port === 'number') {
        resolve(port);
      } else {
        reject(new Error(`Verdaccio reported no port: ${JSON.stringify(message)}`));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Verdaccio exited while starting (${signal ?? `code ${code}`})`));
    });
  });

/** Creates a user through the registry's own API (`npm adduser` does the same) and returns its token. */
const createUser = async (url: string): Promise<string> => {
  const name = 'rehearsal';
  const response = await fetch(new URL(`-/user/org.couchdb.user:${name}`, url), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: 'rehearsal-password', type: 'user', roles: [] }),
  });
  const body: unknown = await response.json().catch(() => undefined);
  const token =
    typeof body === 'object' && body !== null && 'token' in body ? body.token : undefined;
  if (!response.ok || typeof token !== 'string') {
    throw new Error(
      `Verdaccio refused to create a user: ${response.status} ${JSON.stringify(body)}`,
    );
  }
  return token;
};

/** Starts Verdaccio on 127.0.0.1 on a free port, in a child process. */
export const startLocalRegistry = async (options: LocalRegistryOptions): Promise<LocalRegistry> => {
  await mkdir(path.join(options.directory, 'storage'), { recursive: true });
  const configFile = path.join(options.directory, 'config.json');
  await writeFile(configFile, JSON.stringify(verdaccioConfig(options), null, 2));

  const child = fork(serverScript, [configFile], {
    cwd: options.directory,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // The server is plain JavaScript: no loader of ours is needed (or wanted) in it.
    execArgv: [],
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
    } else {
      child.once('exit', () => resolve());
    }
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
  };

  try {
    const port = await waitForPort(child, options.startTimeoutMs ?? 30_000);
    const url = `http://127.0.0.1:${port}/`;
    return { url, port, token: await createUser(url), stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

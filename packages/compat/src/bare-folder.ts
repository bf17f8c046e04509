import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, realpath, rename, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { extract } from 'tar';
import {
  type ConnectorLoadReport,
  type ConnectorPackage,
  checkPackedConnectorsLoad,
  type LogtoCli,
  type LogtoCliName,
  resolveLogtoCli,
} from './logto-loader';
import { readPackageManifest } from './package-manifest';

const execFileAsync = promisify(execFile);

/** A connector package of this repository: `packages/connector-<name>`. */
export type WorkspaceConnector = {
  /** The npm name from its package.json, e.g. `@idplug/connector-github`. */
  name: string;
  /** Its folder, e.g. `<repo>/packages/connector-github`. */
  directory: string;
};

/** The repository root: the nearest folder above `from` holding `pnpm-workspace.yaml`. */
export const findRepositoryRoot = (from = path.dirname(fileURLToPath(import.meta.url))): string => {
  for (let directory = from; ; directory = path.dirname(directory)) {
    if (existsSync(path.join(directory, 'pnpm-workspace.yaml'))) {
      return directory;
    }
    if (path.dirname(directory) === directory) {
      throw new Error(`No pnpm-workspace.yaml above ${from}`);
    }
  }
};

/**
 * Every `packages/connector-*` folder with a package.json, sorted by folder. No hand-kept list: a
 * new connector folder is picked up as soon as it exists.
 */
export const discoverConnectorPackages = async (
  repositoryRoot = findRepositoryRoot(),
): Promise<WorkspaceConnector[]> => {
  const packagesDirectory = path.join(repositoryRoot, 'packages');
  const entries = await readdir(packagesDirectory, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && entry.name.startsWith('connector-'))
    .map((entry) => path.join(packagesDirectory, entry.name))
    .filter((directory) => existsSync(path.join(directory, 'package.json')))
    .sort()
    .map((directory) => ({ name: readPackageManifest(directory).name, directory }));
};

const pnpmCommand = (): { file: string; prefix: string[] } => {
  // Under `pnpm test` this is the pnpm that runs us; otherwise the one on PATH.
  const execPath = process.env.npm_execpath;
  return execPath && /pnpm/.test(path.basename(execPath)) && execPath.endsWith('js')
    ? { file: process.execPath, prefix: [execPath] }
    : { file: 'pnpm', prefix: [] };
};

/**
 * `pnpm pack`s a built package into `destination` and returns the tarball's path. Fails, naming the
 * package, when `lib/index.js` is missing: packing it would ship a connector Logto cannot load.
 */
export const packConnector = async (
  { name, directory }: WorkspaceConnector,
  destination: string,
): Promise<string> => {
  if (!existsSync(path.join(directory, 'lib/index.js'))) {
    throw new Error(
      `${name} is not built: ${path.join(directory, 'lib/index.js')} is missing. ` +
        `Build it first (\`pnpm turbo run build --filter=${name}\`; the root \`pnpm test\` builds before testing).`,
    );
  }
  const { file, prefix } = pnpmCommand();
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(
      file,
      [...prefix, 'pack', '--pack-destination', destination, '--json'],
      { cwd: directory, maxBuffer: 16 * 1024 * 1024 },
    ));
  } catch (error) {
    throw new Error(`pnpm pack failed for ${name} in ${directory}`, { cause: error });
  }
  // Lifecycle scripts may print before the JSON.
  const json = stdout.slice(stdout.indexOf('{'));
  const result: unknown = JSON.parse(json);
  if (
    typeof result !== 'object' ||
    result === null ||
    !('filename' in result) ||
    typeof result.filename !== 'string'
  ) {
    throw new Error(`pnpm pack for ${name} printed no tarball filename:\n${stdout}`);
  }
  return path.resolve(directory, result.filename);
};

/** Packs every workspace connector into `destination`; returns the tarballs in discovery order. */
export const packWorkspaceConnectors = async (
  destination: string,
  repositoryRoot = findRepositoryRoot(),
): Promise<{ connector: WorkspaceConnector; tarball: string }[]> => {
  const connectors = await discoverConnectorPackages(repositoryRoot);
  return Promise.all(
    connectors.map(async (connector) => ({
      connector,
      tarball: await packConnector(connector, destination),
    })),
  );
};

/** A folder laid out as `logto connector add` leaves a Logto install, minus Logto itself. */
export type BareFolder = {
  cli: LogtoCli;
  /** `<tmp>`: holds `node_modules/@logto/connector-kit` and `connectors/`. */
  root: string;
  /** `<tmp>/connectors`: one extracted package per folder, named after its unscoped npm name. */
  connectorsDirectory: string;
  /** Extracts a tarball's `package/` into `connectors/<unscoped-name>/`, as Logto's CLI does. */
  addTarball: (tarball: string) => Promise<ConnectorPackage>;
  /** Runs the CLI's real loader on the given packages (default: every one added). */
  load: (packages?: readonly ConnectorPackage[]) => Promise<ConnectorLoadReport>;
  /** Removes the folder. */
  dispose: () => Promise<void>;
};

const unscopedName = (name: string) => name.slice(name.lastIndexOf('/') + 1);

/** Throws if Node could resolve packages from a `node_modules` above `directory`. */
const assertNoNodeModulesAbove = (directory: string) => {
  for (let parent = path.dirname(directory); ; parent = path.dirname(parent)) {
    if (existsSync(path.join(parent, 'node_modules'))) {
      throw new Error(
        `${path.join(parent, 'node_modules')} exists, so a folder under ${parent} is not bare: a connector could import packages from it. Point TMPDIR elsewhere.`,
      );
    }
    if (path.dirname(parent) === parent) {
      return;
    }
  }
};

/**
 * Creates a temporary bare folder for the chosen CLI: `node_modules/@logto/connector-kit` is a
 * symlink to the real connector-kit that CLI resolves (Node follows it to the real path, so the kit
 * finds its own dependencies and connectors share the CLI's module instance, `instanceof
 * ConnectorError` included), and nothing else is installed, exactly what an extracted connector can
 * rely on in Logto.
 */
export const createBareFolder = async (cliName: LogtoCliName): Promise<BareFolder> => {
  const cli = resolveLogtoCli(cliName);
  const temporaryDirectory = await mkdtemp(path.join(os.tmpdir(), `idplug-compat-${cliName}-`));
  // Node looks for `node_modules` above a module's real path (macOS: /var -> /private/var).
  const root = await realpath(temporaryDirectory);
  try {
    assertNoNodeModulesAbove(root);
    const scopeDirectory = path.join(root, 'node_modules', '@logto');
    await mkdir(scopeDirectory, { recursive: true });
    await symlink(cli.connectorKitDirectory, path.join(scopeDirectory, 'connector-kit'), 'dir');
    const connectorsDirectory = path.join(root, 'connectors');
    await mkdir(connectorsDirectory);

    const added: ConnectorPackage[] = [];
    let extractions = 0;
    const addTarball = async (tarball: string): Promise<ConnectorPackage> => {
      extractions += 1;
      const staging = path.join(root, `.extracting-${extractions}`);
      await mkdir(staging);
      // Same call as `logto connector add` (@logto/cli lib/commands/connector/utils.js).
      await extract({ cwd: staging, file: tarball, strip: 1 });
      const { name } = readPackageManifest(staging);
      const packagePath = path.join(connectorsDirectory, unscopedName(name));
      if (existsSync(packagePath)) {
        throw new Error(
          `${tarball}: ${packagePath} is taken already (two packages named ${unscopedName(name)}?)`,
        );
      }
      await rename(staging, packagePath);
      const connectorPackage = { name, path: packagePath };
      added.push(connectorPackage);
      return connectorPackage;
    };

    return {
      cli,
      root,
      connectorsDirectory,
      addTarball,
      load: (packages = added) => checkPackedConnectorsLoad(packages, cliName),
      dispose: () => rm(root, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
};

/**
 * For the release rehearsal: extracts tarballs (e.g. fetched from a registry) into a fresh bare
 * folder, loads them all with the chosen CLI's loader, removes the folder, and returns the report.
 * Use `assertEveryConnectorLoaded(report)` to fail with the loader's reasons.
 */
export const loadTarballsInBareFolder = async (
  tarballs: readonly string[],
  cliName: LogtoCliName,
): Promise<ConnectorLoadReport> => {
  const folder = await createBareFolder(cliName);
  try {
    for (const tarball of tarballs) {
      await folder.addTarball(tarball);
    }
    return await folder.load();
  } finally {
    await folder.dispose();
  }
};

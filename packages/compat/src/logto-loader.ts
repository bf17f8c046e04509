import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { format, stripVTControlCharacters } from 'node:util';
import type * as ConnectorKit from '@logto/connector-kit';
import { readPackageManifest } from './package-manifest';

/**
 * The Logto CLIs this repository loads connectors with, as npm aliases in our devDependencies:
 * `logto-cli` is `@logto/cli@1.43.0` (connector-kit 5.1), `logto-cli-kit4` is `@logto/cli@1.37.1`
 * (connector-kit 4.7). Our connectors declare `"@logto/connector-kit": "^4.7.0 || ^5.0.0"`.
 */
export const logtoCliNames = ['logto-cli', 'logto-cli-kit4'] as const;
export type LogtoCliName = (typeof logtoCliNames)[number];

export type LogtoCli = {
  /** The alias it is installed under. */
  name: LogtoCliName;
  /** The `@logto/cli` version. */
  version: string;
  /** Real path of the installed `@logto/cli`. */
  directory: string;
  /** Real path of the `@logto/connector-kit` the CLI itself resolves: the one connectors must get. */
  connectorKitDirectory: string;
  connectorKitVersion: string;
};

/** What `loadConnectorFactories` is given: a package name and the absolute folder it sits in. */
export type ConnectorPackage = {
  name: string;
  path: string;
};

/**
 * A connector factory as the loader returns it. `metadata` has been through the loader's
 * `parseMetadata` (logo, readme and config template read from the package folder) but nobody has
 * validated it: check it with `connectorMetadataGuard`.
 */
export type LoadedConnector = {
  name: string;
  path: string;
  type: unknown;
  metadata: Record<string, unknown>;
  configGuard: unknown;
  createConnector: (options: { getConfig: (id: string) => Promise<unknown> }) => Promise<unknown>;
};

export type SkippedConnector = ConnectorPackage & {
  /** The loader's own reason, from its `[load-connector] skip <name> due to error: ...` log line. */
  reason: string;
};

export type ConnectorLoadReport = {
  cli: LogtoCli;
  loaded: LoadedConnector[];
  skipped: SkippedConnector[];
  /** Everything printed to the console while the loader ran, colours removed. */
  logs: string[];
};

const requireHere = createRequire(import.meta.url);

export const resolveLogtoCli = (name: LogtoCliName): LogtoCli => {
  const cliManifestPath = realpathSync(requireHere.resolve(`${name}/package.json`));
  const directory = path.dirname(cliManifestPath);
  // Resolved from the CLI's own location, so it is the copy the CLI's `instanceof ConnectorError`
  // and its version check use, whatever the node_modules layout.
  const connectorKitDirectory = path.dirname(
    realpathSync(createRequire(cliManifestPath).resolve('@logto/connector-kit/package.json')),
  );
  return {
    name,
    version: readPackageManifest(directory).version,
    directory,
    connectorKitDirectory,
    connectorKitVersion: readPackageManifest(connectorKitDirectory).version,
  };
};

/**
 * The CLI's own `@logto/connector-kit` module instance (the one loaded connectors see). Typed with
 * the connector-kit 5 declarations of our devDependencies; the parts used here (`ConnectorType`,
 * `ConnectorError`, `connectorMetadataGuard`) have the same shape in 4.7.
 */
export const importConnectorKitOf = async (cli: LogtoCli): Promise<typeof ConnectorKit> =>
  import(pathToFileURL(path.join(cli.connectorKitDirectory, 'lib/index.js')).href);

type LoadConnectorFactories = (
  connectorPackages: ConnectorPackage[],
  ignoreVersionMismatch: boolean,
) => Promise<unknown[]>;

let loaderInstances = 0;

/**
 * A fresh instance of the CLI's real `loadConnectorFactories`.
 *
 * The loader keeps its first result in a module-level variable (`cachedConnectorFactories` in
 * `lib/connector/factories.js`) and returns it on every later call, whatever it is given. A query
 * string makes Node evaluate `factories.js` again as a new module with an empty cache. It is the
 * module `lib/connector/index.js` re-exports (`export * from './factories.js'`); a query on
 * `index.js` would not help, it would re-export the one cached `factories.js`. The other modules
 * (`loader.js`, `utils.js`, connector-kit) stay shared, as in Logto.
 *
 * The CLI declares `engines.node: ^22.14.0`; its connector modules run on Node 20.19+ as they are
 * (JSON import attributes `with { type: 'json' }` exist since Node 20.10).
 */
const importFreshLoader = async (cli: LogtoCli): Promise<LoadConnectorFactories> => {
  loaderInstances += 1;
  const url = pathToFileURL(path.join(cli.directory, 'lib/connector/factories.js'));
  url.searchParams.set('idplug-compat-instance', String(loaderInstances));
  const loaderModule: { loadConnectorFactories?: unknown } = await import(url.href);
  if (typeof loaderModule.loadConnectorFactories !== 'function') {
    throw new TypeError(
      `${cli.name} (@logto/cli@${cli.version}) no longer exports loadConnectorFactories from lib/connector/factories.js`,
    );
  }
  return loaderModule.loadConnectorFactories as LoadConnectorFactories;
};

const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;
let consoleTurn: Promise<void> = Promise.resolve();

/**
 * Runs `run` with the console captured. The loader reports why it skips a connector only through
 * `console.error`, so that is where the reasons come from. Runs one at a time: the console is global.
 */
const withCapturedConsole = async <T>(
  run: () => Promise<T>,
): Promise<{ result: T; logs: string[] }> => {
  const previousTurn = consoleTurn;
  let endTurn = () => {};
  consoleTurn = new Promise((resolve) => {
    endTurn = resolve;
  });
  await previousTurn;
  const originals = consoleMethods.map((method) => [method, console[method]] as const);
  const logs: string[] = [];
  for (const method of consoleMethods) {
    console[method] = (...args: unknown[]) => {
      logs.push(stripVTControlCharacters(format(...args)));
    };
  }
  try {
    return { result: await run(), logs };
  } finally {
    for (const [method, original] of originals) {
      console[method] = original;
    }
    endTurn();
  }
};

const skipLinePattern = /\[load-connector\] skip (.+?) due to error: ([\s\S]*)$/;

const isLoadedFactory = (
  value: unknown,
): value is Omit<LoadedConnector, 'name'> & Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  'path' in value &&
  typeof value.path === 'string' &&
  'createConnector' in value &&
  typeof value.createConnector === 'function' &&
  'metadata' in value &&
  typeof value.metadata === 'object' &&
  value.metadata !== null;

/**
 * Loads connector package folders with the chosen Logto CLI's real `loadConnectorFactories`, as
 * Logto core does at start-up, and reports which loaded and why the others were skipped (the
 * loader itself only logs and drops them).
 *
 * Each folder must be an extracted package (`package.json`, `lib/index.js`, assets) inside a folder
 * that Node resolves `@logto/connector-kit` from to `cli.connectorKitDirectory` and nothing else
 * from: see `createBareFolder`, which builds one. The version check is strict, as in Logto's
 * default (`ignoreVersionMismatch: false`).
 */
export const checkPackedConnectorsLoad = async (
  packages: readonly ConnectorPackage[],
  cliName: LogtoCliName,
  { ignoreVersionMismatch = false }: { ignoreVersionMismatch?: boolean } = {},
): Promise<ConnectorLoadReport> => {
  const cli = resolveLogtoCli(cliName);
  // The loader imports `path.join(packagePath, ...)`: a relative path would be a bare specifier.
  const connectorPackages = packages.map(({ name, path: packagePath }) => ({
    name,
    path: path.resolve(packagePath),
  }));
  const names = connectorPackages.map(({ name }) => name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) {
    throw new Error(`Connector package ${duplicate} is listed twice`);
  }

  const loadConnectorFactories = await importFreshLoader(cli);
  const { result: factories, logs } = await withCapturedConsole(() =>
    loadConnectorFactories(connectorPackages, ignoreVersionMismatch),
  );

  const loaded: LoadedConnector[] = [];
  for (const factory of factories) {
    if (!isLoadedFactory(factory)) {
      throw new TypeError(
        `${cli.name}'s loader returned an unexpected factory: ${format(factory)}`,
      );
    }
    const connectorPackage = connectorPackages.find(
      ({ path: packagePath }) => packagePath === factory.path,
    );
    if (!connectorPackage) {
      throw new Error(
        `${cli.name}'s loader returned a factory for ${factory.path}, which it was not given`,
      );
    }
    loaded.push({
      name: connectorPackage.name,
      path: factory.path,
      type: factory.type,
      metadata: factory.metadata,
      configGuard: factory.configGuard,
      createConnector: factory.createConnector,
    });
  }

  const skipReasons = new Map<string, string>();
  for (const line of logs) {
    const match = skipLinePattern.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) {
      skipReasons.set(match[1], match[2]);
    }
  }
  const skipped = connectorPackages
    .filter(({ path: packagePath }) => !loaded.some((factory) => factory.path === packagePath))
    .map((connectorPackage) => ({
      ...connectorPackage,
      reason:
        skipReasons.get(connectorPackage.name) ?? 'not loaded, and the loader logged no reason',
    }));

  return { cli, loaded, skipped, logs };
};

/** One line per skipped connector: `<name> (<cli>): <loader's reason>`. */
export const describeSkippedConnectors = ({ cli, skipped }: ConnectorLoadReport): string =>
  skipped
    .map(
      ({ name, reason }) =>
        `${name} (@logto/cli@${cli.version}, connector-kit ${cli.connectorKitVersion}): ${reason}`,
    )
    .join('\n');

/** Throws, listing the loader's reasons, unless every connector of the report loaded. */
export const assertEveryConnectorLoaded = (report: ConnectorLoadReport): void => {
  if (report.skipped.length > 0) {
    throw new Error(
      `Logto's loader skipped ${report.skipped.length} of ${report.skipped.length + report.loaded.length} connector(s):\n${describeSkippedConnectors(report)}`,
    );
  }
};

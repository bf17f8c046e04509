import { mkdir } from 'node:fs/promises';
import path from 'node:path';
// The operator's side reuses the compatibility harness: Logto's real `loadConnectorFactories`
// (@logto/cli 1.43 with connector-kit 5.1, and 1.37 with 4.7) on a bare folder.
import {
  assertEveryConnectorLoaded,
  discoverConnectorPackages,
  importConnectorKitOf,
  loadTarballsInBareFolder,
  logtoCliNames,
} from '@idplug/compat';
import { run } from './command';
import { checkTarball, describeChecks, type TarballCheck } from './publish-checks';
import { type RehearsalContext, RehearsalFailure, required } from './rehearsal-context';
import { publicPackagesAfter } from './rehearsal-publish';
import type { Step } from './rehearsal-runner';

/** What an operator gets from the registry: tarballs that lint clean and that Logto loads. */

const connectorPrefix = '@idplug/connector-';

export const npmPackStep: Step<RehearsalContext> = {
  name: 'npm pack',
  title: 'As an operator: npm pack every public package back from the registry',
  run: async (context) => {
    const { workDirectory, check } = context;
    const registryUrl = required(context.registry, 'the registry').url;
    const environment = required(context.environment, 'the registry environment');
    const publicAfter = publicPackagesAfter(context);
    const operatorDirectory = path.join(workDirectory, 'operator');
    await mkdir(operatorDirectory);
    const tarballs = new Map<string, string>();
    for (const pkg of publicAfter) {
      const { stdout } = await run(
        'npm',
        [
          'pack',
          `${pkg.name}@${pkg.version}`,
          '--registry',
          registryUrl,
          '--pack-destination',
          operatorDirectory,
          '--json',
        ],
        { cwd: operatorDirectory, env: environment },
      );
      const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string }[];
      if (!packed) {
        throw new RehearsalFailure(`npm pack ${pkg.name}@${pkg.version} printed no tarball`);
      }
      tarballs.set(pkg.name, path.join(operatorDirectory, packed.filename));
    }
    context.tarballs = tarballs;
    check(
      tarballs.size === publicAfter.length,
      `${tarballs.size} tarballs fetched from the registry`,
    );
  },
};

export const tarballChecksStep: Step<RehearsalContext> = {
  name: 'publint+attw',
  title: 'publint on every tarball, attw on the libraries',
  run: async (context) => {
    const { log, check } = context;
    const checks: TarballCheck[] = [];
    for (const tarball of required(context.tarballs, 'the tarballs').values()) {
      checks.push(await checkTarball(tarball));
    }
    context.checks = checks;
    const report = describeChecks(checks);
    if (report) {
      log(report);
    }
    for (const result of checks) {
      check(
        result.problems.length === 0,
        `${result.name}: publint${result.typesChecked ? ' and attw' : ''} find no problem in the published tarball`,
        result.problems.join('\n'),
      );
    }
  },
};

export const logtoLoaderStep: Step<RehearsalContext> = {
  name: 'Logto loader',
  title: "Loading the connectors with Logto's own loader in a bare folder",
  run: async (context) => {
    const { copy, check } = context;
    const tarballs = required(context.tarballs, 'the tarballs');
    const connectorTarballs = [...tarballs]
      .filter(([name]) => name.startsWith(connectorPrefix))
      .map(([, tarball]) => tarball);
    // Every connector folder of the repository, found as packages/compat finds them, was released.
    const connectorFolders = (await discoverConnectorPackages(copy)).map(({ name }) => name);
    const unreleased = connectorFolders.filter((name) => !tarballs.has(name));
    check(
      unreleased.length === 0 && connectorFolders.length === connectorTarballs.length,
      `every connector folder was published: ${connectorFolders.length} (${connectorFolders.map((name) => name.slice(connectorPrefix.length)).join(', ')})`,
      `not published: ${unreleased.join(', ')}`,
    );
    const connectorsLoaded: NonNullable<RehearsalContext['connectorsLoaded']> = [];
    for (const cliName of logtoCliNames) {
      const loaded = await loadTarballsInBareFolder(connectorTarballs, cliName);
      assertEveryConnectorLoaded(loaded);
      const { connectorMetadataGuard } = await importConnectorKitOf(loaded.cli);
      const invalid = loaded.loaded.filter(
        ({ metadata }) => !connectorMetadataGuard.safeParse(metadata).success,
      );
      check(
        loaded.loaded.length === connectorTarballs.length && invalid.length === 0,
        `@logto/cli ${loaded.cli.version} (connector-kit ${loaded.cli.connectorKitVersion}) loads ${loaded.loaded.length}/${connectorTarballs.length} connectors, metadata valid`,
        invalid.map(({ name }) => name).join(', '),
      );
      connectorsLoaded.push({
        cli: loaded.cli.version,
        connectorKit: loaded.cli.connectorKitVersion,
        loaded: loaded.loaded.length,
      });
    }
    context.connectorsLoaded = connectorsLoaded;
  },
};

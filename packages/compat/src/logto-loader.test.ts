import { lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as ConnectorKit from '@logto/connector-kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type BareFolder,
  createBareFolder,
  discoverConnectorPackages,
  findRepositoryRoot,
  packConnector,
  type WorkspaceConnector,
} from './bare-folder';
import {
  fixtureLogo,
  writeKitOnlyConnector,
  writeZodImportingConnector,
} from './fixture-connectors';
import {
  type ConnectorLoadReport,
  describeSkippedConnectors,
  importConnectorKitOf,
  type LoadedConnector,
  type LogtoCliName,
  logtoCliNames,
  resolveLogtoCli,
} from './logto-loader';
import { readPackageManifest } from './package-manifest';

const connectorKitMajorOf: Record<LogtoCliName, number> = { 'logto-cli': 5, 'logto-cli-kit4': 4 };

const temporaryDirectories: string[] = [];
const makeTemporaryDirectory = async (label: string) => {
  const directory = await mkdtemp(path.join(os.tmpdir(), `idplug-compat-${label}-`));
  temporaryDirectories.push(directory);
  return directory;
};
afterAll(async () => {
  await Promise.all(
    temporaryDirectories.map((directory) => rm(directory, { recursive: true, force: true })),
  );
});

// Packed once per run and shared by both CLIs.
const packOnce = <T>(pack: () => Promise<T>) => {
  let packed: Promise<T> | undefined;
  return () => {
    packed ??= pack();
    return packed;
  };
};
const packFixtures = packOnce(async () => {
  const sources = await makeTemporaryDirectory('fixture-sources');
  const tarballs = await makeTemporaryDirectory('fixture-tarballs');
  return {
    kitOnly: await packConnector(await writeKitOnlyConnector(sources), tarballs),
    zodImporting: await packConnector(await writeZodImportingConnector(sources), tarballs),
  };
});
const packWorkspace = packOnce(async () => {
  const connectors = await discoverConnectorPackages();
  const tarballs = await makeTemporaryDirectory('connector-tarballs');
  // One at a time: a missing build then fails with that connector's name, not a race of errors.
  const packed: { connector: WorkspaceConnector; tarball: string }[] = [];
  for (const connector of connectors) {
    packed.push({ connector, tarball: await packConnector(connector, tarballs) });
  }
  return packed;
});

/** Every loaded connector is what Logto needs to list, show and instantiate it. */
const expectUsableByLogto = async (loaded: LoadedConnector, kit: typeof ConnectorKit) => {
  const parsed = kit.connectorMetadataGuard.safeParse(loaded.metadata);
  expect(
    parsed.error?.issues ?? [],
    `${loaded.name}: metadata against connectorMetadataGuard`,
  ).toEqual([]);
  expect(Object.values(kit.ConnectorType), `${loaded.name}: type`).toContain(loaded.type);

  // The loader turns `./logo.svg` into a data URL only when the file shipped.
  const logoFile = readFileSync(path.join(loaded.path, 'logo.svg'));
  expect(loaded.metadata.logo, `${loaded.name}: logo`).toBe(
    `data:image/svg+xml;base64,${logoFile.toString('base64')}`,
  );
  const { logoDark } = loaded.metadata;
  if (logoDark !== null) {
    expect(logoDark, `${loaded.name}: logoDark shipped`).toMatch(/^data:image\/svg\+xml;base64,/);
  }
  // ...and `./README.md` into its text.
  expect(loaded.metadata.readme, `${loaded.name}: readme`).toBe(
    readFileSync(path.join(loaded.path, 'README.md'), 'utf8'),
  );
  const { configTemplate } = loaded.metadata;
  if (configTemplate !== undefined) {
    expect(
      () => JSON.parse(String(configTemplate)),
      `${loaded.name}: configTemplate shipped`,
    ).not.toThrow();
  }

  // Logto calls this for every request, with a getConfig that may fail; creating must not need it.
  const connector = await loaded.createConnector({
    getConfig: async () => {
      throw new kit.ConnectorError(kit.ConnectorErrorCodes.NotImplemented);
    },
  });
  expect(connector, `${loaded.name}: createConnector`).toMatchObject({
    type: loaded.type,
    metadata: expect.objectContaining({ id: parsed.data?.id }),
  });
  return connector;
};

const expectEveryConnectorLoaded = (report: ConnectorLoadReport, expectedCount: number) => {
  // The loader only logs what it skips; its reasons are the failure message.
  expect(report.skipped, describeSkippedConnectors(report)).toEqual([]);
  expect(report.loaded).toHaveLength(expectedCount);
};

describe('connector discovery', () => {
  test('finds every packages/connector-* folder, named @idplug/<folder>', async () => {
    const packagesDirectory = path.join(findRepositoryRoot(), 'packages');
    const folders = readdirSync(packagesDirectory).filter((name) => name.startsWith('connector-'));
    const connectors = await discoverConnectorPackages();

    expect(connectors.map(({ directory }) => path.basename(directory))).toEqual(folders.sort());
    expect(connectors.map(({ name }) => name)).toContain('@idplug/connector-github');
    for (const { name, directory } of connectors) {
      expect(name).toBe(`@idplug/${path.basename(directory)}`);
    }
  });

  test('lists every connector as a workspace devDependency, so turbo builds it before this test', async () => {
    const { devDependencies } = readPackageManifest(
      path.join(findRepositoryRoot(), 'packages/compat'),
    );
    for (const { name } of await discoverConnectorPackages()) {
      expect(devDependencies[name], `${name} in packages/compat devDependencies`).toBe(
        'workspace:*',
      );
    }
  });

  test('refuses to pack a connector that is not built, naming it', async () => {
    const directory = await makeTemporaryDirectory('unbuilt');
    await expect(
      packConnector({ name: '@idplug/connector-unbuilt', directory }, directory),
    ).rejects.toThrow(/@idplug\/connector-unbuilt is not built: .*lib\/index\.js is missing/);
  });
});

describe.each(logtoCliNames)("Logto's loader from %s", (cliName) => {
  const cli = resolveLogtoCli(cliName);
  let kit: typeof ConnectorKit;
  const folders: BareFolder[] = [];
  const newBareFolder = async () => {
    const folder = await createBareFolder(cliName);
    folders.push(folder);
    return folder;
  };

  beforeAll(async () => {
    kit = await importConnectorKitOf(cli);
  });
  afterAll(async () => {
    await Promise.all(folders.map((folder) => folder.dispose()));
  });

  test(`brings connector-kit ${connectorKitMajorOf[cliName]}`, () => {
    expect(Number(cli.connectorKitVersion.split('.')[0])).toBe(connectorKitMajorOf[cliName]);
  });

  test('has loadConnectorFactories in the module lib/connector/index.js re-exports', async () => {
    // We import factories.js itself (with a query, for a fresh cache): check it is the same function.
    const moduleUrl = (file: string) =>
      pathToFileURL(path.join(cli.directory, 'lib/connector', file)).href;
    const { loadConnectorFactories } = await import(moduleUrl('index.js'));
    expect(typeof loadConnectorFactories).toBe('function');
    expect((await import(moduleUrl('factories.js'))).loadConnectorFactories).toBe(
      loadConnectorFactories,
    );
  });

  test('gets a folder with nothing installed but its own @logto/connector-kit', async () => {
    const folder = await newBareFolder();
    const nodeModules = path.join(folder.root, 'node_modules');
    expect(readdirSync(nodeModules)).toEqual(['@logto']);
    expect(readdirSync(path.join(nodeModules, '@logto'))).toEqual(['connector-kit']);
    const kitLink = path.join(nodeModules, '@logto/connector-kit');
    expect(lstatSync(kitLink).isSymbolicLink()).toBe(true);
    expect(realpathSync(kitLink)).toBe(cli.connectorKitDirectory);
  });

  test('loads a hand-written connector importing only @logto/connector-kit (positive control)', async () => {
    const folder = await newBareFolder();
    const { kitOnly } = await packFixtures();
    const added = await folder.addTarball(kitOnly);
    expect(added).toEqual({
      name: '@idplug-fixture/connector-kit-only',
      path: path.join(folder.connectorsDirectory, 'connector-kit-only'),
    });

    const report = await folder.load();

    expectEveryConnectorLoaded(report, 1);
    const [loaded] = report.loaded;
    expect(loaded?.metadata.logo).toBe(
      `data:image/svg+xml;base64,${Buffer.from(fixtureLogo).toString('base64')}`,
    );
    const connector = await expectUsableByLogto(loaded!, kit);
    // The bundle got the CLI's connector-kit instance: Logto's `instanceof ConnectorError` holds.
    const { getUserInfo } = connector as { getUserInfo: () => Promise<unknown> };
    await expect(getUserInfo()).rejects.toBeInstanceOf(kit.ConnectorError);
  });

  test('skips a connector whose bundle imports a package the folder lacks (negative control)', async () => {
    const folder = await newBareFolder();
    const { zodImporting } = await packFixtures();
    await folder.addTarball(zodImporting);

    const report = await folder.load();

    expect(report.loaded).toEqual([]);
    expect(report.skipped).toEqual([
      expect.objectContaining({
        name: '@idplug-fixture/connector-needs-zod',
        // Node's own resolution error: the folder really is bare.
        reason: expect.stringMatching(
          /Cannot find package 'zod' imported from .*connector-needs-zod/,
        ),
      }),
    ]);
  });

  test('loads every workspace connector from its packed tarball', async () => {
    const packed = await packWorkspace();
    expect(packed.length).toBeGreaterThan(0);
    const folder = await newBareFolder();
    for (const { tarball } of packed) {
      await folder.addTarball(tarball);
    }

    const report = await folder.load();

    expectEveryConnectorLoaded(report, packed.length);
    for (const loaded of report.loaded) {
      await expectUsableByLogto(loaded, kit);
    }
  });
});

import { execFile } from 'node:child_process';
import { cp, lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
// The operator's side reuses the compatibility harness: Logto's real `loadConnectorFactories`
// (@logto/cli 1.43 with connector-kit 5.1, and 1.37 with 4.7) on a bare folder.
import {
  assertEveryConnectorLoaded,
  discoverConnectorPackages,
  importConnectorKitOf,
  loadTarballsInBareFolder,
  logtoCliNames,
} from '../../compat/src/index';
import { bundledLibraries, findBundlingDependents } from './bundled-dependents';
import { run, runPnpm } from './command';
import { checkTarball, describeChecks, type TarballCheck } from './publish-checks';
import { type LocalRegistry, startLocalRegistry } from './registry';
import { listWorkspacePackages, type WorkspacePackage } from './workspace';

/**
 * The release rehearsal: the whole release, from a pending changeset to a connector loaded by
 * Logto, against a throwaway Verdaccio on 127.0.0.1. Nothing is published anywhere else: the copy's
 * registry, its user config and the `npm_config_registry` that `changeset publish` reads all name
 * the local registry, and that is checked before anything is published.
 */

export const githubRepository = 'idplug/idplug';
export const sampleChangesetId = 'release-rehearsal-sample';
export const samplePullRequest = 1;
const connectorPrefix = '@idplug/connector-';

export interface RehearsalOptions {
  /** The repository to rehearse (its working tree, as git sees it: tracked and untracked files). */
  repositoryRoot: string;
  /**
   * What to rehearse: `worktree` (default) copies the working tree as git sees it, tracked and
   * untracked files, so a change can be rehearsed before it is committed; `head` copies the last
   * commit only (`git archive HEAD`), ignoring work in progress. In a fresh clone they are the same.
   */
  source?: 'worktree' | 'head';
  /** Keep the temporary folder (the copy, the registry storage, the tarballs) for a post-mortem. */
  keep?: boolean;
  log?: (line: string) => void;
}

export interface RehearsalResult {
  durationMs: number;
  /** How long each step took, in order. */
  steps: { title: string; durationMs: number }[];
  registryUrl: string;
  /** Every public package, with the version before and after `pnpm version-packages`. */
  packages: { name: string; from: string; to: string }[];
  connectorsLoaded: { cli: string; connectorKit: string; loaded: number }[];
  checks: TarballCheck[];
  /** The assertions that held, in order; the rehearsal throws at the first that does not. */
  passed: string[];
}

const execFileAsync = promisify(execFile);

const git = (cwd: string, args: string[]) => run('git', args, { cwd });

/** Files of the working tree as git sees them: tracked plus untracked, minus ignored. */
const listRepositoryFiles = async (root: string) => {
  const { stdout } = await execFileAsync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return [...new Set(stdout.split('\0').filter(Boolean))];
};

/** Copies the working tree (not node_modules, builds or .git) into `destination`. */
export const copyWorkingTree = async (root: string, destination: string) => {
  let copied = 0;
  for (const file of await listRepositoryFiles(root)) {
    const source = path.join(root, file);
    // A tracked file deleted in the working tree is still listed.
    const stat = await lstat(source).catch(() => undefined);
    if (!stat || stat.isDirectory()) continue;
    await mkdir(path.dirname(path.join(destination, file)), { recursive: true });
    await cp(source, path.join(destination, file), {
      verbatimSymlinks: true,
      preserveTimestamps: true,
    });
    copied += 1;
  }
  return copied;
};

/** Extracts the last commit's tree into `destination`. */
export const copyHead = async (root: string, destination: string) => {
  const archive = `${destination}.tar`;
  await run('git', ['archive', '--format=tar', '-o', archive, 'HEAD'], { cwd: root });
  await mkdir(destination, { recursive: true });
  await run('tar', ['-xf', archive, '-C', destination], { cwd: root });
  await rm(archive);
  const { stdout } = await execFileAsync('git', ['ls-tree', '-r', '--name-only', '-z', 'HEAD'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.split('\0').filter(Boolean).length;
};

const readJson = async <T>(file: string): Promise<T> =>
  JSON.parse(await readFile(file, 'utf8')) as T;

const compareVersions = (a: string, b: string) => {
  const parse = (version: string) => version.split(/[.+-]/).slice(0, 3).map(Number);
  const [x, y] = [parse(a), parse(b)];
  for (let index = 0; index < 3; index += 1) {
    const difference = (x[index] ?? 0) - (y[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
};

class RehearsalFailure extends Error {
  override name = 'RehearsalFailure';
}

export const rehearseRelease = async ({
  repositoryRoot,
  source = 'worktree',
  keep = false,
  log = console.log,
}: RehearsalOptions): Promise<RehearsalResult> => {
  const started = Date.now();
  const passed: string[] = [];
  const check = (condition: unknown, description: string, detail = '') => {
    if (!condition)
      throw new RehearsalFailure(`${description}: FAILED${detail ? `\n${detail}` : ''}`);
    passed.push(description);
    log(`  ✓ ${description}`);
  };
  const steps: { title: string; startedAt: number; durationMs: number }[] = [];
  /** Starts a step; `short` names it in the timings of the summary. */
  const step = (title: string, short = title) => {
    const now = Date.now();
    const previous = steps.at(-1);
    if (previous) previous.durationMs = now - previous.startedAt;
    steps.push({ title: short, startedAt: now, durationMs: 0 });
    log(`▸ ${title} (${Math.round((now - started) / 1000)} s)`);
  };

  const workDirectory = await mkdtemp(path.join(os.tmpdir(), 'idplug-release-rehearsal-'));
  const copy = path.join(workDirectory, 'repo');
  let registry: LocalRegistry | undefined;
  const cleanUp = async () => {
    await registry?.stop();
    registry = undefined;
    if (!keep) await rm(workDirectory, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    log(`release rehearsal: ${signal}, cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    // Everything the commands below run with. No token or provenance setting of the caller's gets
    // through, and no tool phones home (the network is for reading from the npm registry only).
    const baseEnvironment: NodeJS.ProcessEnv = { ...process.env };
    for (const name of Object.keys(baseEnvironment)) {
      if (
        /^(npm_config_|NPM_CONFIG_)|^(NPM_TOKEN|NODE_AUTH_TOKEN|GITHUB_TOKEN|GH_TOKEN|ACTIONS_ID_TOKEN_REQUEST_.*)$/.test(
          name,
        )
      ) {
        delete baseEnvironment[name];
      }
    }
    Object.assign(baseEnvironment, {
      TURBO_TELEMETRY_DISABLED: '1',
      DO_NOT_TRACK: '1',
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
      GIT_TERMINAL_PROMPT: '0',
    });

    step(
      `Copying ${source === 'head' ? 'the last commit' : 'the working tree'} of ${repositoryRoot} to ${copy}`,
      'copy',
    );
    const fileCount = await (source === 'head' ? copyHead : copyWorkingTree)(repositoryRoot, copy);
    await git(copy, ['init', '--quiet', '--initial-branch=main']);
    await git(copy, ['config', 'user.name', 'idplug release rehearsal']);
    await git(copy, ['config', 'user.email', 'release-rehearsal@idplug.invalid']);
    await git(copy, ['config', 'commit.gpgsign', 'false']);
    await git(copy, ['add', '--all']);
    await git(copy, [
      'commit',
      '--quiet',
      '--no-verify',
      '-m',
      'Snapshot of the working tree for the release rehearsal',
    ]);
    log(`  ${fileCount} files`);

    step('Installing dependencies (pnpm install --frozen-lockfile --prefer-offline)', 'install');
    await runPnpm(['install', '--frozen-lockfile', '--prefer-offline'], {
      cwd: copy,
      env: baseEnvironment,
    });
    const uplink = (
      await runPnpm(['config', 'get', 'registry'], { cwd: copy, env: baseEnvironment })
    ).stdout.trim();

    step('Starting Verdaccio on 127.0.0.1', 'registry');
    registry = await startLocalRegistry({
      directory: path.join(workDirectory, 'verdaccio'),
      scope: '@idplug',
      uplink: /^https?:\/\//.test(uplink) ? uplink : 'https://registry.npmjs.org/',
    });
    const registryUrl = registry.url;
    log(
      `  ${registryUrl} (storage in ${path.join(workDirectory, 'verdaccio')}, reads of other scopes via ${uplink})`,
    );
    const npmrc = `registry=${registryUrl}\n//127.0.0.1:${registry.port}/:_authToken=${registry.token}\n`;
    // The copy's project config (pnpm copies it next to the tarball it publishes) and a user config
    // replacing the caller's ~/.npmrc, so no credential of theirs is even readable.
    await writeFile(
      path.join(copy, '.npmrc'),
      `${await readFile(path.join(copy, '.npmrc'), 'utf8').catch(() => '')}\n${npmrc}`,
    );
    // Keep the token out of the commits the rehearsal makes.
    if ((await git(copy, ['ls-files', '.npmrc'])).stdout.trim()) {
      await git(copy, ['update-index', '--assume-unchanged', '.npmrc']);
    } else {
      await writeFile(path.join(copy, '.git', 'info', 'exclude'), '.npmrc\n', { flag: 'a' });
    }
    const userConfig = path.join(workDirectory, 'user.npmrc');
    await writeFile(userConfig, npmrc);
    const environment: NodeJS.ProcessEnv = {
      ...baseEnvironment,
      npm_config_registry: registryUrl,
      npm_config_userconfig: userConfig,
      npm_config_provenance: 'false',
    };

    const before = await listWorkspacePackages(copy);
    const publicBefore = before.filter((pkg) => !pkg.private);
    const dependents = new Map(
      bundledLibraries.map((library) => [library, findBundlingDependents(before, library)]),
    );
    const baseDependents = dependents.get('@idplug/base') ?? [];
    check(
      baseDependents.length > 0,
      `${baseDependents.length} connector(s) bundle @idplug/base: ${baseDependents.join(', ')}`,
    );

    step('Writing a sample changeset: @idplug/base, patch', 'changeset');
    await writeFile(
      path.join(copy, '.changeset', `${sampleChangesetId}.md`),
      '---\n"@idplug/base": patch\n---\n\nRelease rehearsal: a sample patch of the shared base package.\n',
    );
    await git(copy, ['add', '.changeset']);
    await git(copy, [
      'commit',
      '--quiet',
      '--no-verify',
      '-m',
      `Rehearse a patch of @idplug/base (#${samplePullRequest})`,
    ]);
    const sampleCommit = (await git(copy, ['rev-parse', 'HEAD'])).stdout.trim();

    step('pnpm version-packages', 'version');
    await runPnpm(['version-packages'], { cwd: copy, env: environment });
    const after = await listWorkspacePackages(copy);
    const versionOf = (packages: WorkspacePackage[], name: string) =>
      packages.find((pkg) => pkg.name === name)?.version;
    const pendingAfter = (await readdir(path.join(copy, '.changeset'))).filter(
      (file) => file.endsWith('.md') && file !== 'README.md',
    );
    check(pendingAfter.length === 0, 'every changeset was consumed', pendingAfter.join(', '));

    const commitLink = `https://github.com/${githubRepository}/commit/${sampleCommit}`;
    const pullLink = `https://github.com/${githubRepository}/pull/${samplePullRequest}`;
    for (const name of ['@idplug/base', ...baseDependents]) {
      const from = versionOf(before, name) ?? '?';
      const to = versionOf(after, name) ?? '?';
      check(
        compareVersions(to, from) > 0,
        `${name} bumped ${from} -> ${to}${name === '@idplug/base' ? '' : ' (bundles @idplug/base)'}`,
      );
      const directory = after.find((pkg) => pkg.name === name)?.directory ?? '';
      const changelog = await readFile(path.join(directory, 'CHANGELOG.md'), 'utf8').catch(
        () => '',
      );
      const entry = changelog.split(/^## /m).find((section) => section.startsWith(`${to}\n`)) ?? '';
      check(
        entry.includes(commitLink) && entry.includes(pullLink),
        `${path.relative(copy, directory)}/CHANGELOG.md has a ${to} entry linking the commit and pull request`,
        changelog.slice(0, 1500),
      );
      if (name !== '@idplug/base') {
        check(
          entry.includes('Bundles the updated `@idplug/base`'),
          `${name}'s entry says it bundles the new @idplug/base`,
          entry,
        );
      }
    }
    // What the version pull request must pass in CI besides the tests.
    const changedManifests = (
      await git(copy, ['diff', '--name-only', '--', '*package.json'])
    ).stdout
      .split('\n')
      .filter(Boolean);
    const formatting = await runPnpm(['exec', 'biome', 'format', ...changedManifests], {
      cwd: copy,
      env: environment,
    }).then(
      () => '',
      (error: Error) => error.message,
    );
    check(
      formatting === '',
      `the ${changedManifests.length} versioned package.json files are formatted as biome wants`,
      formatting,
    );
    const frozenInstall = await runPnpm(['install', '--frozen-lockfile', '--prefer-offline'], {
      cwd: copy,
      env: environment,
    }).then(
      () => '',
      (error: Error) => error.message,
    );
    check(
      frozenInstall === '',
      'pnpm install --frozen-lockfile accepts the versioned lockfile',
      frozenInstall,
    );
    await git(copy, ['add', '--all']);
    await git(copy, ['commit', '--quiet', '--no-verify', '-m', 'Version Packages']);

    step('Checking that publishing can only reach the local registry', 'guard');
    const publicAfter = after.filter((pkg) => !pkg.private);
    for (const pkg of publicAfter) {
      const manifest = await readJson<{ publishConfig?: Record<string, unknown> }>(
        path.join(pkg.directory, 'package.json'),
      );
      const ownRegistry = Object.keys(manifest.publishConfig ?? {}).filter((key) =>
        key.endsWith('registry'),
      );
      check(
        ownRegistry.length === 0,
        `${pkg.name} names no registry of its own in publishConfig`,
        ownRegistry.join(', '),
      );
    }
    const base = publicAfter.find((pkg) => pkg.name === '@idplug/base');
    for (const [tool, command] of [
      [
        'npm',
        () =>
          run('npm', ['config', 'get', 'registry'], {
            cwd: base?.directory ?? copy,
            env: environment,
          }),
      ],
      [
        'pnpm',
        () =>
          runPnpm(['config', 'get', 'registry'], {
            cwd: base?.directory ?? copy,
            env: environment,
          }),
      ],
    ] as const) {
      const configured = (await command()).stdout.trim();
      check(
        configured === registryUrl,
        `${tool} publishes to ${registryUrl}`,
        `${tool} config get registry: ${configured}`,
      );
    }

    // `pnpm release` builds then publishes; building first on its own times the two apart (the
    // build in `pnpm release` is then a turbo cache hit) and names a build failure as one.
    step('turbo run build', 'build');
    await runPnpm(['exec', 'turbo', 'run', 'build'], { cwd: copy, env: environment });
    step('pnpm release (turbo run build: cached, then changeset publish)', 'publish');
    await runPnpm(['release'], { cwd: copy, env: environment });

    const packument = async (name: string) => {
      const response = await fetch(new URL(name.replace('/', '%2f'), registryUrl), {
        headers: { authorization: `Bearer ${registry?.token}` },
      });
      return response.ok
        ? ((await response.json()) as {
            versions?: Record<string, unknown>;
            'dist-tags'?: Record<string, string>;
          })
        : undefined;
    };
    // changeset publish tags what it published; the release workflow pushes these tags and makes
    // GitHub releases of them.
    const tags = (await git(copy, ['tag', '--list'])).stdout.split('\n').filter(Boolean);
    for (const pkg of publicAfter) {
      check(
        tags.includes(`${pkg.name}@${pkg.version}`),
        `git tag ${pkg.name}@${pkg.version} exists`,
        tags.join(', '),
      );
      const published = await packument(pkg.name);
      check(
        published?.versions?.[pkg.version] !== undefined &&
          published['dist-tags']?.latest === pkg.version,
        `${pkg.name}@${pkg.version} is on the local registry as latest`,
        JSON.stringify(published?.['dist-tags']),
      );
    }

    step('As an operator: npm pack every public package back from the registry', 'npm pack');
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
      if (!packed)
        throw new RehearsalFailure(`npm pack ${pkg.name}@${pkg.version} printed no tarball`);
      tarballs.set(pkg.name, path.join(operatorDirectory, packed.filename));
    }
    check(
      tarballs.size === publicAfter.length,
      `${tarballs.size} tarballs fetched from the registry`,
    );

    step('publint on every tarball, attw on the libraries', 'publint+attw');
    const checks: TarballCheck[] = [];
    for (const tarball of tarballs.values()) checks.push(await checkTarball(tarball));
    const report = describeChecks(checks);
    if (report) log(report);
    for (const result of checks) {
      check(
        result.problems.length === 0,
        `${result.name}: publint${result.typesChecked ? ' and attw' : ''} find no problem in the published tarball`,
        result.problems.join('\n'),
      );
    }

    step("Loading the connectors with Logto's own loader in a bare folder", 'Logto loader');
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
    const connectorsLoaded: RehearsalResult['connectorsLoaded'] = [];
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

    step('done');
    return {
      durationMs: Date.now() - started,
      steps: steps.slice(0, -1).map(({ title, durationMs }) => ({ title, durationMs })),
      registryUrl,
      packages: publicBefore.map(({ name, version }) => ({
        name,
        from: version,
        to: versionOf(after, name) ?? version,
      })),
      connectorsLoaded,
      checks,
      passed,
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanUp();
    if (keep) log(`release rehearsal: kept ${workDirectory}`);
  }
};

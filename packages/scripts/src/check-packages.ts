import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describeConfigKeys } from './config-keys';
import { hasTableMarkers } from './config-table';
import { type LoadedConnector, loadConnectorFromSource } from './load-connector';
import {
  listWorkspacePackages,
  type PackageManifest,
  readManifest,
  type WorkspacePackage,
} from './repository';

/**
 * The package consistency check (`pnpm check:packages`): what every package.json must say, what
 * every connector must ship, and that its metadata matches its config guard. Each problem names
 * the package and says what to change.
 */

export type Problem = { package: string; message: string };

export const connectorKitRange = '^4.7.0 || ^5.0.0';
export const repositoryUrl = 'git+https://github.com/idplug/idplug.git';
const semverPattern = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

type Report = (message: string) => void;

const exportTarget = (exports: unknown, condition: 'import' | 'types'): string | undefined => {
  if (typeof exports === 'string') {
    return condition === 'import' ? exports : undefined;
  }
  const root = (exports as Record<string, unknown> | undefined)?.['.'];
  if (typeof root === 'string') {
    return condition === 'import' ? root : undefined;
  }
  const target = (root as Record<string, unknown> | undefined)?.[condition];
  return typeof target === 'string' ? target : undefined;
};

/** Fields every package has, and what a published one needs. */
const checkManifest = (
  { folder, manifest }: WorkspacePackage,
  rootEngines: string | undefined,
  report: Report,
) => {
  if (manifest.name !== `@idplug/${folder}`) {
    report(
      `name is ${JSON.stringify(manifest.name)}; it must be "@idplug/${folder}" (the folder name)`,
    );
  }
  if (manifest.type !== 'module') {
    report('"type" must be "module"');
  }
  if (manifest.private) {
    return;
  }
  if (!manifest.version || !semverPattern.test(manifest.version)) {
    report(
      `version ${JSON.stringify(manifest.version)} is not a semver version changesets can bump`,
    );
  }
  if (!manifest.license) {
    report('"license" is missing');
  }
  if (!exportTarget(manifest.exports, 'import')) {
    report('"exports" has no "." entry');
  }
  const published = (manifest.publishConfig?.exports ?? manifest.exports) as unknown;
  for (const condition of ['import', 'types'] as const) {
    const target = exportTarget(published, condition);
    if (!target?.startsWith('./lib/')) {
      report(
        `the published "exports" (publishConfig.exports, else exports) "." must give "${condition}" from ./lib/, got ${JSON.stringify(target)}`,
      );
    }
  }
  if (!Array.isArray(manifest.files) || !manifest.files.includes('lib')) {
    report('"files" must list "lib"');
  }
  if (!manifest.engines?.node) {
    report(
      `"engines.node" is missing; use ${JSON.stringify(rootEngines)} as the root package does`,
    );
  } else if (rootEngines && manifest.engines.node !== rootEngines) {
    report(
      `"engines.node" is ${JSON.stringify(manifest.engines.node)}; the repository supports ${JSON.stringify(rootEngines)}`,
    );
  }
  const repository = manifest.repository;
  if (
    typeof repository !== 'object' ||
    repository.type !== 'git' ||
    repository.url !== repositoryUrl ||
    repository.directory !== `packages/${folder}`
  ) {
    report(
      `"repository" must be { "type": "git", "url": "${repositoryUrl}", "directory": "packages/${folder}" }`,
    );
  }
  if (manifest.publishConfig?.access !== 'public') {
    report(
      '"publishConfig.access" must be "public" (scoped packages are private on npm otherwise)',
    );
  }
};

/** What Logto's loader needs from a connector package, and what the repository expects of one. */
const checkConnectorFiles = (
  { folder, directory, manifest }: WorkspacePackage,
  compat: PackageManifest | undefined,
  changesetIgnore: readonly string[],
  report: Report,
) => {
  if (manifest.private) {
    report('a connector must not be private: it is published to npm');
  }
  if (manifest.name && changesetIgnore.includes(manifest.name)) {
    report('is in .changeset/config.json "ignore", so changesets would never release it');
  }
  const dependencies = manifest.dependencies ?? {};
  if (dependencies['@logto/connector-kit'] !== connectorKitRange) {
    report(
      `dependencies must have "@logto/connector-kit": "${connectorKitRange}" (got ${JSON.stringify(dependencies['@logto/connector-kit'])}): Logto checks this range against its own connector-kit`,
    );
  }
  const others = Object.keys(dependencies).filter((name) => name !== '@logto/connector-kit');
  if (others.length > 0) {
    report(
      `dependencies must hold only @logto/connector-kit; move ${others.join(', ')} to devDependencies: the build bundles them and \`logto connector add\` installs nothing`,
    );
  }
  if (manifest.main !== './lib/index.js' || manifest.types !== './lib/index.d.ts') {
    report('"main" and "types" must be ./lib/index.js and ./lib/index.d.ts');
  }
  for (const script of ['build', 'typecheck', 'test']) {
    if (!manifest.scripts?.[script]) {
      report(`"scripts.${script}" is missing`);
    }
  }
  const files = manifest.files ?? [];
  const shipped = ['README.md', 'logo.svg', 'config.example.json'];
  if (existsSync(path.join(directory, 'logo-dark.svg'))) {
    shipped.push('logo-dark.svg');
  }
  for (const file of shipped) {
    if (!existsSync(path.join(directory, file))) {
      report(`${file} is missing`);
    } else if (!files.includes(file)) {
      report(`"files" must list ${file} so that it ships`);
    }
  }
  const readme = path.join(directory, 'README.md');
  if (existsSync(readme) && !hasTableMarkers(readFileSync(readme, 'utf8'))) {
    report(
      'README.md has no <!-- generated:config-table --> ... <!-- /generated:config-table --> section for `pnpm run docs`',
    );
  }
  for (const logo of ['logo.svg', 'logo-dark.svg']) {
    const file = path.join(directory, logo);
    if (existsSync(file) && !/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(readFileSync(file, 'utf8'))) {
      report(`${logo} is not an SVG document`);
    }
  }
  if (compat && compat.devDependencies?.[`@idplug/${folder}`] !== 'workspace:*') {
    report(
      `packages/compat/package.json must list "@idplug/${folder}": "workspace:*" in devDependencies, so that turbo builds it before the Logto loader test`,
    );
  }
};

/** Metadata against the guard and the shipped files. */
const checkConnectorMetadata = (
  { directory, manifest }: WorkspacePackage,
  { metadata, configGuard }: LoadedConnector,
  report: Report,
) => {
  const keys = new Set(describeConfigKeys(configGuard).map((entry) => entry.key));
  for (const item of metadata.formItems ?? []) {
    if (!keys.has(item.key)) {
      report(`metadata.formItems has "${item.key}", which the config guard does not know`);
    }
  }
  const files = manifest.files ?? [];
  for (const [field, file] of [
    ['logo', metadata.logo],
    ['logoDark', metadata.logoDark],
    ['readme', metadata.readme],
    ['configTemplate', metadata.configTemplate],
  ] as const) {
    if (file && !/^https?:/.test(file)) {
      const relative = file.replace(/^\.\//, '');
      if (!existsSync(path.join(directory, relative))) {
        report(`metadata.${field} is ${file}, which does not exist`);
      } else if (!files.includes(relative)) {
        report(`metadata.${field} is ${file}, which "files" does not ship`);
      }
    }
  }
  const example = path.join(directory, 'config.example.json');
  if (existsSync(example)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(example, 'utf8'));
    } catch (error: unknown) {
      report(`config.example.json is not JSON: ${(error as Error).message}`);
      return;
    }
    const result = (
      configGuard as { safeParse: (value: unknown) => { success: boolean; error?: Error } }
    ).safeParse(parsed);
    if (!result.success) {
      report(`config.example.json does not parse with the config guard: ${result.error?.message}`);
    }
  }
};

const readJson = <T>(file: string): T | undefined =>
  existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;

export const checkPackages = async (root: string): Promise<Problem[]> => {
  const problems: Problem[] = [];
  const rootManifest = readManifest(root);
  const compat = readJson<PackageManifest>(path.join(root, 'packages/compat/package.json'));
  const changesetIgnore =
    readJson<{ ignore?: string[] }>(path.join(root, '.changeset/config.json'))?.ignore ?? [];
  const ids = new Map<string, string>();

  for (const workspacePackage of listWorkspacePackages(root)) {
    const report: Report = (message) =>
      problems.push({ package: `packages/${workspacePackage.folder}`, message });
    checkManifest(workspacePackage, rootManifest.engines?.node, report);
    if (!workspacePackage.isConnector) {
      continue;
    }
    checkConnectorFiles(workspacePackage, compat, changesetIgnore, report);
    let loaded: LoadedConnector;
    try {
      loaded = await loadConnectorFromSource(workspacePackage.directory);
    } catch (error: unknown) {
      report(`src/index.ts could not be loaded: ${(error as Error).message}`);
      continue;
    }
    checkConnectorMetadata(workspacePackage, loaded, report);
    const other = ids.get(loaded.metadata.id);
    if (other) {
      report(
        `metadata.id "${loaded.metadata.id}" is also the id of ${other}; Logto needs unique ids`,
      );
    }
    ids.set(loaded.metadata.id, `packages/${workspacePackage.folder}`);
  }
  return problems;
};

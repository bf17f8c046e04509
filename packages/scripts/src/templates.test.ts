import { execFile } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as base from '@idplug/base';
import {
  assertEveryConnectorLoaded,
  loadTarballsInBareFolder,
  logtoCliNames,
  packConnector,
} from '@idplug/compat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPackages } from './check-packages';
import { updateConnectorReadme } from './docs';
import { loadConnectorFromSource } from './load-connector';
import type { ConnectorKind } from './names';
import { findRepositoryRoot } from './repository';
import { scaffoldTemplate, type TemplateValues, templateDirectory } from './scaffold';
import { collectBaseHelpers, guardShapeOf, spelledOutBaseFields } from './templates-base-helpers';

/**
 * Every template, scaffolded as `pnpm create-connector` would, must typecheck, pass its own tests
 * (the conformance suite included), build to one self-contained file, and load with Logto's real
 * loader once packed.
 *
 * Speed and isolation: the packages are scaffolded OUTSIDE the repository, into a temporary
 * mini-repository (the root's tsconfig.base.json, tsup.base.ts and vitest.shared.ts copied beside
 * a `packages/` folder, so each package's `../../` configs resolve). Nothing is installed: every
 * `node_modules` is a symlink to this package's, whose devDependencies are exactly what a template
 * needs (@idplug/base, @idplug/testing, connector-kit, msw, zod, and tsc/tsup/vitest). One tsc
 * and one vitest run cover the three packages; only the builds run per package, as the real
 * `tsup` command.
 */

const execFileAsync = promisify(execFile);
const root = findRepositoryRoot();
const tools = path.join(root, 'packages', 'scripts', 'node_modules');

const cases: Array<{ kind: ConnectorKind; values: TemplateValues }> = [
  {
    kind: 'social',
    values: {
      name: 'acme-id',
      id: 'acme-id-universal',
      target: 'acme-id',
      displayName: 'Acme ID',
      scope: 'openid profile email',
      endpoints: {
        authorizationEndpoint: 'https://id.acme.test/oauth2/authorize',
        tokenEndpoint: 'https://id.acme.test/oauth2/token',
        userInfoEndpoint: 'https://api.acme.test/v1/me',
      },
    },
  },
  {
    kind: 'email',
    values: {
      name: 'acme-mail',
      id: 'acme-mail-email',
      target: 'acme-mail',
      displayName: 'Acme Mail',
      endpoints: { sendEndpoint: 'https://api.acme.test/v3/mail/send' },
    },
  },
  {
    kind: 'sms',
    values: {
      name: 'acme-text',
      id: 'acme-text-sms',
      target: 'acme-text',
      displayName: 'Acme Text',
      endpoints: { sendEndpoint: 'https://api.acme.test/v1/messages' },
    },
  },
];

let workspace = '';
/** The three independent steps, started together once the packages are scaffolded. */
let typecheck: Promise<void>;
let ownTests: Promise<void>;
let builds: Promise<void>;
const packageDirectory = (name: string) => path.join(workspace, 'packages', `connector-${name}`);

// Child processes must not believe they run inside this vitest (pool ids, workers).
const childEnvironment = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_ENV'),
);

const run = async (tool: string, args: string[], cwd: string) => {
  try {
    await execFileAsync(path.join(tools, '.bin', tool), args, {
      cwd,
      env: { ...childEnvironment, CI: 'true', NO_COLOR: '1' },
      maxBuffer: 32 * 1024 * 1024,
    });
  } catch (error: unknown) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${tool} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`,
    );
  }
};

beforeAll(() => {
  workspace = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'idplug-templates-')));
  for (const file of ['tsconfig.base.json', 'tsup.base.ts', 'vitest.shared.ts']) {
    copyFileSync(path.join(root, file), path.join(workspace, file));
  }
  symlinkSync(tools, path.join(workspace, 'node_modules'), 'dir');
  mkdirSync(path.join(workspace, 'packages'));
  writeFileSync(
    path.join(workspace, 'package.json'),
    JSON.stringify({
      name: 'templates-check',
      private: true,
      type: 'module',
      engines: readManifestEngines(),
    }),
  );
  writeFileSync(
    path.join(workspace, 'tsconfig.json'),
    JSON.stringify({
      extends: './tsconfig.base.json',
      include: ['packages/*/src', 'packages/*/*.ts'],
    }),
  );
  writeFileSync(
    path.join(workspace, 'vitest.config.ts'),
    "import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { projects: ['packages/*'] } });\n",
  );
  for (const { kind, values } of cases) {
    scaffoldTemplate(templateDirectory(root, kind), packageDirectory(values.name), values);
    symlinkSync(tools, path.join(packageDirectory(values.name), 'node_modules'), 'dir');
  }
  // Started at once, awaited by the tests below: the wall time is the slowest step, not the sum.
  const settle = (promise: Promise<void>) => {
    promise.catch(() => undefined);
    return promise;
  };
  typecheck = settle(run('tsc', ['-p', 'tsconfig.json'], workspace));
  ownTests = settle(run('vitest', ['run'], workspace));
  builds = settle(
    Promise.all(cases.map(({ values }) => run('tsup', [], packageDirectory(values.name)))).then(
      () => undefined,
    ),
  );
});

afterAll(async () => {
  await Promise.allSettled([typecheck, ownTests, builds]);
  if (workspace) {
    rmSync(workspace, { recursive: true, force: true });
  }
});

const readManifestEngines = () => {
  return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: unknown })
    .engines;
};

describe('templates, scaffolded into a temporary package', () => {
  it('keep a social connector definition under 100 lines', () => {
    const index = readFileSync(path.join(packageDirectory('acme-id'), 'src', 'index.ts'), 'utf8');
    expect(index.split('\n').length).toBeLessThan(100);
    expect(index).toContain('const createAcmeIdConnector: CreateConnector<SocialConnector>');
  });

  it('take every form item and config field @idplug/base provides from base', async () => {
    const helpers = collectBaseHelpers(base as Record<string, unknown>);
    for (const { values } of cases) {
      const directory = packageDirectory(values.name);
      const { metadata, configGuard } = await loadConnectorFromSource(directory);
      const sourceDirectory = path.join(directory, 'src');
      const source = readdirSync(sourceDirectory)
        .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
        .map((file) => readFileSync(path.join(sourceDirectory, file), 'utf8'))
        .join('\n');
      const problems = spelledOutBaseFields(
        {
          formItems: metadata.formItems ?? [],
          guardShape: guardShapeOf(configGuard),
          source,
        },
        helpers,
      );
      expect(problems, values.name).toEqual([]);
    }
  });

  it('typecheck', async () => {
    await typecheck;
  });

  it('pass their own tests, the conformance suite included', async () => {
    await ownTests;
  });

  it('build to one ESM file importing only node: built-ins and @logto/connector-kit', async () => {
    await builds;
    for (const { values } of cases) {
      const bundle = readFileSync(
        path.join(packageDirectory(values.name), 'lib', 'index.js'),
        'utf8',
      );
      const imports = [...bundle.matchAll(/^import .*? from ['"]([^'"]+)['"]/gm)].map((m) => m[1]);
      expect(imports.length).toBeGreaterThan(0);
      for (const specifier of imports) {
        // The bundler writes some built-ins without `node:` (`diagnostics_channel`, `zlib`): a
        // built-in is whatever this Node calls one, not a list kept by hand.
        expect(
          specifier === '@logto/connector-kit' || isBuiltin(specifier ?? ''),
          `${values.name} imports ${specifier}`,
        ).toBe(true);
      }
      const types = readFileSync(
        path.join(packageDirectory(values.name), 'lib', 'index.d.ts'),
        'utf8',
      );
      expect(types).not.toMatch(/from '(@idplug\/base|zod)'/);
    }
  });

  it('pack into tarballs that Logto’s real loader loads, with connector-kit 5 and 4.7', async () => {
    await builds;
    const tarballDirectory = path.join(workspace, 'tarballs');
    mkdirSync(tarballDirectory);
    const tarballs = await Promise.all(
      cases.map(({ values }) =>
        packConnector(
          { name: `@idplug/connector-${values.name}`, directory: packageDirectory(values.name) },
          tarballDirectory,
        ),
      ),
    );
    for (const cli of logtoCliNames) {
      const report = await loadTarballsInBareFolder(tarballs, cli);
      assertEveryConnectorLoaded(report);
      expect(report.loaded.map((loaded) => loaded.metadata.id).sort()).toEqual(
        cases.map(({ values }) => values.id).sort(),
      );
    }
  });

  it('come with README configuration tables that `pnpm run docs --check` accepts', async () => {
    for (const { values } of cases) {
      const result = await updateConnectorReadme(packageDirectory(values.name), { check: true });
      expect(result, values.name).toMatchObject({ status: 'up-to-date' });
    }
  });

  it('pass the package consistency check', async () => {
    expect(await checkPackages(workspace)).toEqual([]);
  });
});

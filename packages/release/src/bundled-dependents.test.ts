import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  findBundlingDependents,
  formatChangeset,
  type PendingChangeset,
  planBundledReleases,
  readPendingChangesets,
  writeBundledReleaseChangesets,
} from './bundled-dependents';
import {
  createFixtureWorkspace,
  type FixturePackage,
  type FixtureWorkspace,
} from './fixture-workspace';
import type { WorkspacePackage } from './workspace';

const workspacePackage = (pkg: FixturePackage): WorkspacePackage => ({
  name: pkg.name,
  version: pkg.version,
  private: pkg.private ?? false,
  directory: `/fixture/${pkg.name}`,
  dependencies: pkg.dependencies ?? {},
  devDependencies: pkg.devDependencies ?? {},
});

const fixturePackages: FixturePackage[] = [
  { name: '@idplug/base', version: '1.0.0' },
  { name: '@idplug/testing', version: '0.4.0' },
  {
    name: '@idplug/connector-github',
    version: '0.3.0',
    devDependencies: { '@idplug/base': 'workspace:*', '@idplug/testing': 'workspace:*' },
  },
  {
    name: '@idplug/connector-smtp',
    version: '0.2.0',
    devDependencies: { '@idplug/base': 'workspace:*' },
  },
  // Private: never versioned, even though it takes base as a devDependency.
  {
    name: '@idplug/compat',
    version: '0.0.0',
    private: true,
    devDependencies: { '@idplug/base': 'workspace:*' },
  },
];
const packages = fixturePackages.map(workspacePackage);

const changeset = (
  id: string,
  releases: PendingChangeset['releases'],
  summary = 'Fix the token parser.',
): PendingChangeset => ({
  id,
  releases,
  summary,
});

describe('findBundlingDependents', () => {
  it('finds the public packages that take the library as a devDependency', () => {
    expect(findBundlingDependents(packages, '@idplug/base')).toEqual([
      '@idplug/connector-github',
      '@idplug/connector-smtp',
    ]);
  });

  it('finds none for a library nobody bundles', () => {
    expect(findBundlingDependents(packages, '@idplug/connector-github')).toEqual([]);
  });
});

describe('planBundledReleases', () => {
  it('adds a patch of every bundling connector for a changeset that releases base', () => {
    const [planned, ...others] = planBundledReleases(
      [changeset('brave-fox', [{ name: '@idplug/base', type: 'minor' }])],
      packages,
    );
    expect(others).toEqual([]);
    expect(planned).toMatchObject({
      id: 'brave-fox-bundled',
      source: 'brave-fox',
      library: '@idplug/base',
      releases: [
        { name: '@idplug/connector-github', type: 'patch' },
        { name: '@idplug/connector-smtp', type: 'patch' },
      ],
      summary: 'Bundles the updated `@idplug/base`: Fix the token parser.',
    });
  });

  it('leaves alone changesets that do not release base, or release it as none', () => {
    expect(
      planBundledReleases(
        [
          changeset('only-testing', [{ name: '@idplug/testing', type: 'minor' }]),
          changeset('base-none', [{ name: '@idplug/base', type: 'none' }]),
          changeset('empty', []),
        ],
        packages,
      ),
    ).toEqual([]);
  });

  it('keeps a bump the author chose for a connector and adds only the missing ones', () => {
    const [planned] = planBundledReleases(
      [
        changeset('with-github', [
          { name: '@idplug/base', type: 'patch' },
          { name: '@idplug/connector-github', type: 'minor' },
        ]),
      ],
      packages,
    );
    expect(planned?.releases).toEqual([{ name: '@idplug/connector-smtp', type: 'patch' }]);
  });

  it('plans nothing when the author already releases every connector', () => {
    expect(
      planBundledReleases(
        [
          changeset('all', [
            { name: '@idplug/base', type: 'patch' },
            { name: '@idplug/connector-github', type: 'patch' },
            { name: '@idplug/connector-smtp', type: 'major' },
          ]),
        ],
        packages,
      ),
    ).toEqual([]);
  });

  it('carries the source commit and its pr/author lines, so the changelog links the real change', () => {
    const [planned] = planBundledReleases(
      [
        changeset(
          'linked',
          [{ name: '@idplug/base', type: 'patch' }],
          'pr: #42\nauthor: @octocat\n\nRetry discovery on 503.\n\nMore detail.',
        ),
      ],
      packages,
      new Map([['linked', 'a'.repeat(40)]]),
    );
    expect(planned?.summary).toBe(
      `pr: #42\nauthor: @octocat\ncommit: ${'a'.repeat(40)}\n\nBundles the updated \`@idplug/base\`: Retry discovery on 503.`,
    );
  });

  it('does not plan from its own output (a retried version-packages adds nothing twice)', () => {
    const first = planBundledReleases(
      [changeset('again', [{ name: '@idplug/base', type: 'patch' }])],
      packages,
    );
    const second = planBundledReleases(
      [changeset('again', [{ name: '@idplug/base', type: 'patch' }]), ...first],
      packages,
    );
    expect(second).toEqual(first);
  });
});

describe('formatChangeset', () => {
  it('writes the front matter changesets parses back', () => {
    expect(
      formatChangeset({
        releases: [{ name: '@idplug/connector-smtp', type: 'patch' }],
        summary: 'Text.',
      }),
    ).toBe('---\n"@idplug/connector-smtp": patch\n---\n\nText.\n');
  });
});

describe('in a workspace, with the real `changeset version`', () => {
  let workspace: FixtureWorkspace | undefined;
  afterEach(async () => {
    await workspace?.dispose();
    workspace = undefined;
  });

  const versions = async (root: string) =>
    Object.fromEntries(
      await Promise.all(
        fixturePackages.map(async ({ name }) => {
          const manifest = JSON.parse(
            await readFile(
              path.join(root, 'packages', name.split('/')[1] ?? '', 'package.json'),
              'utf8',
            ),
          );
          return [name, manifest.version as string];
        }),
      ),
    );

  it('a patch of base releases every connector that bundles it, with a linked changelog entry', async () => {
    workspace = await createFixtureWorkspace(fixturePackages);
    const commit = await workspace.commitChangeset(
      'brave-fox',
      '---\n"@idplug/base": patch\n---\n\nRetry discovery on 503.\n',
      'Retry discovery on 503 (#42)',
    );

    const written = await writeBundledReleaseChangesets(workspace.root);
    expect(written.map(({ id }) => id)).toEqual(['brave-fox-bundled']);
    // Idempotent: a second run rewrites the same file and adds no other.
    await writeBundledReleaseChangesets(workspace.root);
    expect((await readPendingChangesets(workspace.root)).map(({ id }) => id).sort()).toEqual([
      'brave-fox',
      'brave-fox-bundled',
    ]);

    await workspace.changesetVersion();

    expect(await versions(workspace.root)).toEqual({
      '@idplug/base': '1.0.1',
      '@idplug/testing': '0.4.0',
      '@idplug/connector-github': '0.3.1',
      '@idplug/connector-smtp': '0.2.1',
      '@idplug/compat': '0.0.0',
    });
    expect((await readdir(path.join(workspace.root, '.changeset'))).sort()).toEqual([
      'README.md',
      'changelog.cjs',
      'config.json',
    ]);

    const links = `[#42](https://github.com/idplug/idplug/pull/42) [\`${commit.slice(0, 7)}\`](https://github.com/idplug/idplug/commit/${commit})`;
    const baseChangelog = await readFile(
      path.join(workspace.root, 'packages/base/CHANGELOG.md'),
      'utf8',
    );
    expect(baseChangelog).toBe(
      `# @idplug/base\n\n## 1.0.1\n\n### Patch Changes\n\n- ${links} - Retry discovery on 503.\n`,
    );
    const connectorChangelog = await readFile(
      path.join(workspace.root, 'packages/connector-smtp/CHANGELOG.md'),
      'utf8',
    );
    expect(connectorChangelog).toBe(
      `# @idplug/connector-smtp\n\n## 0.2.1\n\n### Patch Changes\n\n- ${links} - Bundles the updated \`@idplug/base\`: Retry discovery on 503.\n`,
    );
  });

  it('without base in any changeset, connectors keep their versions', async () => {
    workspace = await createFixtureWorkspace(fixturePackages);
    await workspace.commitChangeset(
      'testing-only',
      '---\n"@idplug/testing": minor\n---\n\nA new emulator.\n',
      'Add an emulator',
    );

    expect(await writeBundledReleaseChangesets(workspace.root)).toEqual([]);
    await workspace.changesetVersion();

    expect(await versions(workspace.root)).toMatchObject({
      '@idplug/testing': '0.5.0',
      '@idplug/base': '1.0.0',
      '@idplug/connector-github': '0.3.0',
      '@idplug/connector-smtp': '0.2.0',
    });
  });
});

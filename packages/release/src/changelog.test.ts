import { createRequire } from 'node:module';
import path from 'node:path';
import { read as readConfig } from '@changesets/config';
import { getPackages } from '@manypkg/get-packages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureWorkspace, type FixtureWorkspace, repositoryRoot } from './fixture-workspace';

type ChangelogModule = {
  getReleaseLine: (
    changeset: { id: string; summary: string; commit?: string },
    type: string,
    options: unknown,
  ) => Promise<string>;
  getDependencyReleaseLine: (
    changesets: { id: string; summary: string; commit?: string }[],
    dependencies: { name: string; newVersion: string }[],
    options: unknown,
  ) => Promise<string>;
};

const changelog = createRequire(import.meta.url)(
  path.join(repositoryRoot, '.changeset', 'changelog.cjs'),
) as ChangelogModule;
const options = { repo: 'idplug/idplug' };
const github = 'https://github.com/idplug/idplug';

describe('.changeset/changelog.cjs', () => {
  let workspace: FixtureWorkspace;
  let squashCommit: string;
  let mergeCommit: string;
  let plainCommit: string;
  const originalCwd = process.cwd();

  beforeAll(async () => {
    workspace = await createFixtureWorkspace([{ name: '@idplug/base', version: '1.0.0' }]);
    squashCommit = await workspace.commitChangeset(
      'a',
      '---\n"@idplug/base": patch\n---\n\nA.\n',
      'Handle form-encoded token responses (#17)',
      'Mona <583231+octocat@users.noreply.github.com>',
    );
    mergeCommit = await workspace.commitChangeset(
      'b',
      '---\n"@idplug/base": patch\n---\n\nB.\n',
      'Merge pull request #23 from someone/branch',
    );
    plainCommit = await workspace.commitChangeset(
      'c',
      '---\n"@idplug/base": patch\n---\n\nC.\n',
      'Direct push',
    );
    // The module asks git about commits in the current directory, as under `changeset version`.
    process.chdir(workspace.root);
  }, 60_000);
  afterAll(async () => {
    process.chdir(originalCwd);
    await workspace.dispose();
  });

  it('links the pull request of a squash merge, the commit, and thanks a noreply author', async () => {
    const line = await changelog.getReleaseLine(
      { id: 'a', summary: 'Handle form-encoded token responses.', commit: squashCommit },
      'patch',
      options,
    );
    expect(line).toBe(
      `\n\n- [#17](${github}/pull/17) [\`${squashCommit.slice(0, 7)}\`](${github}/commit/${squashCommit}) Thanks [@octocat](https://github.com/octocat)! - Handle form-encoded token responses.`,
    );
  });

  it('finds the pull request of a merge commit', async () => {
    const line = await changelog.getReleaseLine(
      { id: 'b', summary: 'B.', commit: mergeCommit },
      'patch',
      options,
    );
    expect(line).toContain(`[#23](${github}/pull/23)`);
    expect(line).not.toContain('Thanks');
  });

  it('links the commit alone when its subject names no pull request', async () => {
    const line = await changelog.getReleaseLine(
      { id: 'c', summary: 'C.', commit: plainCommit },
      'patch',
      options,
    );
    expect(line).toBe(
      `\n\n- [\`${plainCommit.slice(0, 7)}\`](${github}/commit/${plainCommit}) - C.`,
    );
  });

  it('honours pr:, commit: and author: lines in the summary and removes them from the text', async () => {
    const line = await changelog.getReleaseLine(
      {
        id: 'd',
        summary: `pr: #99\ncommit: ${plainCommit}\nauthor: @hubot\n\nFixed it.\n\nSee #5 and [#6](https://example.com).`,
      },
      'minor',
      options,
    );
    expect(line).toBe(
      `\n\n- [#99](${github}/pull/99) [\`${plainCommit.slice(0, 7)}\`](${github}/commit/${plainCommit}) Thanks [@hubot](https://github.com/hubot)! - Fixed it.\n\n  See [#5](${github}/issues/5) and [#6](https://example.com).`,
    );
  });

  it('writes the text alone for a changeset that was never committed', async () => {
    expect(await changelog.getReleaseLine({ id: 'e', summary: 'Pending.' }, 'patch', options)).toBe(
      '\n\n- Pending.',
    );
  });

  it('lists updated dependencies with the commits that caused them', async () => {
    const line = await changelog.getDependencyReleaseLine(
      [{ id: 'a', summary: 'A.', commit: squashCommit }],
      [{ name: '@idplug/base', newVersion: '1.0.1' }],
      options,
    );
    expect(line).toBe(
      `- Updated dependencies [[\`${squashCommit.slice(0, 7)}\`](${github}/commit/${squashCommit})]:\n  - @idplug/base@1.0.1`,
    );
    expect(await changelog.getDependencyReleaseLine([], [], options)).toBe('');
  });

  it('refuses to run without a repository to link to', async () => {
    await expect(changelog.getReleaseLine({ id: 'f', summary: 'x' }, 'patch', {})).rejects.toThrow(
      /owner\/name/,
    );
  });
});

describe('.changeset/config.json', () => {
  it('is valid for this workspace: public access, independent versions, private packages left out', async () => {
    const packages = await getPackages(repositoryRoot);
    const config = await readConfig(repositoryRoot, packages);
    expect(config).toMatchObject({
      access: 'public',
      baseBranch: 'main',
      fixed: [],
      linked: [],
      commit: false,
      changelog: ['./changelog.cjs', { repo: 'idplug/idplug' }],
      privatePackages: { version: false, tag: false },
    });
    // Nothing public is ignored: every public package is released when a changeset names it.
    const publicNames = packages.packages
      .filter(({ packageJson }) => !packageJson.private)
      .map(({ packageJson }) => packageJson.name);
    expect(publicNames).toEqual(
      expect.arrayContaining(['@idplug/base', '@idplug/testing', '@idplug/connector-github']),
    );
    expect(config.ignore.filter((name) => publicNames.includes(name))).toEqual([]);
  });
});

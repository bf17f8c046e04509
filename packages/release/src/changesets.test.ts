import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import parseChangeset from '@changesets/parse';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from './fixture-workspace';
import { listWorkspacePackages } from './workspace';

// The pending changesets of the repository, checked now rather than when `changeset version`
// fails on main. A formatter that rewrites the front matter (`---` read as a setext heading)
// leaves a changeset that releases nothing: that is caught here.
const directory = path.join(repositoryRoot, '.changeset');
const pending = readdirSync(directory).filter(
  (file) => file.endsWith('.md') && file !== 'README.md',
);

const publicPackages = new Set(
  (await listWorkspacePackages(repositoryRoot))
    .filter((pkg) => !pkg.private)
    .map(({ name }) => name),
);

describe.runIf(pending.length > 0)('pending changesets', () => {
  it.each(pending)('%s releases public packages of this workspace', (file) => {
    const content = readFileSync(path.join(directory, file), 'utf8');
    expect(content.startsWith('---\n'), `${file} must start with a front matter block`).toBe(true);
    const { releases, summary } = parseChangeset(content);
    expect(
      releases.length,
      `${file} releases nothing: is its front matter intact?`,
    ).toBeGreaterThan(0);
    for (const { name, type } of releases) {
      expect(
        publicPackages,
        `${file}: ${name} is not a public package of this workspace`,
      ).toContain(name);
      expect(['patch', 'minor', 'major', 'none']).toContain(type);
    }
    expect(summary.trim(), `${file} has no summary for the changelog`).not.toBe('');
  });
});

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPnpm } from './command';
import { checkTarball, isLibrary } from './publish-checks';

/** A package as this repository lays one out: `exports` at src for the workspace, lib when published. */
const libraryManifest = (name: string, publishedTypes = './lib/index.d.ts') => ({
  name,
  version: '1.0.0',
  license: 'MPL-2.0',
  type: 'module',
  sideEffects: false,
  exports: { '.': './src/index.ts' },
  files: ['lib'],
  publishConfig: {
    access: 'public',
    exports: { '.': { types: publishedTypes, import: './lib/index.js' } },
    types: publishedTypes,
  },
  engines: { node: '>=20.19' },
  repository: {
    type: 'git',
    url: 'git+https://github.com/idplug/idplug.git',
    directory: 'packages/x',
  },
});

describe('checkTarball (on what `pnpm pack` publishes)', () => {
  let directory: string;

  const pack = async (folder: string, manifest: object) => {
    const packageDirectory = path.join(directory, folder);
    await mkdir(path.join(packageDirectory, 'lib'), { recursive: true });
    await mkdir(path.join(packageDirectory, 'src'), { recursive: true });
    await writeFile(path.join(packageDirectory, 'package.json'), JSON.stringify(manifest, null, 2));
    await writeFile(
      path.join(packageDirectory, 'src/index.ts'),
      'export const answer: number = 42;\n',
    );
    await writeFile(path.join(packageDirectory, 'lib/index.js'), 'export const answer = 42;\n');
    await writeFile(
      path.join(packageDirectory, 'lib/index.d.ts'),
      'export declare const answer: number;\n',
    );
    const { stdout } = await runPnpm(['pack', '--pack-destination', directory, '--json'], {
      cwd: packageDirectory,
    });
    const { filename } = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { filename: string };
    return path.resolve(packageDirectory, filename);
  };

  beforeAll(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'idplug-publish-checks-'));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('passes a library whose publishConfig points exports and types at lib', async () => {
    const result = await checkTarball(await pack('good', libraryManifest('@idplug/good')));
    expect(result).toMatchObject({ name: '@idplug/good', problems: [], typesChecked: true });
  });

  it('fails a library whose published types file does not exist, through publint and attw', async () => {
    const result = await checkTarball(
      await pack('missing-types', libraryManifest('@idplug/missing-types', './lib/missing.d.ts')),
    );
    expect(
      result.problems.some((problem) => problem.startsWith('publint FILE_DOES_NOT_EXIST')),
    ).toBe(true);
    expect(result.problems.some((problem) => problem.startsWith('attw:'))).toBe(true);
  });

  it('fails a package that would publish exports pointing at src, which it does not ship', async () => {
    const { publishConfig: _dropped, ...manifest } = libraryManifest('@idplug/connector-unbuilt');
    const result = await checkTarball(await pack('unpublished-src', manifest));
    expect(result.typesChecked).toBe(false);
    // Linting the folder would find src/index.ts; the tarball has no such file.
    expect(result.problems).toEqual([
      'publint FILE_DOES_NOT_EXIST: pkg.exports["."] is ./src/index.ts but the file does not exist.',
    ]);
  });

  it('checks the types of libraries, not of connectors', () => {
    expect(['@idplug/base', '@idplug/testing', '@idplug/connector-github'].map(isLibrary)).toEqual([
      true,
      true,
      false,
    ]);
  });
});

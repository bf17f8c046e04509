import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { CommandError, run } from './command';

/**
 * Hygiene checks of what a package PUBLISHES: they read the packed tarball (from `pnpm pack`, which
 * applies `publishConfig`, or fetched back from a registry), never the package folder, whose
 * `exports` point at `src/` for the workspace.
 */

export type TarballCheck = {
  name: string;
  tarball: string;
  /** What must be fixed before publishing: publint errors and warnings, attw problems. */
  problems: string[];
  /** publint's suggestions: reported, not failing. */
  suggestions: string[];
  /** Whether the published types were checked with attw. */
  typesChecked: boolean;
};

/** Libraries are imported by code we do not control, so their types are checked too. */
export const isLibrary = (name: string) =>
  name.startsWith('@idplug/') && !name.startsWith('@idplug/connector-');

/** publint on the tarball, warnings counted as errors (`strict`). */
export const lintTarball = async (tarball: string) => {
  const bytes = await readFile(tarball);
  const arrayBuffer = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer;
  const { messages, pkg } = await publint({
    pack: { tarball: arrayBuffer },
    level: 'suggestion',
    strict: true,
  });
  const describe = (message: (typeof messages)[number]) =>
    `publint ${message.code}: ${formatMessage(message, pkg, { color: false }) ?? message.code}`;
  return {
    name: String(pkg.name),
    problems: messages.filter(({ type }) => type !== 'suggestion').map(describe),
    suggestions: messages.filter(({ type }) => type === 'suggestion').map(describe),
  };
};

const attwBin = () => {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('@arethetypeswrong/cli/package.json');
  const manifest = require(manifestPath) as { bin: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin.attw;
  if (!bin) {
    throw new Error('@arethetypeswrong/cli has no attw bin');
  }
  return path.join(path.dirname(manifestPath), bin);
};

/**
 * Are the Types Wrong on the tarball, with the `esm-only` profile: our packages are ESM only
 * (`"type": "module"`, an `import` condition and no `require`), so CommonJS resolution is not a
 * problem to report; everything else (missing or unresolvable types, types in the wrong format,
 * untyped entry points) is. `--no-definitely-typed`: never fetch @types from a registry.
 * Returns the problems, empty when there are none.
 */
export const checkTarballTypes = async (tarball: string): Promise<string[]> => {
  try {
    await run(
      process.execPath,
      [
        attwBin(),
        tarball,
        '--profile',
        'esm-only',
        '--no-definitely-typed',
        '--format',
        'ascii',
        '--no-color',
        '--no-emoji',
      ],
      { cwd: path.dirname(tarball), env: { ...process.env, FORCE_COLOR: '0' } },
    );
    return [];
  } catch (error) {
    if (error instanceof CommandError) {
      return [`attw: ${`${error.result.stdout}\n${error.result.stderr}`.trim()}`];
    }
    throw error;
  }
};

/** Every check a package's tarball must pass. */
export const checkTarball = async (tarball: string): Promise<TarballCheck> => {
  const lint = await lintTarball(tarball);
  const typesChecked = isLibrary(lint.name);
  const typeProblems = typesChecked ? await checkTarballTypes(tarball) : [];
  return {
    name: lint.name,
    tarball,
    problems: [...lint.problems, ...typeProblems],
    suggestions: lint.suggestions,
    typesChecked,
  };
};

/** One block per package with problems or suggestions. */
export const describeChecks = (checks: readonly TarballCheck[]) =>
  checks
    .filter(({ problems, suggestions }) => problems.length + suggestions.length > 0)
    .map(({ name, problems, suggestions }) =>
      [
        `${name}:`,
        ...problems.map((problem) => `  ✗ ${problem.replaceAll('\n', '\n    ')}`),
        ...suggestions.map((suggestion) => `  · ${suggestion}`),
      ].join('\n'),
    )
    .join('\n');

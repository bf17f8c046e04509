import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { run, runPnpm } from './command';
import { type RehearsalContext, required } from './rehearsal-context';
import { git } from './rehearsal-copy';
import type { Step } from './rehearsal-runner';

/** `pnpm release` into the local registry, once it is certain nothing can go anywhere else. */

export const publicPackagesAfter = (context: RehearsalContext) =>
  required(context.after, 'the versioned workspace').filter((pkg) => !pkg.private);

export const publishGuardStep: Step<RehearsalContext> = {
  name: 'guard',
  title: 'Checking that publishing can only reach the local registry',
  run: async (context) => {
    const { copy, check } = context;
    const environment = required(context.environment, 'the registry environment');
    const registryUrl = required(context.registry, 'the registry').url;
    const publicAfter = publicPackagesAfter(context);
    for (const pkg of publicAfter) {
      const manifest: { publishConfig?: Record<string, unknown> } = JSON.parse(
        await readFile(path.join(pkg.directory, 'package.json'), 'utf8'),
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
    const cwd = publicAfter.find((pkg) => pkg.name === '@idplug/base')?.directory ?? copy;
    const configured = {
      npm: () => run('npm', ['config', 'get', 'registry'], { cwd, env: environment }),
      pnpm: () => runPnpm(['config', 'get', 'registry'], { cwd, env: environment }),
    };
    for (const [tool, command] of Object.entries(configured)) {
      const registry = (await command()).stdout.trim();
      check(
        registry === registryUrl,
        `${tool} publishes to ${registryUrl}`,
        `${tool} config get registry: ${registry}`,
      );
    }
  },
};

// `pnpm release` builds then publishes; building first on its own times the two apart (the build
// in `pnpm release` is then a turbo cache hit) and names a build failure as one.
export const buildStep: Step<RehearsalContext> = {
  name: 'build',
  title: 'turbo run build',
  run: async ({ copy, environment }) => {
    await runPnpm(['exec', 'turbo', 'run', 'build'], {
      cwd: copy,
      env: required(environment, 'the registry environment'),
    });
  },
};

type Packument = { versions?: Record<string, unknown>; 'dist-tags'?: Record<string, string> };

export const publishStep: Step<RehearsalContext> = {
  name: 'publish',
  title: 'pnpm release (turbo run build: cached, then changeset publish)',
  run: async (context) => {
    const { copy, check } = context;
    const registry = required(context.registry, 'the registry');
    await runPnpm(['release'], {
      cwd: copy,
      env: required(context.environment, 'the registry environment'),
    });
    const packument = async (name: string) => {
      const response = await fetch(new URL(name.replace('/', '%2f'), registry.url), {
        headers: { authorization: `Bearer ${registry.token}` },
      });
      return response.ok ? ((await response.json()) as Packument) : undefined;
    };
    // changeset publish tags what it published; the release workflow pushes these tags and makes
    // GitHub releases of them.
    const tags = (await git(copy, ['tag', '--list'])).stdout.split('\n').filter(Boolean);
    for (const pkg of publicPackagesAfter(context)) {
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
  },
};

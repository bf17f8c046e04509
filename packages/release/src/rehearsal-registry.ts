import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundledLibraries, findBundlingDependents } from './bundled-dependents';
import { startLocalRegistry } from './registry';
import type { RehearsalContext } from './rehearsal-context';
import { git } from './rehearsal-copy';
import type { Step } from './rehearsal-runner';
import { listWorkspacePackages } from './workspace';

/**
 * Starts Verdaccio on 127.0.0.1 and points the copy, and every command that follows, at it and at
 * nothing else. The runner's clean-up stops it (`context.registry`).
 */
export const registryStep: Step<RehearsalContext> = {
  name: 'registry',
  title: 'Starting Verdaccio on 127.0.0.1',
  run: async (context) => {
    const { copy, workDirectory, baseEnvironment, uplink, log, check } = context;
    const registry = await startLocalRegistry({
      directory: path.join(workDirectory, 'verdaccio'),
      scope: '@idplug',
      uplink: uplink && /^https?:\/\//.test(uplink) ? uplink : 'https://registry.npmjs.org/',
    });
    context.registry = registry;
    log(
      `  ${registry.url} (storage in ${path.join(workDirectory, 'verdaccio')}, reads of other scopes via ${uplink})`,
    );
    const npmrc = `registry=${registry.url}\n//127.0.0.1:${registry.port}/:_authToken=${registry.token}\n`;
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
    context.environment = {
      ...baseEnvironment,
      npm_config_registry: registry.url,
      npm_config_userconfig: userConfig,
      npm_config_provenance: 'false',
    };

    const before = await listWorkspacePackages(copy);
    context.before = before;
    const dependents = new Map(
      bundledLibraries.map((library) => [library, findBundlingDependents(before, library)]),
    );
    const baseDependents = dependents.get('@idplug/base') ?? [];
    context.baseDependents = baseDependents;
    check(
      baseDependents.length > 0,
      `${baseDependents.length} connector(s) bundle @idplug/base: ${baseDependents.join(', ')}`,
    );
  },
};

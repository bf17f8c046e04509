import { defineConfig, type Options } from 'tsup';

/**
 * The one build configuration of the repository. Each package's `tsup.config.ts` is a one-liner
 * calling one of these.
 */

// Bundled CommonJS dependencies (nodemailer, ...) call `require` for Node built-ins, which an ESM
// bundle does not have; give them one.
const requireShim =
  "import { createRequire as __idplugCreateRequire } from 'node:module';\nconst require = __idplugCreateRequire(import.meta.url);";

/**
 * A connector ships as ONE self-contained ESM file, `lib/index.js`, because `logto connector add`
 * extracts the tarball without installing anything. Only `@logto/connector-kit` stays external:
 * Logto resolves it from its own install, checks its range in `dependencies`, and relies on
 * `instanceof ConnectorError` against its own copy.
 */
export const connectorBuild = (overrides: Options = {}) =>
  defineConfig({
    entry: ['src/index.ts'],
    format: ['esm'],
    outDir: 'lib',
    target: 'node20',
    platform: 'node',
    clean: true,
    dts: true,
    splitting: false,
    treeshake: true,
    external: ['@logto/connector-kit'],
    noExternal: [/^(?!@logto\/connector-kit$)/],
    banner: { js: requireShim },
    ...overrides,
  });

/** A library (`@idplug/base`, `@idplug/testing`): its dependencies stay external. */
export const libraryBuild = (overrides: Options = {}) =>
  defineConfig({
    entry: ['src/index.ts'],
    format: ['esm'],
    outDir: 'lib',
    target: 'node20',
    platform: 'node',
    clean: true,
    dts: true,
    splitting: false,
    ...overrides,
  });

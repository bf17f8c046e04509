#!/usr/bin/env node
// `pnpm version-packages`: bundled-dependent changesets, `changeset version`, lockfile refresh.
// The implementation is TypeScript in packages/release (src/version-packages.ts); tsx runs it,
// as Node 20 cannot strip types.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// tsx's ESM API, resolved from packages/release (where tsx is a devDependency) through its exports map.
const require = createRequire(new URL('../packages/release/package.json', import.meta.url));
const tsxManifest = require.resolve('tsx/package.json');
const apiPath = require(tsxManifest).exports['./esm/api'].import.default;
const { tsImport } = await import(
  pathToFileURL(path.join(path.dirname(tsxManifest), apiPath)).href
);
await tsImport('../packages/release/src/version-packages-cli.ts', import.meta.url);

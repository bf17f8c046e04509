#!/usr/bin/env node
// `pnpm release:rehearsal [--head] [--keep]`: the whole release against a throwaway Verdaccio on 127.0.0.1,
// from a copy of this working tree, ending with the connectors loaded by Logto's own loader.
// See packages/release/src/rehearsal.ts; tsx runs that TypeScript, as Node 20 cannot strip types.
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
await tsImport('../packages/release/src/rehearsal-cli.ts', import.meta.url);

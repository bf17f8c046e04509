/**
 * Load benchmark (issues 9, 14-17): how long Logto's own loader (`loadConnectorFactories` of
 * @logto/cli 1.43, connector-kit 5.1) takes to import all 19 connectors, the memory they keep,
 * how long each connector alone takes, and the size of each package; idplug's 19 against the 19
 * official ones.
 *
 * How each side is installed, as Logto would have it:
 * - idplug: each connector `pnpm pack`ed and extracted into a bare folder holding only
 *   @logto/connector-kit, exactly what `logto connector add <package>` leaves (no install): the
 *   bundles need nothing else.
 * - official: the packages from npm WITH their dependencies installed (pnpm, this package's
 *   devDependencies), as they sit in Logto's own image; extracted into a bare folder they mostly
 *   fail to load (see packages/compat). Their footprint below counts those dependencies.
 *
 * Each measurement runs in a fresh Node process (`load-child.ts`, no module cache), alternating
 * sides; medians of `--runs` (default 11) for all together, of `--each-runs` (default 5) for each
 * connector alone (a connector's load time depends on what was loaded before it: shared
 * dependencies such as zod or got load once, so only a process of its own says what it costs).
 *
 *   pnpm --filter @idplug/bench bench:load [--runs 7] [--each-runs 3]
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { createBareFolder, packWorkspaceConnectors } from '@idplug/compat';
import { median, type ResultRow, writePartResults } from './results';

const execFileAsync = promisify(execFile);
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '11' },
    'each-runs': { type: 'string', default: '5' },
  },
});
const runs = Number(values.runs);
const eachRuns = Number(values['each-runs']);
const benchDirectory = fileURLToPath(new URL('..', import.meta.url));

/** Official package, idplug package, display name. */
const pairs = [
  ['@logto/connector-github', '@idplug/connector-github', 'GitHub'],
  ['@logto/connector-google', '@idplug/connector-google', 'Google'],
  ['@logto/connector-oauth', '@idplug/connector-oauth2', 'OAuth 2.0'],
  ['@logto/connector-oidc', '@idplug/connector-oidc', 'OIDC'],
  ['@logto/connector-smtp', '@idplug/connector-smtp', 'SMTP'],
  ['@logto/connector-aliyun-dm', '@idplug/connector-aliyun-dm', 'Aliyun DM'],
  ['@logto/connector-azuread', '@idplug/connector-azuread', 'Microsoft Entra ID'],
  ['@logto/connector-apple', '@idplug/connector-apple', 'Apple'],
  ['@logto/connector-facebook', '@idplug/connector-facebook', 'Facebook'],
  ['@logto/connector-discord', '@idplug/connector-discord', 'Discord'],
  ['@logto/connector-gitlab', '@idplug/connector-gitlab', 'GitLab'],
  ['@logto/connector-twilio-sms', '@idplug/connector-twilio-sms', 'Twilio SMS'],
  ['@logto/connector-aliyun-sms', '@idplug/connector-aliyun-sms', 'Aliyun SMS'],
  ['@logto/connector-http-sms', '@idplug/connector-http-sms', 'HTTP SMS'],
  ['@logto/connector-aws-ses', '@idplug/connector-aws-ses', 'AWS SES'],
  ['@logto/connector-sendgrid-email', '@idplug/connector-sendgrid', 'SendGrid'],
  ['@logto/connector-postmark', '@idplug/connector-postmark', 'Postmark'],
  ['@logto/connector-mailgun', '@idplug/connector-mailgun', 'Mailgun'],
  ['@logto/connector-http-email', '@idplug/connector-http-email', 'HTTP email'],
] as const;

/**
 * Packed-size limits an issue set for a package (issue 17: the official SES package installs the
 * AWS SDK; ours bundles a small SigV4 signer and must stay under 80 kB packed).
 */
const tarballLimitsKb: Partial<Record<(typeof pairs)[number][2], number>> = { 'AWS SES': 80 };

const installedDirectory = (name: string, from = benchDirectory): string | undefined => {
  for (let directory = from; ; directory = path.dirname(directory)) {
    const candidate = path.join(directory, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) {
      return realpathSync(candidate);
    }
    if (path.dirname(directory) === directory) {
      return undefined;
    }
  }
};

const directoryBytes = (directory: string, skip = new Set<string>()): number => {
  let total = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (skip.has(entry.name)) {
      continue;
    }
    if (entry.isDirectory()) {
      total += directoryBytes(full, skip);
    } else if (entry.isFile()) {
      total += statSync(full).size;
    }
  }
  return total;
};

/**
 * A package and its runtime dependencies, transitively, as installed (pnpm layout), without
 * @logto/connector-kit (Logto ships it) and its own dependency tree.
 */
const dependencyClosure = (directory: string, seen = new Map<string, string>()) => {
  const manifest = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as {
    name: string;
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  if (seen.has(directory) || manifest.name === '@logto/connector-kit') {
    return seen;
  }
  seen.set(directory, manifest.name);
  for (const dependency of Object.keys({
    ...manifest.dependencies,
    ...manifest.optionalDependencies,
  })) {
    const found = installedDirectory(dependency, directory);
    if (found) {
      dependencyClosure(found, seen);
    }
  }
  return seen;
};

const npmPackBytes = async (directory: string, destination: string) => {
  const { stdout } = await execFileAsync(
    'npm',
    ['pack', directory, '--json', '--pack-destination', destination],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const [result] = JSON.parse(stdout.slice(stdout.indexOf('['))) as {
    filename: string;
    size: number;
    unpackedSize: number;
  }[];
  return { size: result?.size ?? Number.NaN, unpackedSize: result?.unpackedSize ?? Number.NaN };
};

type Measurement = {
  ms: number;
  heapBytes: number;
  rssBytes: number;
  loaded: string[];
  skipped: string[];
};

const measure = async (packages: { name: string; path: string }[]): Promise<Measurement> => {
  const { stdout } = await execFileAsync(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      path.join(benchDirectory, 'src/load-child.ts'),
      JSON.stringify(packages),
    ],
    { cwd: benchDirectory, maxBuffer: 16 * 1024 * 1024 },
  );
  const line = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as Measurement;
};

const scratch = await mkdtemp(path.join(os.tmpdir(), 'idplug-bench-load-'));
const folder = await createBareFolder('logto-cli');
try {
  // idplug: packed and extracted as `logto connector add` does.
  const packed = await packWorkspaceConnectors(scratch);
  const ours: { name: string; path: string }[] = [];
  const sizes = new Map<string, { tarball: number; unpacked: number }>();
  for (const [, idplugName] of pairs) {
    const entry = packed.find(({ connector }) => connector.name === idplugName);
    if (!entry) {
      throw new Error(`${idplugName} is not a workspace connector`);
    }
    const added = await folder.addTarball(entry.tarball);
    ours.push(added);
    sizes.set(idplugName, {
      tarball: (await stat(entry.tarball)).size,
      unpacked: directoryBytes(added.path),
    });
  }

  // official: installed with their dependencies.
  const theirs: { name: string; path: string }[] = [];
  const footprints = new Map<string, { packages: number; bytes: number }>();
  for (const [officialName] of pairs) {
    const directory = installedDirectory(officialName);
    if (!directory) {
      throw new Error(`${officialName} is not installed (a devDependency of @idplug/bench)`);
    }
    theirs.push({ name: officialName, path: directory });
    // npm 11 fails without a word on some pnpm store paths (seen with connector-http-sms's):
    // pack a plain copy of the package instead.
    const copy = path.join(scratch, 'official', officialName);
    cpSync(directory, copy, {
      recursive: true,
      filter: (source) => !source.includes('node_modules', directory.length),
    });
    const packed = await npmPackBytes(copy, scratch);
    const closure = dependencyClosure(directory);
    let bytes = 0;
    for (const dependencyDirectory of closure.keys()) {
      bytes += directoryBytes(dependencyDirectory, new Set(['node_modules']));
    }
    sizes.set(officialName, { tarball: packed.size, unpacked: packed.unpackedSize });
    footprints.set(officialName, { packages: closure.size, bytes });
  }

  /** Cold loads of both sides, `count` each, alternating who goes first. */
  const measureBoth = async (
    packages: Record<'idplug' | 'official', { name: string; path: string }[]>,
    count: number,
  ) => {
    const results = { idplug: [] as Measurement[], official: [] as Measurement[] };
    for (let run = 0; run < count; run += 1) {
      const order =
        run % 2 === 0 ? (['idplug', 'official'] as const) : (['official', 'idplug'] as const);
      for (const side of order) {
        const measurement = await measure(packages[side]);
        if (measurement.skipped.length > 0) {
          throw new Error(
            `Logto's loader skipped ${side} connectors:\n${measurement.skipped.join('\n')}`,
          );
        }
        results[side].push(measurement);
      }
    }
    return results;
  };
  const results = await measureBoth({ idplug: ours, official: theirs }, runs);
  const alone = new Map<string, Awaited<ReturnType<typeof measureBoth>>>();
  for (const [index, [, , display]] of pairs.entries()) {
    alone.set(
      display,
      await measureBoth(
        { idplug: [ours[index] as never], official: [theirs[index] as never] },
        eachRuns,
      ),
    );
  }

  const rows: ResultRow[] = [];
  const summary: Record<string, Record<string, string | number>> = {};
  const add = (row: ResultRow, digits = 1) => {
    rows.push(row);
    summary[`${row.benchmark}: ${row.metric}`] = {
      idplug: Number(row.idplug.toFixed(digits)),
      official: Number(row.official.toFixed(digits)),
      'ratio idplug/official': Number((row.idplug / row.official).toFixed(2)),
    };
  };
  const benchmark = `Load all ${pairs.length} (Logto loader, cold process)`;
  add({
    benchmark,
    metric: 'load time',
    unit: 'ms',
    idplug: median(results.idplug.map((m) => m.ms)),
    official: median(results.official.map((m) => m.ms)),
  });
  add({
    benchmark,
    metric: 'heap retained',
    unit: 'MB',
    idplug: median(results.idplug.map((m) => m.heapBytes)) / 1e6,
    official: median(results.official.map((m) => m.heapBytes)) / 1e6,
  });
  add({
    benchmark,
    metric: 'RSS growth',
    unit: 'MB',
    idplug: median(results.idplug.map((m) => m.rssBytes)) / 1e6,
    official: median(results.official.map((m) => m.rssBytes)) / 1e6,
  });
  for (const [officialName, idplugName, display] of pairs) {
    const official = sizes.get(officialName);
    const idplug = sizes.get(idplugName);
    const footprint = footprints.get(officialName);
    const loads = alone.get(display);
    add({
      benchmark: `${display} package`,
      metric: 'load time alone (Logto loader, cold process)',
      unit: 'ms',
      idplug: median(loads?.idplug.map((m) => m.ms) ?? []),
      official: median(loads?.official.map((m) => m.ms) ?? []),
    });
    const limitKb = tarballLimitsKb[display];
    const tarballKb = (idplug?.tarball ?? 0) / 1000;
    if (limitKb !== undefined && tarballKb >= limitKb) {
      console.error(
        `${idplugName} is ${tarballKb.toFixed(1)} kB packed, over its ${limitKb} kB limit`,
      );
      process.exitCode = 1;
    }
    add({
      benchmark: `${display} package`,
      metric: 'tarball',
      unit: 'kB',
      idplug: tarballKb,
      official: (official?.tarball ?? 0) / 1000,
      ...(limitKb !== undefined && { note: `idplug's limit: under ${limitKb} kB` }),
    });
    add(
      {
        benchmark: `${display} package`,
        metric: 'on disk to load (package + dependencies, connector-kit excluded)',
        unit: 'kB',
        idplug: (idplug?.unpacked ?? 0) / 1000,
        official: (footprint?.bytes ?? 0) / 1000,
        note: `official: ${footprint?.packages ?? '?'} packages`,
      },
      0,
    );
  }
  console.log(
    `medians of ${runs} cold loads of all per side, ${eachRuns} of each alone (each in a fresh process):`,
  );
  console.table(summary);
  writePartResults({
    part: 'load',
    method: `Logto's loadConnectorFactories (@logto/cli 1.43, connector-kit 5.1) importing all ${pairs.length} connectors in a fresh process, median of ${runs} runs per side, alternating, and each connector alone in a fresh process, median of ${eachRuns} runs per side; idplug packed and extracted with nothing but connector-kit beside it, official installed from npm with their dependencies`,
    rows,
  });
} finally {
  await folder.dispose();
  await rm(scratch, { recursive: true, force: true });
}

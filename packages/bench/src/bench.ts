/**
 * `pnpm bench`: every part of the side-by-side benchmark, each in its own process (SMTP, social
 * sign-in, SMS and email API sends, load), then ONE table of all their figures, printed and
 * written to RESULTS.md (for the root README's "Benchmarks" section). Parts hand their figures
 * over through `results/<part>.json` (see results.ts, committed): a part left out with `--only`
 * keeps its last figures, with the date and load average they were measured at; a part that ran
 * and wrote no file is listed as missing.
 *
 *   pnpm bench                       # from the root: builds the connectors first
 *   pnpm --filter @idplug/bench bench [--only smtp,sign-in,send,load]
 *   pnpm --filter @idplug/bench bench --only=    # runs nothing: rebuilds RESULTS.md from results/
 */
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type PartResults, readPartResults, resultsDirectory } from './results';

const parts = [
  { part: 'smtp', script: 'src/smtp.ts', title: 'SMTP' },
  { part: 'sign-in', script: 'src/sign-in.bench.ts', title: 'Social sign-in' },
  { part: 'send', script: 'src/send.bench.ts', title: 'SMS and email API sends' },
  { part: 'load', script: 'src/load.bench.ts', title: 'Load and package size' },
] as const;

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const only = values.only?.split(',').filter(Boolean);
const benchDirectory = fileURLToPath(new URL('..', import.meta.url));

const run = (script: string) =>
  new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: benchDirectory,
      stdio: 'inherit',
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });

const unknownParts = only?.filter((name) => !parts.some(({ part }) => part === name)) ?? [];
if (unknownParts.length > 0) {
  throw new Error(
    `No such part: ${unknownParts.join(', ')} (parts: ${parts.map(({ part }) => part).join(', ')})`,
  );
}

const failures: string[] = [];
const collected: { part: string; title: string; ran: boolean; results: PartResults | undefined }[] =
  [];
for (const { part, script, title } of parts) {
  if (only && !only.includes(part)) {
    // Not run this time: its last figures, as measured then.
    collected.push({ part, title, ran: false, results: readPartResults(part) });
    continue;
  }
  rmSync(new URL(`${part}.json`, `file://${resultsDirectory}`), { force: true });
  console.log(`\n=== ${title} (${script}) ===\n`);
  const code = await run(script);
  if (code !== 0) {
    failures.push(`${script} exited with ${code}`);
  }
  collected.push({ part, title, ran: true, results: readPartResults(part) });
}

const format = (value: number) =>
  Math.abs(value) >= 100
    ? value.toFixed(0)
    : Math.abs(value) >= 10
      ? value.toFixed(1)
      : value.toFixed(2);

const lines: string[] = [
  '| Benchmark | Metric | idplug | official | idplug / official |',
  '| --- | --- | ---: | ---: | ---: |',
];
const methods: string[] = [];
for (const { part, title, ran, results } of collected) {
  if (!results) {
    lines.push(
      ran
        ? `| ${title} | _no figures: the part wrote no results file_ | | | |`
        : `| ${title} | _no figures yet: \`pnpm bench --only ${part}\`_ | | | |`,
    );
    continue;
  }
  methods.push(`- **${title}**: ${results.method.replace(/\.+$/, '')}.`);
  for (const row of results.rows) {
    const ratio = row.official === 0 ? '—' : `${(row.idplug / row.official).toFixed(2)}×`;
    const better = row.better === 'higher' ? ' (higher is better)' : '';
    const note = row.note ? ` (${row.note})` : '';
    lines.push(
      `| ${row.benchmark} | ${row.metric}, ${row.unit}${better}${note} | ${format(row.idplug)} | ${format(row.official)} | ${ratio} |`,
    );
  }
}

const cpus = os.cpus();
// A busy machine slows both sides, but not always equally: say how busy it was, part by part.
const measuredWhen = collected
  .flatMap(({ title, results }) =>
    results?.measured
      ? [
          `${title}: ${results.measured.date}, load average ${results.measured.loadAverage.toFixed(1)}`,
        ]
      : [],
  )
  .join('; ');
const markdown = [
  '<!-- Written by `pnpm bench` (packages/bench/src/bench.ts); `pnpm docs` copies it into the READMEs (never by hand). -->',
  '',
  `Measured on Node ${process.versions.node}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${os.platform()}, each part with its date and the machine's 1-minute load average at its start (${measuredWhen}); idplug's built connectors against the official \`@logto/connector-*\` packages from npm, against the same local servers. Ratios below 1 mean idplug needs less (time, requests, bytes) unless a row says higher is better.`,
  '',
  ...lines,
  '',
  'How:',
  '',
  ...methods,
  '',
].join('\n');

console.log(`\n=== All parts ===\n\n${lines.join('\n')}\n`);
writeFileSync(new URL('../RESULTS.md', import.meta.url), markdown);
console.log('Written to packages/bench/RESULTS.md');
if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exitCode = 1;
}

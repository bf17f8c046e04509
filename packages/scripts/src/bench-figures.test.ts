import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  benchResultsPath,
  figuresMissingFromResults,
  readmesWithBenchmarks,
  renderBenchSection,
  replaceBenchSections,
  updateBenchFigures,
} from './bench-figures';
import { findRepositoryRoot } from './repository';

const results = `<!-- Written by \`pnpm bench\`. -->

Measured 2026-11-22 on Node 20.20.2.

| Benchmark | Metric | idplug | official | idplug / official |
| --- | --- | ---: | ---: | ---: |
| SMTP burst, 20 ms RTT | messages per second, msg/s | 101 | 253 | 0.40× |
| OIDC sign-in | wall time per sign-in, ms | 26.3 | 50.0 | 0.53× |

How: medians of 5 runs.`;

const readme = (section: string, prose = '') => `# Connector

## Benchmark

Through a proxy adding 20 ms round trip.${prose}

${section}

## Troubleshooting

Error 400 and 96 here are not benchmark figures.
`;

describe('benchmark figures in READMEs', () => {
  it('copies all of RESULTS.md, or its summary and the rows of one benchmark', () => {
    expect(renderBenchSection(results)).toBe(results.replace(/^<!--.*-->\n\n/, ''));
    expect(renderBenchSection(results, 'SMTP').split('\n')).toEqual([
      'Measured 2026-11-22 on Node 20.20.2.',
      '',
      '| Benchmark | Metric | idplug | official | idplug / official |',
      '| --- | --- | ---: | ---: | ---: |',
      '| SMTP burst, 20 ms RTT | messages per second, msg/s | 101 | 253 | 0.40× |',
    ]);
    expect(() => renderBenchSection(results, 'Aliyun')).toThrow(/no row for "Aliyun"/);
  });

  it('regenerates a stale section, and leaves a current one as it is', () => {
    const stale = readme(
      '<!-- generated:bench-results SMTP -->\n| SMTP burst | old | 96 | 141 |\n<!-- /generated:bench-results -->',
    );
    const current = replaceBenchSections(stale, results);
    expect(current).toContain('| 101 | 253 |');
    expect(current).not.toContain('| 96 | 141 |');
    expect(replaceBenchSections(current, results)).toBe(current);
  });

  it('finds figures written by hand in the benchmark section that RESULTS.md does not hold', () => {
    const section = '<!-- generated:bench-results -->\n<!-- /generated:bench-results -->';
    expect(figuresMissingFromResults(readme(section), results)).toEqual([]);
    // A figure from another run, as the SMTP README once had it; the section's own parameters
    // (20 ms) and numbers under other headings (400, 96) are not figures.
    expect(
      figuresMissingFromResults(readme(section, ' A burst: 96 against 141 msg/s.'), results),
    ).toEqual(['96', '141']);
    expect(figuresMissingFromResults(readme(section, ' Sent 101 per second.'), results)).toEqual(
      [],
    );
  });
});

describe("this repository's READMEs", () => {
  const root = findRepositoryRoot();
  const recorded = readFileSync(benchResultsPath(root), 'utf8');
  const readmes = readmesWithBenchmarks(root);

  it('include the root README and the SMTP connector’s', () => {
    expect(readmes.map((file) => path.relative(root, file))).toEqual(
      expect.arrayContaining(['README.md', path.join('packages', 'connector-smtp', 'README.md')]),
    );
  });

  it.each(readmes.map((file) => [path.relative(root, file), file]))(
    '%s shows the figures of packages/bench/RESULTS.md and no other',
    (_name, file) => {
      expect(updateBenchFigures(file, recorded, { check: true })).toMatchObject({
        status: 'up-to-date',
      });
    },
  );
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLastBaseUrl, writeLastBaseUrl } from './last-run';

describe('remembering the previous run’s URL', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'playground-last-run-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('reads back what the previous run wrote, creating the folder', async () => {
    const file = join(directory, 'cache', 'last-run.json');
    expect(await readLastBaseUrl(file)).toBeUndefined();
    await writeLastBaseUrl(file, 'http://127.0.0.1:5175');
    expect(await readLastBaseUrl(file)).toBe('http://127.0.0.1:5175');
  });

  it('treats an unreadable file as no previous run', async () => {
    const file = join(directory, 'last-run.json');
    await writeFile(file, '{not json');
    expect(await readLastBaseUrl(file)).toBeUndefined();
  });
});

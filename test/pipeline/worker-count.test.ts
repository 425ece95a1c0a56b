// How many worker threads an archive gets: none on two cores (one core parses, the other is left to
// V8's compiler and GC threads, which a worker's isolate would compete with), one per further core,
// and never more than the files beyond the main thread's own.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, afterEach, describe, expect, test } from 'vitest';
import type { InputFile } from '../../src/io/inputs.js';
import { workerCount } from '../../src/pipeline/parallel.js';

let dir: string;
let files: InputFile[];
const prev = process.env.CATALINA_LENS_WORKERS;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'catalina-lens-workers-'));
  files = ['a', 'b', 'c', 'd'].map((n) => {
    const path = join(dir, `${n}.log`);
    writeFileSync(path, Buffer.alloc(1024, 0x41));
    return { path, node: n, kind: 'console', order: '' };
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  if (prev === undefined) delete process.env.CATALINA_LENS_WORKERS;
  else process.env.CATALINA_LENS_WORKERS = prev;
});

describe('workerCount', () => {
  test('two cores parse on one thread; each core beyond one for the main thread and one spare adds a worker', async () => {
    delete process.env.CATALINA_LENS_WORKERS;
    const min = 1; // bytes: the files are large enough
    expect(await workerCount(files, min, 1)).toBe(0);
    expect(await workerCount(files, min, 2)).toBe(0);
    expect(await workerCount(files, min, 3)).toBe(1);
    expect(await workerCount(files, min, 4)).toBe(2);
    // no more workers than files beyond the main thread's share
    expect(await workerCount(files, min, 16)).toBe(3);
    expect(await workerCount(files.slice(0, 2), min, 16)).toBe(1);
  });

  test('small archives, a single file and stdin stay in-process', async () => {
    delete process.env.CATALINA_LENS_WORKERS;
    expect(await workerCount(files, 4 * 1024 + 1, 8)).toBe(0);
    expect(await workerCount(files.slice(0, 1), 1, 8)).toBe(0);
    expect(await workerCount([...files, { path: '-', node: 'stdin', kind: 'console', order: '' } satisfies InputFile], 1, 8)).toBe(0);
  });

  test('CATALINA_LENS_WORKERS forces the count, whatever the cores and sizes', async () => {
    process.env.CATALINA_LENS_WORKERS = '2';
    expect(await workerCount(files, Number.MAX_SAFE_INTEGER, 2)).toBe(2);
    process.env.CATALINA_LENS_WORKERS = '9';
    expect(await workerCount(files, 1, 2)).toBe(3);
    process.env.CATALINA_LENS_WORKERS = '0';
    expect(await workerCount(files, 1, 16)).toBe(0);
  });
});

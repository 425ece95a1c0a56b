// How many worker threads an archive gets. A worker pays where parsing is slow (formats decoded
// line by line, gzip): one per core beyond the main thread's. Where every input is fast (the byte
// path with the line-scan kernel) one core is left to V8's compiler and GC threads, which a
// worker's isolate would compete with: none on two cores. Never more than the files beyond the
// main thread's own. Which inputs are fast is judged from their first lines (byte-path.ts).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { loadGrammarsSync } from '../../src/io/grammar-files.js';
import type { InputFile } from '../../src/io/inputs.js';
import { onBytePath } from '../../src/pipeline/byte-path.js';
import { workerCount } from '../../src/pipeline/parallel.js';
import { InputParser } from '../../src/core/input-parser.js';
import { DEFAULT_DETECT_LINES } from '../../src/core/record-assembler.js';
import { CORPUS, corpusLogFiles, PUBLIC } from '../helpers/corpus.js';

let dir: string;
let files: InputFile[];
const prev = { workers: process.env.CATALINA_LENS_WORKERS, scan: process.env.CATALINA_LENS_LINE_SCAN };
const grammars = loadGrammarsSync();
const fast = async (): Promise<boolean> => true;
const slow = async (): Promise<boolean> => false;

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
  for (const [k, v] of [
    ['CATALINA_LENS_WORKERS', prev.workers],
    ['CATALINA_LENS_LINE_SCAN', prev.scan],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('workerCount', () => {
  const min = 1; // bytes: the files (4 × 1 KiB) are large enough

  test('fast inputs: two cores parse on one thread; each core beyond one for the main thread and one spare adds a worker', async () => {
    delete process.env.CATALINA_LENS_WORKERS;
    expect(await workerCount(files, 4 * 1024, fast, min, 1)).toBe(0);
    expect(await workerCount(files, 4 * 1024, fast, min, 2)).toBe(0);
    expect(await workerCount(files, 4 * 1024, fast, min, 3)).toBe(1);
    expect(await workerCount(files, 4 * 1024, fast, min, 4)).toBe(2);
    expect(await workerCount(files, 4 * 1024, fast, min, 16)).toBe(3); // no more workers than files beyond the main thread's
    expect(await workerCount(files.slice(0, 2), 2 * 1024, fast, min, 16)).toBe(1);
  });

  test('one slow input is enough for a worker per core beyond the main thread', async () => {
    delete process.env.CATALINA_LENS_WORKERS;
    const oneSlow = async (i: InputFile): Promise<boolean> => i !== files[2];
    expect(await workerCount(files, 4 * 1024, oneSlow, min, 2)).toBe(1);
    expect(await workerCount(files, 4 * 1024, slow, min, 2)).toBe(1);
    expect(await workerCount(files, 4 * 1024, slow, min, 3)).toBe(2);
    expect(await workerCount(files, 4 * 1024, slow, min, 1)).toBe(0);
    // Inputs are judged one at a time, up to the first slow one.
    const asked: InputFile[] = [];
    const firstSlow = async (i: InputFile): Promise<boolean> => {
      asked.push(i);
      return i !== files[1];
    };
    expect(await workerCount(files, 4 * 1024, firstSlow, min, 2)).toBe(1);
    expect(asked).toEqual(files.slice(0, 2));
  });

  test('small archives, a single file and stdin stay in-process', async () => {
    delete process.env.CATALINA_LENS_WORKERS;
    expect(await workerCount(files, 4 * 1024, slow, 4 * 1024 + 1, 8)).toBe(0);
    expect(await workerCount(files.slice(0, 1), 1 * 1024, slow, min, 8)).toBe(0);
    expect(await workerCount([...files, { path: '-', node: 'stdin', kind: 'console', order: '' }], 4 * 1024, slow, min, 8)).toBe(0);
  });

  test('CATALINA_LENS_WORKERS forces the count, whatever the cores, sizes and inputs', async () => {
    process.env.CATALINA_LENS_WORKERS = '2';
    expect(await workerCount(files, 4 * 1024, fast, Number.MAX_SAFE_INTEGER, 2)).toBe(2);
    process.env.CATALINA_LENS_WORKERS = '9';
    expect(await workerCount(files, 4 * 1024, fast, min, 2)).toBe(3);
    process.env.CATALINA_LENS_WORKERS = '0';
    expect(await workerCount(files, 4 * 1024, slow, min, 16)).toBe(0);
  });
});

describe('onBytePath: judged from the first lines, as the parser will', () => {
  const opts = { formats: grammars.formats };
  const oneLine = join(CORPUS, 'steady/tomcat1/catalina.out');

  test('a OneLineFormatter catalina.out is', async () => {
    expect(await onBytePath(oneLine, opts)).toBe(true);
    expect(await onBytePath(join(PUBLIC, 'isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log'), opts)).toBe(true);
  });

  test('JUL SimpleFormatter, JSON and a systemd journal copy are not', async () => {
    for (const f of ['simpleformatter-default/tomcat1/catalina.out', 'json/tomcat1/catalina.out', 'debian-systemdformatter/tomcat1/catalina.out']) {
      expect(await onBytePath(join(CORPUS, f), opts), f).toBe(false);
    }
    expect(await onBytePath(join(PUBLIC, 'yanwuyang-tomcat6-zh_CN-2L-JUL.log'), opts)).toBe(false);
  });

  test('gzip is not (it is inflated first), nor a file that cannot be read', async () => {
    const gz = join(dir, 'catalina.out.gz');
    writeFileSync(gz, gzipSync(readFileSync(oneLine)));
    expect(await onBytePath(gz, opts)).toBe(false);
    expect(await onBytePath(join(dir, 'missing.log'), opts)).toBe(false);
  });

  test('a UTF-8 byte order mark before the first line is skipped, as the parser skips it', async () => {
    // The first line of a real log is its only start line: with the mark read as text, no format matched.
    const bom = join(dir, 'bom.log');
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(readFileSync(oneLine, 'utf8').split('\n')[0] + '\n')]));
    expect(await onBytePath(bom, opts)).toBe(true);
    expect(await onBytePath(bom, { ...opts, encoding: 'gbk' })).toBe(false); // decoded line by line
  });

  test('without the fast path or the line scan, nothing is', async () => {
    expect(await onBytePath(oneLine, { ...opts, fastPath: false })).toBe(false);
    expect(await onBytePath(oneLine, { ...opts, all: true })).toBe(false);
    expect(await onBytePath(oneLine, { ...opts, lineScan: false })).toBe(false);
    process.env.CATALINA_LENS_LINE_SCAN = '0';
    expect(await onBytePath(oneLine, opts)).toBe(false);
  });

  test('on every log of the corpus, it says what the parser then does', async () => {
    let yes = 0;
    for (const f of corpusLogFiles()) {
      const parser = new InputParser({ file: f, node: 'n', formats: grammars.formats, events: grammars.events, tz: 'UTC' }, () => {});
      parser.push(readFileSync(f));
      parser.end();
      const sniffed = await onBytePath(f, opts);
      // The byte path with its kernel (a JUL log's kernel only finds its possible starts).
      const bytePath = parser.onBytes && parser.scanning;
      if (sniffed !== bytePath) {
        // Only a file of a few lines, which ends before the parser leaves its detection.
        expect(sniffed, f).toBe(true);
        expect(parser.stats.lines, f).toBeLessThan(2 * DEFAULT_DETECT_LINES);
      }
      if (bytePath) yes++;
    }
    expect(yes).toBeGreaterThan(10);
  });

  test('a forced --log-format decides', async () => {
    expect(await onBytePath(oneLine, { ...opts, logFormat: 'jul_simple' })).toBe(false);
  });

  test('a FIFO is not read from: what it holds stays for the parse', async () => {
    const fifo = join(dir, 'pipe.log');
    execFileSync('mkfifo', [fifo]);
    expect(await onBytePath(fifo, opts)).toBe(false);
  });
});

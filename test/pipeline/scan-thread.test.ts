// The scan thread (scan-thread.ts) reads and line-scans the rest of a large file on a second thread,
// and the parser walks the kernel's reports. Whatever the chunks hold (a partial line at the hand
// over, a line longer than a chunk, bytes that are not UTF-8, no last newline), the events and the
// accounting must be exactly those of reading the file on one thread.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InputParser } from '../../src/core/input-parser.js';
import { LineScanKernel } from '../../src/core/line-scan.js';
import type { ClusterEvent } from '../../src/core/types.js';
import { loadGrammarsSync } from '../../src/io/grammar-files.js';
import { expandInputs } from '../../src/io/inputs.js';
import { FileEventReader, parseFile, type ParseFileOptions } from '../../src/pipeline/parse-file.js';
import { collectEvents } from '../../src/pipeline/read-events.js';
import { SCAN_CHUNK_BYTES, scanThreadRunning, whenScanThreadReady } from '../../src/pipeline/scan-thread.js';
import { CORPUS, PUBLIC } from '../helpers/corpus.js';
import { openFiles } from '../helpers/open-files.js';

let dir: string;
const grammars = loadGrammarsSync();
const opts: ParseFileOptions = { formats: grammars.formats, events: grammars.events, tz: 'UTC' };

// Real logs: a noisy Tomcat 8.0 day (stack traces, JSP errors) and a cluster node's log, eight
// times over (~5.5 MiB): several chunks, cut mid-line.
const noisy = readFileSync(join(PUBLIC, 'isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log'));
const nodeLog = readFileSync(join(CORPUS, 'flapping/tomcat2/catalina.2026-11-26.log'));
const base = Buffer.concat(Array.from({ length: 8 }, () => [noisy, nodeLog]).flat());

/** Offset of the line start nearest after `at`. */
function lineAfter(buf: Buffer, at: number): number {
  return buf.indexOf(0x0a, at) + 1;
}

const cases: Record<string, () => Buffer> = {
  'whole lines of real logs': () => base,
  // Synthesised: one line longer than a chunk (and than the line cap), after the first MiB.
  'a line longer than a chunk': () => {
    const at = lineAfter(base, 1_300_000);
    return Buffer.concat([base.subarray(0, at), Buffer.from(`${'x'.repeat(SCAN_CHUNK_BYTES * 1.25)}\n`), base.subarray(at)]);
  },
  // A byte that is not UTF-8 in a message of the third MiB: that chunk is taken line by line.
  'a byte that is not UTF-8': () => {
    const copy = Buffer.from(base);
    const at = lineAfter(copy, 2_200_000);
    copy[copy.indexOf(0x20, at) + 1] = 0xff;
    return copy;
  },
  'no newline after the last line': () => base.subarray(0, base.length - 1),
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'catalina-lens-scan-thread-'));
  for (const [name, make] of Object.entries(cases)) writeFileSync(join(dir, `${name.replace(/\W+/g, '-')}.log`), make());
  // Loaded before the files are read, so that each is handed over after its first chunk.
  expect(await whenScanThreadReady()).toBe(true);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function inputOf(name: string) {
  const { inputs } = await expandInputs([join(dir, `${name.replace(/\W+/g, '-')}.log`)], {});
  return inputs[0];
}

describe('scan thread', () => {
  for (const name of Object.keys(cases)) {
    test(`gives one thread's events and accounting: ${name}`, async () => {
      const input = await inputOf(name);
      const reference = await parseFile(input, { ...opts, scanThread: false });
      const reader = new FileEventReader(input, { ...opts, scanThread: true, scanThreadMinBytes: 1 }, Number.POSITIVE_INFINITY);
      const events = (await reader.next()) ?? [];
      expect(reader.onScanThread).toBe(true);
      expect(reference.events.length).toBeGreaterThan(100);
      expect(events).toStrictEqual(reference.events);
      expect(reader.stats).toStrictEqual(reference.stats);
      expect(reader.error).toBeUndefined();
      expect(openFiles().filter((p) => p.startsWith(dir))).toEqual([]);
    });
  }

  test('files read one after another, and one closed early between them, give one thread\'s results (the thread keeps kernels for later files)', async () => {
    const names = Object.keys(cases);
    for (const name of [...names, ...names]) {
      const input = await inputOf(name);
      const early = new FileEventReader(input, { ...opts, scanThread: true, scanThreadMinBytes: 1 }, 1);
      while (!early.onScanThread && (await early.next()));
      await early.close();
      const reader = new FileEventReader(input, { ...opts, scanThread: true, scanThreadMinBytes: 1 }, Number.POSITIVE_INFINITY);
      const events = (await reader.next()) ?? [];
      expect(reader.onScanThread).toBe(true);
      const reference = await parseFile(input, { ...opts, scanThread: false });
      expect(events).toStrictEqual(reference.events);
      expect(reader.stats).toStrictEqual(reference.stats);
    }
  }, 60_000);

  test('a reader closed while the scan thread reads on closes its file', async () => {
    const input = await inputOf('whole lines of real logs');
    const reader = new FileEventReader(input, { ...opts, scanThread: true, scanThreadMinBytes: 1 }, 1);
    let batches = 0;
    while (!reader.onScanThread && (await reader.next())) batches++;
    expect(reader.onScanThread).toBe(true);
    expect(await reader.next()).toBeDefined();
    expect(openFiles().filter((p) => p.startsWith(dir))).toHaveLength(1);
    await reader.close();
    expect(openFiles().filter((p) => p.startsWith(dir))).toEqual([]);
    expect(batches).toBeGreaterThan(0);
  });

  test('a region with more reports than one kernel call holds: pushScanned(scanAll) is push', () => {
    // Cluster records back to back (each start a report of its own): ~11 000 reports in one region.
    const head = readFileSync(join(CORPUS, 'node-loss/tomcat1/catalina.out'));
    const region = Buffer.concat(Array.from({ length: 400 }, () => nodeLog));
    const run = (scanned: boolean) => {
      const events: ClusterEvent[] = [];
      const parser = new InputParser({ file: 'f', node: 'n', formats: grammars.formats, events: grammars.events, tz: 'UTC' }, (e) => void events.push(e));
      parser.push(head); // decides the format: the kernel is in use from here on
      const setup = parser.scanSetup!;
      expect(setup.holdingPartial).toBe(false);
      if (scanned) {
        const kernel = LineScanKernel.create(setup.plan, true)!;
        kernel.load(region);
        const scan = kernel.scanAll(setup.maxLineBytes);
        expect(scan.count).toBeGreaterThan(2 * 4096);
        parser.pushScanned(region, scan);
      } else parser.push(region);
      parser.end();
      return { events, stats: parser.stats };
    };
    const scanned = run(true);
    expect(scanned.events.length).toBeGreaterThan(4096);
    expect(scanned).toStrictEqual(run(false));
  });

  test('a stream dropped unfinished (no return()) does not keep the process alive', () => {
    // A child process that takes 10 events of 40 MiB and drops the iterator: it must exit by itself.
    const file = join(dir, 'forty.log');
    writeFileSync(file, Buffer.concat(Array.from({ length: Math.ceil((40 << 20) / base.length) }, () => base)));
    const root = join(import.meta.dirname, '../..');
    const script = `
      import { readEvents } from ${JSON.stringify(join(root, 'dist/index.js'))};
      import { whenScanThreadReady } from ${JSON.stringify(join(root, 'dist/pipeline/scan-thread.js'))};
      await whenScanThreadReady();
      const it = readEvents(${JSON.stringify(file)}, { tz: 'UTC' })[Symbol.asyncIterator]();
      for (let i = 0; i < 10; i++) await it.next();
      await new Promise((resolve) => setTimeout(resolve, 200)); // the scan thread reads on meanwhile
      console.log('took 10');`;
    // A script file: a script given with -e exits at its end even with a referenced worker.
    writeFileSync(join(dir, 'drop.mjs'), script);
    const r = spawnSync(process.execPath, [join(dir, 'drop.mjs')], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull(); // not killed at the timeout
    expect(r.stdout).toBe('took 10\n');
    expect(r.status).toBe(0);
  }, 30_000);

  test('a read that is done ends the scan thread, and the next large file starts another', async () => {
    // Over SCAN_THREAD_MIN_BYTES, so that collectEvents hands it to the thread.
    const file = join(dir, 'thirty-five.log');
    writeFileSync(file, Buffer.concat(Array.from({ length: Math.ceil((35 << 20) / base.length) }, () => base)));
    const reference = await collectEvents(file, { tz: 'UTC', scanThread: false });
    expect(scanThreadRunning()).toBe(false); // the earlier tests' thread: ended by that read
    for (let i = 0; i < 2; i++) {
      // Ready before the read (which would start it too), so that the file is handed over.
      expect(await whenScanThreadReady()).toBe(true);
      const r = await collectEvents(file, { tz: 'UTC' });
      expect(scanThreadRunning()).toBe(false);
      expect(r.events).toStrictEqual(reference.events);
      expect(r.inputs).toStrictEqual(reference.inputs);
    }
  }, 60_000);

  test('the option is checked like the others', async () => {
    await expect(collectEvents(dir, { scanThread: 'yes' as unknown as boolean })).rejects.toThrow(/Invalid option scanThread: must be true or false/);
  });
});

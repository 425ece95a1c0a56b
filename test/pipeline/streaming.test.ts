// The archive path streams: each node's events are pulled in batches (in-process or from worker
// threads) and merged as they come. Whatever the path, the events, their order and the accounting
// must be exactly those of reading every file whole and merging afterwards.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mergeBatches, mergeByTime } from '../../src/core/merge-events.js';
import type { ClusterEvent } from '../../src/core/types.js';
import { loadGrammarsSync } from '../../src/io/grammar-files.js';
import { expandInputs } from '../../src/io/inputs.js';
import { analyzeDetailed } from '../../src/pipeline/analyze.js';
import { AheadReader, FileEventReader, parseFile } from '../../src/pipeline/parse-file.js';
import { collectEvents, readEvents, streamEvents } from '../../src/pipeline/read-events.js';
import { selectNodeFiles } from '../../src/pipeline/select-files.js';
import { CORPUS } from '../helpers/corpus.js';
import { openFiles } from '../helpers/open-files.js';

let dir: string;
const corpus = (p: string): Buffer => readFileSync(join(CORPUS, p));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'catalina-lens-stream-'));
  const put = (p: string, data: Buffer): void => {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), data);
  };
  // Both copies of the same records: read whole, one copy picked.
  put('tomcat1/catalina.out', corpus('steady/tomcat1/catalina.out'));
  put('tomcat1/catalina.2026-11-26.log', corpus('steady/tomcat1/catalina.2026-11-26.log'));
  // Two dated files of one node: streamed one after the other.
  put('tomcat2/catalina.2026-11-25.log', corpus('state-timeout/tomcat1/catalina.out'));
  put('tomcat2/catalina.2026-11-26.log', corpus('node-loss/tomcat2/catalina.out'));
  // gzip, and a gzip cut short (read up to the cut, then an error).
  put('tomcat3/catalina.out.gz', gzipSync(corpus('flapping/tomcat1/catalina.2026-11-26.log')));
  const gz = gzipSync(corpus('node-loss/tomcat1/catalina.out'));
  put('tomcat4/catalina.out.gz', gz.subarray(0, Math.floor(gz.length * 0.7)));
  // Many batches: the same node log forty times over (times go back at each copy).
  put('tomcat5/catalina.out', Buffer.concat(Array.from({ length: 40 }, () => corpus('flapping/tomcat2/catalina.2026-11-26.log'))));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function withWorkers<T>(n: string, run: () => Promise<T>): Promise<T> {
  const prev = process.env.CATALINA_LENS_WORKERS;
  process.env.CATALINA_LENS_WORKERS = n;
  try {
    return await run();
  } finally {
    if (prev === undefined) delete process.env.CATALINA_LENS_WORKERS;
    else process.env.CATALINA_LENS_WORKERS = prev;
  }
}

/** The reference: every file read whole, one copy per node picked, then one k-way merge. */
async function wholeThenMerge(): Promise<ClusterEvent[]> {
  const grammars = loadGrammarsSync();
  const { inputs } = await expandInputs([dir], {});
  const files = [];
  for (const input of inputs) files.push(await parseFile(input, { formats: grammars.formats, events: grammars.events, tz: 'UTC' }));
  return mergeByTime(selectNodeFiles(files).map((n) => n.used.flatMap((f) => f.events)));
}

describe('streaming archive path', () => {
  test('workers and in-process give the events of whole files merged afterwards, with the same accounting', async () => {
    const reference = await wholeThenMerge();
    expect(reference.length).toBeGreaterThan(500);
    const single = await withWorkers('0', () => collectEvents(dir, { tz: 'UTC' }));
    const parallel = await withWorkers('2', () => collectEvents(dir, { tz: 'UTC' }));
    const three = await withWorkers('3', () => collectEvents(dir, { tz: 'UTC' }));
    expect(single.events).toStrictEqual(reference);
    for (const c of [parallel, three]) {
      expect(c.events).toStrictEqual(single.events);
      expect(c.inputs).toStrictEqual(single.inputs);
      expect(c.errors.map((e) => [e.code, e.message])).toEqual(single.errors.map((e) => [e.code, e.message]));
      expect(c.nodes.map((n) => [n.node, n.used.map((f) => f.input.path), n.skipped])).toEqual(
        single.nodes.map((n) => [n.node, n.used.map((f) => f.input.path), n.skipped]),
      );
      // Each file's own events are kept too, as collectEvents always did.
      expect(c.files.map((f) => f.events)).toStrictEqual(single.files.map((f) => f.events));
    }
    // The layout exercises every path: a copy skipped, a read error, several files of one node.
    expect(single.inputs.filter((i) => i.used === false)).toHaveLength(1);
    expect(single.errors).toHaveLength(1);
    expect(single.inputs.find((i) => i.file.endsWith('tomcat4/catalina.out.gz'))?.error).toMatch(/truncated/);
  }, 60_000);

  test('analyze without keeping events: the same snapshot, nothing kept', async () => {
    const kept = await withWorkers('0', () => analyzeDetailed(dir, { tz: 'UTC' }));
    const streamed = await withWorkers('0', () => analyzeDetailed(dir, { tz: 'UTC', keepEvents: false }));
    const parallel = await withWorkers('2', () => analyzeDetailed(dir, { tz: 'UTC', keepEvents: false }));
    expect(kept.collected.events.length).toBeGreaterThan(500);
    expect(streamed.snapshot).toStrictEqual(kept.snapshot);
    expect(parallel.snapshot).toStrictEqual(kept.snapshot);
    for (const r of [streamed, parallel]) {
      expect(r.collected.events).toEqual([]);
      // Only the files read whole to pick a copy keep their events.
      const withEvents = r.collected.files.filter((f) => f.events.length > 0).map((f) => f.input.path);
      expect(withEvents.every((p) => p.includes('/tomcat1/'))).toBe(true);
    }
  }, 60_000);

  test('a node read whole to pick a copy, past the events kept: the copy is read again, with the same result, and nothing held', async () => {
    const reference = await withWorkers('0', () => collectEvents(dir, { tz: 'UTC' }));
    for (const workers of ['0', '2']) {
      const kept: ClusterEvent[] = [];
      const all = await withWorkers(workers, () => streamEvents(dir, { tz: 'UTC' }, { event: (e) => void kept.push(e) }));
      const again: ClusterEvent[] = [];
      const reread = await withWorkers(workers, () => streamEvents(dir, { tz: 'UTC' }, { event: (e) => void again.push(e) }, false, 10));
      expect(kept).toStrictEqual(reference.events);
      expect(again).toStrictEqual(reference.events);
      expect(reread.inputs).toStrictEqual(reference.inputs);
      expect(reread.nodes.map((n) => [n.node, n.used.map((f) => f.input.path), n.skipped])).toEqual(
        reference.nodes.map((n) => [n.node, n.used.map((f) => f.input.path), n.skipped]),
      );
      // Kept within the limit, the events of the node read whole; past it, none.
      expect(all.files.filter((f) => f.events.length > 0).map((f) => f.input.path)).toHaveLength(2);
      expect(reread.files.filter((f) => f.events.length > 0)).toEqual([]);
    }
  }, 60_000);

  test('a copy read again over several chunks is not counted again: progress never goes back, and ends at the total', async () => {
    // Both copies of a node's records, each over 1 MiB (the corpus node log repeated).
    const big = mkdtempSync(join(tmpdir(), 'catalina-lens-reread-'));
    try {
      const times = 120;
      writeFileSync(join(big, 'catalina.out'), Buffer.concat(Array.from({ length: times }, () => corpus('steady/tomcat1/catalina.out'))));
      writeFileSync(join(big, 'catalina.2026-11-26.log'), Buffer.concat(Array.from({ length: times }, () => corpus('steady/tomcat1/catalina.2026-11-26.log'))));
      const total = statSync(join(big, 'catalina.out')).size + statSync(join(big, 'catalina.2026-11-26.log')).size;
      expect(total).toBeGreaterThan(2 * 1024 * 1024);
      const progress: number[] = [];
      const r = await streamEvents(big, { tz: 'UTC', onProgress: (read) => progress.push(read) }, { event: () => {} }, false, 10);
      expect(r.inputs.filter((i) => i.used)).toHaveLength(1);
      for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]);
      expect(progress.at(-1)).toBe(total);
    } finally {
      rmSync(big, { recursive: true, force: true });
    }
  }, 60_000);

  test('readEvents yields what collectEvents collects, in the same order, then the read error', async () => {
    for (const workers of ['0', '2']) {
      const reference = await withWorkers(workers, () => collectEvents(dir, { tz: 'UTC' }));
      const got: ClusterEvent[] = [];
      let thrown: unknown;
      await withWorkers(workers, async () => {
        try {
          for await (const ev of readEvents(dir, { tz: 'UTC' })) got.push(ev);
        } catch (err) {
          thrown = err;
        }
      });
      expect(got).toStrictEqual(reference.events);
      expect((thrown as Error).message).toBe(reference.errors[0].message);
    }
  }, 60_000);

  test('readEvents streams: a consumer that stops early stops the reading and leaves no file open', async () => {
    // Two nodes of 24 MB each (a corpus node log repeated): in-process, far more than is read ahead
    // (a few MiB a file). A worker may parse further ahead (up to 64 batches a file, by design).
    const big = mkdtempSync(join(tmpdir(), 'catalina-lens-early-'));
    try {
      const log = corpus('flapping/tomcat2/catalina.2026-11-26.log');
      for (const node of ['n1', 'n2']) {
        mkdirSync(join(big, node));
        writeFileSync(join(big, node, 'catalina.out'), Buffer.concat(Array.from({ length: 2400 }, () => log)));
      }
      const total = 2 * 2400 * log.length;
      for (const workers of ['0', '2']) {
        let read = 0;
        let taken = 0;
        await withWorkers(workers, async () => {
          for await (const ev of readEvents(big, { tz: 'UTC', onProgress: (r) => (read = r) })) {
            expect(ev.type).toBeTruthy();
            if (++taken === 10) break;
          }
        });
        expect(taken).toBe(10);
        if (workers === '0') expect(read).toBeLessThan(total / 4);
        expect(openFiles().filter((p) => p.startsWith(big))).toEqual([]);
      }
    } finally {
      rmSync(big, { recursive: true, force: true });
    }
  }, 60_000);

  test('a reader parsing ahead that is closed while its file is still being opened leaves it closed', async () => {
    const grammars = loadGrammarsSync();
    const path = join(dir, 'tomcat5/catalina.out');
    const input = { path, node: 'tomcat5', kind: 'console' as const, order: '' };
    const reader = new AheadReader(new FileEventReader(input, { formats: grammars.formats, events: grammars.events, tz: 'UTC' })).start();
    await reader.close();
    // The pump finishes the step it was in (the open, then a first read) before it stops. The open
    // may still be under way on the thread pool, where it shows up in /proc/self/fd whatever this
    // thread does: give it time to land, then wait for the file to be closed, up to 2 s.
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (let i = 0; i < 100 && openFiles().includes(path); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(openFiles().filter((p) => p === path)).toEqual([]);
  });

  test('since/until filter the streamed events as before', async () => {
    const all = await collectEvents(dir, { tz: 'UTC' });
    const times = all.events.flatMap((e) => (e.timeMs === undefined ? [] : [e.timeMs])).sort((a, b) => a - b);
    const since = times[Math.floor(times.length / 3)];
    const until = times[Math.floor((times.length * 2) / 3)];
    const expected = all.events.filter((e) => e.timeMs === undefined || (e.timeMs >= since && e.timeMs <= until));
    const got: ClusterEvent[] = [];
    await withWorkers('2', () => streamEvents(dir, { tz: 'UTC', since, until }, { event: (e) => void got.push(e) }));
    expect(got).toStrictEqual(expected);
  }, 60_000);

  test('onProgress: bytes read grow to the total size on disk', async () => {
    const { inputs } = await expandInputs([dir], {});
    const total = inputs.reduce((n, i) => n + statSync(i.path).size, 0);
    for (const workers of ['0', '2']) {
      const calls: [number, number][] = [];
      await withWorkers(workers, () => collectEvents(dir, { tz: 'UTC', onProgress: (r, t) => calls.push([r, t]) }));
      expect(calls[0]).toEqual([0, total]);
      expect(calls.every(([, t]) => t === total)).toBe(true);
      for (let i = 1; i < calls.length; i++) expect(calls[i][0]).toBeGreaterThanOrEqual(calls[i - 1][0]);
      // Everything but the gzip cut short (which ends in an error) is counted in full.
      const cut = statSync(join(dir, 'tomcat4/catalina.out.gz')).size;
      expect(calls.at(-1)![0]).toBeGreaterThanOrEqual(total - cut);
    }
  }, 60_000);
});

describe('mergeBatches', () => {
  /** A deterministic pseudo-random source. */
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }

  test('equals mergeByTime on the concatenated batches, whatever the batch sizes', async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = rng(seed);
      const lists: ClusterEvent[][] = Array.from({ length: 1 + Math.floor(r() * 5) }, (_, node) => {
        let t = Math.floor(r() * 20);
        return Array.from({ length: Math.floor(r() * 30) }, (_, line) => {
          const ev: ClusterEvent = { type: 'x', node: `n${node}`, file: 'f', line, message: '' };
          const roll = r();
          if (roll < 0.15) return ev; // no time: keeps its place after its predecessor
          if (roll < 0.2) ev.timeMs = Number.NaN;
          else {
            t += Math.floor(r() * 4) - (roll > 0.95 ? 10 : 0); // equal times, and clocks going back
            ev.timeMs = t;
          }
          return ev;
        });
      });
      const expected = mergeByTime(lists);
      const got: ClusterEvent[] = [];
      const sources = lists.map((l) => {
        let i = 0;
        return {
          next: async () => {
            if (i >= l.length) return undefined;
            const n = 1 + Math.floor(r() * 7);
            const b = l.slice(i, i + n);
            i += n;
            return b;
          },
        };
      });
      await mergeBatches(sources, (ev) => {
        got.push(ev);
      });
      expect(got).toStrictEqual(expected);
    }
  });
});

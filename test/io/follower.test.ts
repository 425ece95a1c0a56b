import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { appendFile, copyFile, mkdir, mkdtemp, open, rename, rm, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { follow, isFollowableLogFile, type FollowEvent, type Follower, type FollowOptions } from '../../src/io/follower.js';
import { isLogFileName } from '../../src/io/log-files.js';
import { LensError } from '../../src/core/errors.js';
import { CORPUS as CORPUS_DIR } from '../helpers/corpus.js';

// Real catalina.out lines, handed out in order so every write in a test is distinct.
const CORPUS = ['steady/tomcat1', 'steady/tomcat2', 'steady/tomcat3'].flatMap((node) =>
  readFileSync(join(CORPUS_DIR, node, 'catalina.out'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => `${line}\n`),
);
let cursor = 0;
function lines(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += CORPUS[cursor++ % CORPUS.length];
  return out;
}

const WAIT_MS = 15_000;

async function waitFor(what: string, cond: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** Collects a follower's events and checks per-generation contiguity as they arrive. */
class Collector {
  readonly events: FollowEvent[] = [];
  readonly done: Promise<void>;
  readonly #ends = new Map<string, number>();
  readonly problems: string[] = [];

  constructor(source: Follower | null) {
    this.done = source ? this.#consume(source) : Promise.resolve();
  }

  async #consume(source: Follower): Promise<void> {
    for await (const ev of source) this.push(ev);
  }

  push = (ev: FollowEvent): void => {
    this.events.push(ev);
    if (ev.kind === 'data') {
      const key = `${ev.file}#${ev.generation}`;
      const end = this.#ends.get(key) ?? -1;
      if (end !== -1 && end !== ev.offset) this.problems.push(`${key}: offset ${ev.offset} after end ${end}`);
      this.#ends.set(key, ev.offset + ev.data.length);
    }
  };

  text(file: string, generation: number): string {
    return Buffer.concat(
      this.events.flatMap((e) => (e.kind === 'data' && e.file === file && e.generation === generation ? [e.data] : [])),
    ).toString('utf8');
  }

  dataFiles(): Set<string> {
    return new Set(this.events.flatMap((e) => (e.kind === 'data' ? [e.file] : [])));
  }

  has(pred: (e: FollowEvent) => boolean): boolean {
    return this.events.some(pred);
  }

  index(pred: (e: FollowEvent) => boolean): number {
    return this.events.findIndex(pred);
  }

  lastIndex(pred: (e: FollowEvent) => boolean): number {
    for (let i = this.events.length - 1; i >= 0; i--) if (pred(this.events[i]!)) return i;
    return -1;
  }

  control(file: string): string[] {
    return this.events.flatMap((e) => {
      if (e.file !== file) return [];
      if (e.kind === 'opened') return [`opened:${e.generation}:${e.reason}`];
      if (e.kind === 'rotated' || e.kind === 'truncated' || e.kind === 'removed') return [`${e.kind}:${e.generation}`];
      if (e.kind === 'error') return [`error:${e.error.message}`];
      return [];
    });
  }
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'follower-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function start(paths: string[], opts: FollowOptions = {}): Promise<{ f: Follower; c: Collector }> {
  const f = follow(paths, opts);
  const c = new Collector(f);
  cleanups.push(async () => {
    await f.close();
    await c.done;
  });
  await f.ready;
  return { f, c };
}

async function writer(path: string): Promise<FileHandle> {
  const fh = await open(path, 'a');
  cleanups.push(() => fh.close().catch(() => {}));
  return fh;
}

describe('follow: starting point', () => {
  it('starts at the end of existing files by default and delivers appends exactly once', async () => {
    const dir = await tempDir();
    const file = join(dir, 'catalina.out');
    const existing = lines(5);
    await writeFile(file, existing);
    const { c } = await start([file]);
    expect(c.control(file)).toEqual(['opened:1:initial']);
    const w = await writer(file);
    let expected = '';
    for (let i = 0; i < 8; i++) {
      const chunk = lines(1 + (i % 3));
      expected += chunk;
      await w.write(chunk);
      if (i % 2 === 0) await waitFor('append', () => c.text(file, 1) === expected);
    }
    await waitFor('all appends', () => c.text(file, 1) === expected);
    expect(c.problems).toEqual([]);
    expect(c.events.find((e) => e.kind === 'data')).toMatchObject({ offset: Buffer.byteLength(existing) });
  });

  it('reads existing content first with fromStart, then follows', async () => {
    const dir = await tempDir();
    const file = join(dir, 'catalina.out');
    const existing = lines(12);
    await writeFile(file, existing);
    const { c } = await start([file], { fromStart: true });
    const more = lines(3);
    await appendFile(file, more);
    await waitFor('existing + appended', () => c.text(file, 1) === existing + more);
    expect(c.events.find((e) => e.kind === 'data')).toMatchObject({ offset: 0 });
    expect(c.control(file)).toEqual(['opened:1:initial']);
    expect(c.problems).toEqual([]);
  });

  it('initialTailBytes starts at a line start before the end', async () => {
    const dir = await tempDir();
    const file = join(dir, 'catalina.out');
    const head = lines(8);
    const tail = lines(2);
    await writeFile(file, head + tail);
    // 5 bytes into the third-last line: the follower moves forward to the next line start.
    const { c } = await start([file], { initialTailBytes: Buffer.byteLength(tail) + 5 });
    await waitFor('tail', () => c.text(file, 1) === tail);
    const more = lines(1);
    await appendFile(file, more);
    await waitFor('append after tail', () => c.text(file, 1) === tail + more);
    expect(c.events.find((e) => e.kind === 'data')).toMatchObject({ offset: Buffer.byteLength(head) });
  });

  it('splits nothing itself: a record written in two parts arrives as their concatenation', async () => {
    const dir = await tempDir();
    const file = join(dir, 'catalina.out');
    await writeFile(file, '');
    const { c } = await start([file]);
    const record = lines(1);
    const cut = Math.floor(record.length / 2);
    const w = await writer(file);
    await w.write(record.slice(0, cut));
    await waitFor('first part', () => c.text(file, 1) === record.slice(0, cut));
    await w.write(record.slice(cut));
    await waitFor('whole record', () => c.text(file, 1) === record);
    expect(c.events.filter((e) => e.kind === 'data').length).toBeGreaterThanOrEqual(2);
    expect(c.problems).toEqual([]);
  });

  it('reads in chunkSize pieces', async () => {
    const dir = await tempDir();
    const file = join(dir, 'catalina.out');
    await writeFile(file, '');
    const { c } = await start([file], { chunkSize: 100 });
    const big = lines(30);
    await appendFile(file, big);
    await waitFor('big append', () => c.text(file, 1) === big);
    const data = c.events.filter((e): e is Extract<FollowEvent, { kind: 'data' }> => e.kind === 'data');
    expect(data.every((e) => e.data.length <= 100)).toBe(true);
    expect(data.length).toBeGreaterThanOrEqual(Math.ceil(Buffer.byteLength(big) / 100));
    expect(c.problems).toEqual([]);
  });

  it('pauses reading for a slow consumer and resumes without losing bytes', async () => {
    const dir = await tempDir();
    const file = join(dir, 'catalina.out');
    const existing = lines(150);
    await writeFile(file, existing);
    const f = follow([file], { fromStart: true, chunkSize: 512, maxBufferedBytes: 2048 });
    cleanups.push(() => f.close());
    await f.ready; // must not wait for the consumer
    const c = new Collector(null);
    const it = f[Symbol.asyncIterator]();
    while (c.text(file, 1).length < existing.length) {
      const r = await it.next();
      if (r.done) break;
      c.push(r.value);
      await new Promise((res) => setImmediate(res));
    }
    expect(c.text(file, 1)).toBe(existing);
    expect(c.problems).toEqual([]);
  });
});

describe('follow: rotation', () => {
  it('rename rotation: drains the old file, including the writer\'s last line after the rename', async () => {
    const dir = await tempDir();
    const file = join(dir, 'catalina.out');
    await writeFile(file, lines(4));
    const { c } = await start([file], { rotationGraceMs: 1500 });
    const oldWriter = await writer(file);
    let old = lines(3);
    await oldWriter.write(old);
    await waitFor('before rotation', () => c.text(file, 1) === old);

    await rename(file, `${file}.1`);
    const last = lines(1);
    await oldWriter.write(last); // the writer has not reopened yet
    old += last;
    const fresh = lines(2);
    await writeFile(file, fresh);
    await waitFor('new generation', () => c.text(file, 2) === fresh);
    expect(c.text(file, 1)).toBe(old);
    expect(c.control(file)).toEqual(['opened:1:initial', 'rotated:1', 'opened:2:rotated']);
    const lastOld = c.lastIndex((e) => e.kind === 'data' && e.generation === 1);
    const rotated = c.index((e) => e.kind === 'rotated');
    const firstNew = c.index((e) => e.kind === 'data' && e.generation === 2);
    expect(lastOld).toBeLessThan(rotated);
    expect(rotated).toBeLessThan(firstNew);

    // A write to the old file after the new one is open still arrives, under generation 1.
    const late = lines(1);
    await oldWriter.write(late);
    const newer = lines(1);
    await appendFile(file, newer);
    await waitFor('late write to the rotated file', () => c.text(file, 1) === old + late);
    await waitFor('new file append', () => c.text(file, 2) === fresh + newer);
    expect(c.dataFiles()).toEqual(new Set([file]));
    expect(c.problems).toEqual([]);
  });

  it('directory with rotated names followed: a renamed file is recognised, never read twice', async () => {
    const dir = await tempDir();
    const file = join(dir, 'catalina.out');
    await writeFile(file, lines(2));
    const { c } = await start([dir], { filter: isLogFileName });
    const w1 = await writer(file);
    const a = lines(2);
    await w1.write(a);
    await waitFor('first', () => c.text(file, 1) === a);

    // logrotate without copytruncate, twice.
    await rename(file, `${file}.1`);
    const b = lines(1);
    await w1.write(b);
    const w2 = await writer(file);
    const d = lines(2);
    await w2.write(d);
    await waitFor('second generation', () => c.text(file, 2) === d);
    const late = lines(1);
    await w1.write(late); // reaches us through catalina.out.1's own change event
    await waitFor('late write via the renamed path', () => c.text(file, 1) === a + b + late);

    await rename(`${file}.1`, `${file}.2`);
    await rename(file, `${file}.1`);
    const e = lines(1);
    await w2.write(e);
    await writeFile(file, '');
    const w3 = await writer(file);
    const g = lines(2);
    await w3.write(g);
    await waitFor('third generation', () => c.text(file, 3) === g);
    await waitFor('second generation complete', () => c.text(file, 2) === d + e);
    expect(c.text(file, 1)).toBe(a + b + late);
    expect(c.dataFiles()).toEqual(new Set([file]));
    expect(c.events.filter((ev) => ev.kind === 'opened' && ev.file !== file)).toEqual([]);
    expect(c.control(file)).toEqual([
      'opened:1:initial',
      'rotated:1',
      'opened:2:rotated',
      'rotated:2',
      'opened:3:rotated',
    ]);
    expect(c.problems).toEqual([]);
  });

  it('copytruncate: the copy is not followed by default; the truncated file restarts at 0', async () => {
    const dir = await tempDir();
    const file = join(dir, 'catalina.out');
    await writeFile(file, '');
    const { c } = await start([dir]);
    const w = await writer(file); // O_APPEND, like `>> catalina.out`
    const a = lines(6);
    await w.write(a);
    await waitFor('before truncation', () => c.text(file, 1) === a);

    await copyFile(file, `${file}.1`);
    await truncate(file, 0);
    const b = lines(1);
    await w.write(b);
    await waitFor('after truncation', () => c.text(file, 2) === b);
    const more = lines(2);
    await w.write(more);
    await waitFor('appends after truncation', () => c.text(file, 2) === b + more);
    expect(c.control(file)).toEqual(['opened:1:initial', 'truncated:2']);
    expect(c.events.find((e) => e.kind === 'data' && e.generation === 2)).toMatchObject({ offset: 0 });
    expect(c.text(file, 1)).toBe(a);
    expect(c.dataFiles()).toEqual(new Set([file]));
    expect(c.problems).toEqual([]);
  });

  it('a deleted and re-created file is read from 0 as a new generation', async () => {
    const dir = await tempDir();
    const file = join(dir, 'catalina.out');
    await writeFile(file, lines(3));
    const { c } = await start([file]);
    const a = lines(2);
    await appendFile(file, a);
    await waitFor('first', () => c.text(file, 1) === a);

    await rm(file);
    await waitFor('removed', () => c.has((e) => e.kind === 'removed'));
    const b = lines(3);
    await writeFile(file, b);
    await waitFor('recreated', () => c.text(file, 2) === b);

    // Deleted and re-created at once (chokidar's atomic folds this into one 'change').
    await rm(file);
    const d = lines(2);
    await writeFile(file, d);
    await waitFor('recreated quickly', () => c.text(file, 3) === d);
    expect(c.control(file)).toEqual([
      'opened:1:initial',
      'removed:1',
      'opened:2:recreated',
      'removed:2',
      'opened:3:recreated',
    ]);
    expect(c.problems).toEqual([]);
  });
});

describe('follow: what is followed', () => {
  it('a directory follows new log files, one subdirectory level deep, and nothing else', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'node1'));
    const n1 = join(dir, 'node1', 'catalina.out');
    await writeFile(n1, lines(2));
    await writeFile(join(dir, 'catalina.out.1'), lines(2));
    const { c } = await start([dir]);
    expect(c.control(n1)).toEqual(['opened:1:initial']);

    const t3 = join(dir, 'tomcat3.out');
    const a = lines(2);
    await writeFile(t3, a);
    await mkdir(join(dir, 'node3'));
    const n3 = join(dir, 'node3', 'catalina.out');
    const b = lines(3);
    await writeFile(n3, b);
    await mkdir(join(dir, 'node4', 'deeper'), { recursive: true });
    await writeFile(join(dir, 'node4', 'deeper', 'catalina.out'), lines(1));
    await writeFile(join(dir, 'notes.txt'), lines(1));
    await writeFile(join(dir, 'catalina.out.2.gz'), lines(1));
    const c1 = lines(1);
    await appendFile(n1, c1);

    await waitFor('new files', () => c.text(t3, 1) === a && c.text(n3, 1) === b && c.text(n1, 1) === c1);
    const more = lines(1);
    await appendFile(n3, more);
    await waitFor('append to the new node', () => c.text(n3, 1) === b + more);
    expect(c.control(t3)).toEqual(['opened:1:created']);
    expect(c.control(n3)).toEqual(['opened:1:created']);
    expect([...c.dataFiles()].sort()).toEqual([n1, n3, t3].sort());
    expect(c.events.filter((e) => e.kind === 'opened').map((e) => e.file).sort()).toEqual([n1, n3, t3].sort());
    expect(c.problems).toEqual([]);
  });

  it('a file argument follows only that file, also when it appears later', async () => {
    const dir = await tempDir();
    const file = join(dir, 'node2.out');
    const { c } = await start([file]); // does not exist yet
    await writeFile(join(dir, 'catalina.out'), lines(2));
    const a = lines(2);
    await writeFile(file, a);
    await waitFor('created', () => c.text(file, 1) === a);
    expect(c.control(file)).toEqual(['opened:1:created']);
    expect(c.dataFiles()).toEqual(new Set([file]));
  });

  it('reports a directory that does not exist', async () => {
    const dir = await tempDir();
    const missing = join(dir, 'missing');
    const { c } = await start([join(missing, 'catalina.out')]);
    await waitFor('error event', () => c.has((e) => e.kind === 'error'));
    const ev = c.events.find((e) => e.kind === 'error');
    expect(ev).toMatchObject({ file: missing, error: { code: 'INPUT_NOT_FOUND' } });
  });

  it('follows several files in order per file', async () => {
    const d1 = await tempDir();
    const d2 = await tempDir();
    const f1 = join(d1, 'catalina.out');
    const f2 = join(d2, 'catalina.out');
    await writeFile(f1, '');
    await writeFile(f2, '');
    const { c } = await start([f1, f2]);
    const w1 = await writer(f1);
    const w2 = await writer(f2);
    let e1 = '';
    let e2 = '';
    for (let i = 0; i < 20; i++) {
      const x = lines(1);
      const y = lines(1);
      e1 += x;
      e2 += y;
      await w1.write(x);
      await w2.write(y);
    }
    await waitFor('both files', () => c.text(f1, 1) === e1 && c.text(f2, 1) === e2);
    expect(c.problems).toEqual([]);
  });

  it('the default filter drops numbered and compressed rotations', () => {
    expect(isFollowableLogFile('/l/catalina.out')).toBe(true);
    expect(isFollowableLogFile('/l/catalina.2013-11-05.log')).toBe(true);
    expect(isFollowableLogFile('/l/tomcat3.out')).toBe(true);
    expect(isFollowableLogFile('/l/catalina.out.1')).toBe(false);
    expect(isFollowableLogFile('/l/catalina.2013-11-05.log.gz')).toBe(false);
    expect(isFollowableLogFile('/l/notes.txt')).toBe(false);
  });
});

describe('follow: modes and lifecycle', () => {
  it('poll mode follows appends and a rename rotation', async () => {
    const dir = await tempDir();
    const file = join(dir, 'catalina.out');
    await writeFile(file, lines(2));
    const { c } = await start([file], { poll: true, pollIntervalMs: 50, rotationGraceMs: 500 });
    const w = await writer(file);
    const a = lines(2);
    await w.write(a);
    await waitFor('poll append', () => c.text(file, 1) === a);
    await rename(file, `${file}.1`);
    const b = lines(1);
    await w.write(b);
    const d = lines(2);
    await writeFile(file, d);
    await waitFor('poll rotation', () => c.text(file, 2) === d);
    expect(c.text(file, 1)).toBe(a + b);
    expect(c.control(file)).toEqual(['opened:1:initial', 'rotated:1', 'opened:2:rotated']);
    expect(c.problems).toEqual([]);
  });

  it('delivers to a callback when one is given', async () => {
    const dir = await tempDir();
    const file = join(dir, 'catalina.out');
    await writeFile(file, '');
    const c = new Collector(null);
    const f = follow([file], {}, c.push);
    cleanups.push(() => f.close());
    await f.ready;
    const a = lines(3);
    await appendFile(file, a);
    await waitFor('callback data', () => c.text(file, 1) === a);
    expect(() => f[Symbol.asyncIterator]()).toThrow(LensError);
  });

  it('close() ends the iteration and releases every fd', async () => {
    const dir = await tempDir();
    const file = join(dir, 'catalina.out');
    await writeFile(file, lines(2));
    const f = follow([dir], { rotationGraceMs: 60_000 });
    const c = new Collector(f);
    await f.ready;
    await rename(file, `${file}.1`); // leaves a rotated fd in its grace period
    await writeFile(file, lines(1));
    await waitFor('rotation', () => c.has((e) => e.kind === 'opened' && e.reason === 'rotated'));
    const openHere = (): string[] =>
      readdirSync('/proc/self/fd').flatMap((fd) => {
        try {
          const target = readlinkSync(`/proc/self/fd/${fd}`);
          return target.startsWith(dir) ? [target] : [];
        } catch {
          return [];
        }
      });
    expect(openHere().length).toBeGreaterThan(0);
    await f.close();
    await c.done; // the for-await loop ended
    await f.close(); // idempotent
    expect(openHere()).toEqual([]);
  });

  it('breaking out of for-await closes the follower', async () => {
    const dir = await tempDir();
    const file = join(dir, 'catalina.out');
    await writeFile(file, lines(3));
    const f = follow([file], { fromStart: true });
    for await (const ev of f) {
      if (ev.kind === 'data') break;
    }
    await f.close(); // already closed by the break: resolves at once
  });

  it('validates options up front', () => {
    expect(() => follow([])).toThrow(LensError);
    expect(() => follow(['x'], { chunkSize: 0 })).toThrow(/Invalid option chunkSize: must be an integer >= 1, got 0/);
    expect(() => follow(['x'], { poll: 'yes' as unknown as boolean })).toThrow(/Invalid option poll/);
    try {
      follow(['x'], { depth: -1 });
    } catch (err) {
      expect((err as LensError).code).toBe('INVALID_OPTION');
    }
  });
});

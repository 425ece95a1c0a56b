// The benchmark input generator: node files in time order, record text verbatim except for the
// timestamps at record starts, the same block grid on every node, and the requested sizes.

import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, sourceLogs, type Generated } from '../../benchmarks/generate.js';

const SIZE = 4 * 1024 * 1024;
const NODES = 3;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** A OneLineFormatter record start: `dd-MMM-yyyy HH:mm:ss.SSS LEVEL [thread] ...`. */
const START = /^(\d{2})-([A-Z][a-z]{2})-(\d{4}) (\d{2}):(\d{2}):(\d{2})\.(\d{3}) \S+ \[/;
const STAMP_AT_LINE_START = /^\d{2}-[A-Z][a-z]{2}-\d{4} \d{2}:\d{2}:\d{2}\.\d{3}(?= \S+ \[)/gm;

interface Rec {
  /** Offset in the text (latin1: one character per byte). */
  at: number;
  /** Time in ms, read as UTC. */
  t: number;
}

function recordStarts(text: string): Rec[] {
  const out: Rec[] = [];
  for (let at = 0; at < text.length; at = text.indexOf('\n', at) + 1 || text.length) {
    const m = START.exec(text.slice(at, at + 200));
    if (m) out.push({ at, t: Date.UTC(+m[3], MONTHS.indexOf(m[2]), +m[1], +m[4], +m[5], +m[6], +m[7]) });
  }
  return out;
}

/** The text with the 24-character timestamp of every record start replaced. */
function mask(text: string): string {
  return text.replace(STAMP_AT_LINE_START, '#'.repeat(24));
}

/** Largest step back in time between consecutive records. */
function maxStepBack(recs: Rec[]): number {
  let back = 0;
  for (let j = 1; j < recs.length; j++) back = Math.max(back, recs[j - 1].t - recs[j].t);
  return back;
}

function longestRecord(text: string): number {
  const recs = recordStarts(text);
  return recs.reduce((m, r, j) => Math.max(m, (recs[j + 1]?.at ?? text.length) - r.at), 0);
}

describe('benchmark input generator', () => {
  let dir: string;
  let g: Generated;
  let src: ReturnType<typeof sourceLogs>;
  let texts: string[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'catalina-lens-generate-'));
    g = generate({ bytesPerNode: SIZE, nodes: NODES, dir });
    src = sourceLogs();
    texts = g.files.map((f) => readFileSync(f, 'latin1'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes files of the requested size, short by less than one record', () => {
    const longest = Math.max(longestRecord(src.noise.toString('latin1')), ...[...src.scenarios.values()].flat().map((b) => longestRecord(b.toString('latin1'))));
    for (const f of g.files) {
      const size = statSync(f).size;
      expect(size).toBeLessThanOrEqual(SIZE);
      expect(SIZE - size).toBeLessThan(longest);
    }
    expect(g.bytes).toBe(g.files.reduce((n, f) => n + statSync(f).size, 0));
  });

  it('starts each file with a real day, verbatim, and puts the blocks after it', () => {
    const { start, stride, blocks } = g.timeline;
    expect(blocks).toBeGreaterThanOrEqual(3);
    expect(stride % 60_000).toBe(0);
    const lastOfDays = Math.max(...src.days.map((d) => Math.max(...recordStarts(d.toString('latin1')).map((r) => r.t))));
    expect(start).toBeGreaterThanOrEqual(lastOfDays + 3_600_000);
    texts.forEach((text, i) => {
      const day = src.days[i % src.days.length];
      expect(Buffer.from(text.slice(0, day.length), 'latin1').equals(day)).toBe(true);
      expect(START.test(text.slice(day.length, day.length + 200))).toBe(true);
    });
  });

  it('keeps every file in time order, up to the millisecond jitter of the real scenario logs', () => {
    const jitter = Math.max(...[...src.scenarios.values()].flat().map((b) => maxStepBack(recordStarts(b.toString('latin1')))));
    expect(jitter).toBeLessThan(10);
    for (const text of texts) {
      const recs = recordStarts(text);
      expect(recs.length).toBeGreaterThan(10_000);
      expect(maxStepBack(recs)).toBeLessThanOrEqual(jitter);
    }
  });

  it('changes nothing but the timestamps: each block is a whole scenario log, shifted, then cycled noise', () => {
    const { start, stride, blocks } = g.timeline;
    const noise = mask(src.noise.toString('latin1'));
    const cycledNoise = noise.repeat(Math.ceil((2 * SIZE) / noise.length));
    const scenarioNodes = [...src.scenarios.keys()].sort((a, b) => a - b);
    texts.forEach((text, i) => {
      const logs = src.scenarios.get(scenarioNodes[i % scenarioNodes.length])!.map((b) => b.toString('latin1'));
      const rest = text.slice(src.days[i % src.days.length].length);
      const recs = recordStarts(rest);
      expect(recs[0].at).toBe(0);
      for (let k = 0; k < blocks; k++) {
        const from = recs.findIndex((r) => r.t >= start + k * stride);
        const to = k + 1 < blocks ? recs.findIndex((r) => r.t >= start + (k + 1) * stride) : recs.length;
        expect(recs[from].t, `node ${i + 1} block ${k} start`).toBe(start + k * stride);
        if (k === 0) expect(from).toBe(0);
        const block = rest.slice(recs[from].at, to < recs.length ? recs[to].at : rest.length);
        const masked = mask(block);
        const log = logs.find((l) => masked.startsWith(mask(l)));
        expect(log, `node ${i + 1} block ${k} begins with a scenario log`).toBeDefined();
        // Intervals inside the scenario log are kept.
        const own = recordStarts(log!);
        const shift = start + k * stride - own[0].t;
        expect(recs.slice(from, from + own.length).map((r) => r.t - shift)).toEqual(own.map((r) => r.t));
        // Then whole noise records, cycled from the beginning, later than the scenario log.
        const tail = masked.slice(log!.length);
        expect(cycledNoise.startsWith(tail), `node ${i + 1} block ${k} noise`).toBe(true);
        expect(tail === '' || tail.endsWith('\n')).toBe(true);
        const noiseTimes = recs.slice(from + own.length, to).map((r) => r.t);
        const lastLog = Math.max(...recs.slice(from, from + own.length).map((r) => r.t));
        noiseTimes.forEach((t, j) => expect(t).toBeGreaterThan(j === 0 ? lastLog : noiseTimes[j - 1]));
      }
    });
  });

  it('covers the same time range on every node', () => {
    const { start, stride, blocks } = g.timeline;
    texts.forEach((text, i) => {
      const times = recordStarts(text.slice(src.days[i % src.days.length].length)).map((r) => r.t);
      expect(times[0]).toBe(start);
      expect(Math.max(...times)).toBeLessThan(start + blocks * stride);
      expect(Math.max(...times)).toBeGreaterThanOrEqual(start + (blocks - 1) * stride);
    });
  });

  it('reuses the files of the same parameters', () => {
    const mtimes = g.files.map((f) => statSync(f).mtimeMs);
    const again = generate({ bytesPerNode: SIZE, nodes: NODES, dir });
    expect(again).toEqual(g);
    expect(g.files.map((f) => statSync(f).mtimeMs)).toEqual(mtimes);
  });
});

// Generates a large, realistic multi-node archive from the real logs of the shared corpus, for the
// throughput and memory benchmark. Real catalina.out files are large and cluster records are a small
// fraction of them, so each node's file is:
//
//   - one real noisy full day first (the Tomcat 8.0 isaiasa logs, verbatim: restarts, cluster
//     start failures with their stack traces, lifecycle banners);
//   - then `blocks` blocks (the same number on every node) of: one real Tomcat 10.1 node log of a
//     corpus scenario (OneLineFormatter catalina.out: cluster and lifecycle records), followed by
//     about `noisePerBlock` bytes of the isaiasa logs' other records (connectors, deployments,
//     application loggers and their stack traces), cycled. The noise is cut a little shorter or
//     longer per node so that every node reaches its size with the same number of blocks; the last
//     block takes the remainder, cut at a record boundary.
//
// Only timestamps are edited: the `dd-MMM-yyyy HH:mm:ss.SSS` at the start of each record of the
// blocks (continuation lines and all other text stay verbatim, and the new timestamp has the same
// length). Copied verbatim, the pieces would jump back and forth in time (2019 noise, 2026
// scenarios, each repetition starting over), which no real catalina.out does and which defeats the
// time-ordered merge of nodes. So, with timestamps read as UTC:
//
//   - the first day keeps its times; block k of every node starts at `start + k × stride`, where
//     `start` is a whole hour at least one hour after the last record of every node's first day;
//   - the scenario log is shifted by a constant so that its first record is at the block start
//     (intervals inside it, and its own millisecond jitter, are kept);
//   - the noise records follow its last record, NOISE_STEP_MS apart;
//   - `stride` is the longest block span (scenario log plus noise) plus STRIDE_MARGIN_MS, rounded
//     up to a whole minute, so blocks never overlap and all nodes cover the same time range.
//
// Files go to a temporary directory (never the repository) and are reused by later runs with the
// same parameters.

import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isClusterLogger } from '../src/core/event-recogniser.js';

export const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));

export interface GenerateOptions {
  /** Bytes per node file. */
  bytesPerNode: number;
  nodes: number;
  /** Noise bytes between two scenario logs (about: see the header). Default 1 MiB. */
  noisePerBlock?: number;
  /** Directory to write into; default a directory under the OS temp dir named by the parameters. */
  dir?: string;
}

/** Where the blocks lie in time (epoch milliseconds, timestamps read as UTC). */
export interface Timeline {
  /** Start of block 0 (the first record of its scenario log). */
  start: number;
  /** Distance between two block starts. */
  stride: number;
  /** Blocks per node (the same on every node); all block records are before `start + blocks × stride`. */
  blocks: number;
}

export interface Generated {
  dir: string;
  files: string[];
  bytes: number;
  timeline: Timeline;
}

const ONE_LINE_START = /^\d{2}-[A-Z][a-z]{2}-\d{4} \d{2}:\d{2}:\d{2}\.\d{3} \S+ \[/;
/** ONE_LINE_START at a given position (sticky), for scanning a whole buffer. */
const ONE_LINE_AT = new RegExp(ONE_LINE_START.source.slice(1), 'y');
const LOGGER = /^\S+ \S+ \S+ \[.*?\] (\S+)\.[^\s.]+(?: |$)/;
/** Lifecycle loggers of grammars/events/lifecycle.json (their records are events, not noise). */
const LIFECYCLE = new Set(['StandardEngine', 'StandardServer', 'StandardService', 'Catalina', 'VersionLoggerListener']);

/** Length of `dd-MMM-yyyy HH:mm:ss.SSS`. */
const STAMP_LENGTH = 24;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Time between two noise records of a block. */
const NOISE_STEP_MS = 10;
/** Free time between the last record of a block and the next block start, at least. */
const STRIDE_MARGIN_MS = MINUTE;

/** Splits a OneLineFormatter log into records (a start line plus the lines that follow it). */
function records(text: string): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  for (const line of text.split('\n')) {
    if (ONE_LINE_START.test(line) && cur.length > 0) {
      out.push(`${cur.join('\n')}\n`);
      cur = [];
    }
    cur.push(line);
  }
  const last = cur.join('\n');
  if (last !== '') out.push(last.endsWith('\n') ? last : `${last}\n`);
  return out;
}

function isEventLogger(record: string): boolean {
  const m = LOGGER.exec(record.slice(0, record.indexOf('\n') >>> 0));
  if (!m) return false;
  const logger = m[1];
  return isClusterLogger(logger) || LIFECYCLE.has(logger.slice(logger.lastIndexOf('.') + 1));
}

export function sourceLogs(): { days: Buffer[]; noise: Buffer; scenarios: Map<number, Buffer[]> } {
  const pub = join(CORPUS, 'public');
  const dayFiles = readdirSync(pub)
    .filter((n) => n.startsWith('isaiasa-') && n.endsWith('.log'))
    .sort();
  const days = dayFiles.map((n) => readFileSync(join(pub, n)));
  const noise = Buffer.from(
    days
      .flatMap((d) => records(d.toString('utf8')))
      .filter((r) => ONE_LINE_START.test(r) && !isEventLogger(r))
      .join(''),
  );
  const scenarios = new Map<number, Buffer[]>();
  for (const s of readdirSync(CORPUS).sort()) {
    const dir = join(CORPUS, s);
    if (s === 'public' || !statSync(dir).isDirectory()) continue;
    for (const node of readdirSync(dir).sort()) {
      const m = /^tomcat(\d+)$/.exec(node);
      const file = join(dir, node, 'catalina.out');
      if (!m || !existsSync(file)) continue;
      const buf = readFileSync(file);
      if (!ONE_LINE_START.test(buf.subarray(0, 200).toString('utf8'))) continue; // OneLineFormatter only
      const list = scenarios.get(Number(m[1])) ?? [];
      list.push(buf.at(-1) === 0x0a ? buf : Buffer.concat([buf, Buffer.from('\n')]));
      scenarios.set(Number(m[1]), list);
    }
  }
  return { days, noise, scenarios };
}

/** A log with the offsets and times (ms, UTC) of its record starts. */
interface Timed {
  buf: Buffer;
  starts: number[];
  times: number[];
  /** Latest record time. */
  last: number;
}

function timed(buf: Buffer): Timed {
  const text = buf.toString('latin1'); // one character per byte: indices are byte offsets
  const starts: number[] = [];
  const times: number[] = [];
  for (let at = 0; at < text.length; at = text.indexOf('\n', at) + 1 || text.length) {
    ONE_LINE_AT.lastIndex = at;
    if (!ONE_LINE_AT.test(text)) continue;
    starts.push(at);
    times.push(readStamp(text, at));
  }
  return { buf, starts, times, last: times.reduce((a, b) => Math.max(a, b), -Infinity) };
}

function readStamp(text: string, at: number): number {
  const n = (from: number, len: number): number => Number(text.slice(at + from, at + from + len));
  const month = MONTHS.indexOf(text.slice(at + 3, at + 6));
  if (month < 0) throw new Error(`not an English month: ${JSON.stringify(text.slice(at, at + STAMP_LENGTH))}`);
  return Date.UTC(n(7, 4), month, n(0, 2), n(12, 2), n(15, 2), n(18, 2), n(21, 3));
}

/** Writes `dd-MMM-yyyy HH:mm:ss.SSS` (UTC) into `buf` at `at`; the date part is cached per day. */
function stamper(): (buf: Buffer, at: number, ms: number) => void {
  let day = Number.NaN;
  const date = Buffer.alloc(12);
  const two = (buf: Buffer, at: number, v: number): void => {
    buf[at] = 0x30 + ((v / 10) | 0);
    buf[at + 1] = 0x30 + (v % 10);
  };
  return (buf, at, ms) => {
    const d = Math.floor(ms / DAY);
    if (d !== day) {
      const t = new Date(d * DAY);
      const year = t.getUTCFullYear();
      if (year < 1000 || year > 9999) throw new Error(`timestamp out of range: ${t.toISOString()}`);
      date.write(`${String(t.getUTCDate()).padStart(2, '0')}-${MONTHS[t.getUTCMonth()]}-${year} `, 'latin1');
      day = d;
    }
    for (let i = 0; i < 12; i++) buf[at + i] = date[i];
    let r = ms - d * DAY;
    const h = (r / HOUR) | 0;
    r -= h * HOUR;
    const m = (r / MINUTE) | 0;
    r -= m * MINUTE;
    const s = (r / 1000) | 0;
    r -= s * 1000;
    two(buf, at + 12, h);
    buf[at + 14] = 0x3a;
    two(buf, at + 15, m);
    buf[at + 17] = 0x3a;
    two(buf, at + 18, s);
    buf[at + 20] = 0x2e;
    buf[at + 21] = 0x30 + ((r / 100) | 0);
    two(buf, at + 22, r % 100);
  };
}

/** Number of entries ≤ `limit` in the sorted `starts`. */
function atMost(starts: number[], limit: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid] <= limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The largest record start ≤ `limit` (≥ 0) in the sorted `starts` of a log, or 0. */
function cutAt(starts: number[], limit: number): number {
  const n = atMost(starts, limit);
  return n > 0 ? starts[n - 1] : 0;
}

interface Endless {
  /** The largest record start ≤ `limit`. */
  cut(limit: number): number;
  /** Number of records in the first `end` bytes, `end` being a record start. */
  records(end: number): number;
  /** The first `length` bytes. */
  take(length: number): Buffer;
  /** The record starts < `length`. */
  starts(length: number): number[];
}

/**
 * The noise repeated without end, as offsets: the noise consists of whole records, so it starts
 * with one and each repetition starts at a multiple of its length.
 */
function cyclic(noise: Timed): Endless {
  const len = noise.buf.length;
  return {
    cut: (limit) => Math.floor(limit / len) * len + cutAt(noise.starts, limit % len),
    records: (end) => Math.floor(end / len) * noise.starts.length + atMost(noise.starts, (end % len) - 1),
    take: (length) => {
      const buf = Buffer.alloc(length);
      for (let at = 0; at < length; at += len) noise.buf.copy(buf, at, 0, Math.min(len, length - at));
      return buf;
    },
    starts: (length) => {
      const out: number[] = [];
      for (let at = 0; at < length; at += len) for (const s of noise.starts) if (at + s < length) out.push(at + s);
      return out;
    },
  };
}

/** Writes all of `buf` (writeSync may write less than asked). */
function writeAll(fd: number, buf: Buffer): void {
  for (let at = 0; at < buf.length; ) at += writeSync(fd, buf, at);
}

interface Block {
  /** Index into the node's scenario logs, or -1. */
  log: number;
  /** Bytes of the scenario log written (all of it, except when the size cuts it). */
  logBytes: number;
  noiseBytes: number;
  /** Time from the first scenario record to the last noise record. */
  span: number;
}

/** Writes (or reuses) `nodes` files of `bytesPerNode` bytes: `<dir>/node<i>/catalina.out`. */
export function generate(opts: GenerateOptions): Generated {
  const noisePerBlock = opts.noisePerBlock ?? 1 << 20;
  const dir = opts.dir ?? join(tmpdir(), `catalina-lens-bench-${opts.nodes}x${opts.bytesPerNode}-${noisePerBlock}`);
  const files = Array.from({ length: opts.nodes }, (_, i) => join(dir, `node${i + 1}`, 'catalina.out'));
  const marker = join(dir, '.complete');
  const stamp = JSON.stringify({ v: 2, ...opts, noisePerBlock });
  if (existsSync(marker) && files.every((f) => existsSync(f))) {
    const [done, timeline] = readFileSync(marker, 'utf8').split('\n');
    if (done === stamp && timeline) {
      return { dir, files, bytes: files.reduce((n, f) => n + statSync(f).size, 0), timeline: JSON.parse(timeline) as Timeline };
    }
  }
  const src = sourceLogs();
  const noise = timed(src.noise);
  if (noise.starts[0] !== 0) throw new Error('the noise of the isaiasa logs must be whole OneLineFormatter records');
  const scenarioNodes = [...src.scenarios.keys()].sort((a, b) => a - b);
  const target = opts.bytesPerNode;
  const nodes = Array.from({ length: opts.nodes }, (_, i) => ({
    day: src.days[i % src.days.length],
    logs: (scenarioNodes.length > 0 ? src.scenarios.get(scenarioNodes[i % scenarioNodes.length])! : []).map(timed),
  }));

  // The same number of blocks on every node: the mean of what each node needs at ~noisePerBlock.
  const need = nodes.map(({ day, logs }) => {
    const meanLog = logs.reduce((n, l) => n + l.buf.length, 0) / Math.max(1, logs.length);
    return (target - day.length) / (noisePerBlock + meanLog);
  });
  const blocks = nodes.every((n) => n.day.length >= target) ? 0 : Math.max(1, Math.round(need.reduce((a, b) => a + b, 0) / need.length));
  const logAt = (logs: Timed[], k: number): number => (logs.length > 0 ? k % logs.length : -1);

  // Plan every block (sizes and spans) before writing, to choose one stride for all.
  const endless = cyclic(noise);
  const layouts = nodes.map(({ day, logs }) => {
    let logBytes = 0;
    for (let k = 0; k < blocks; k++) logBytes += logAt(logs, k) < 0 ? 0 : logs[logAt(logs, k)].buf.length;
    const piece = endless.cut(Math.max(0, Math.floor((target - day.length - logBytes) / Math.max(1, blocks))));
    const out: Block[] = [];
    let written = day.length;
    for (let k = 0; k < blocks; k++) {
      const li = logAt(logs, k);
      const log = li < 0 ? undefined : logs[li];
      const room = target - written;
      const logBytes = !log ? 0 : log.buf.length <= room ? log.buf.length : cutAt(log.starts, Math.max(0, room));
      const rest = endless.cut(Math.max(0, room - logBytes));
      // The last block takes the remainder (the pieces are cut short at a record boundary).
      const noiseBytes = k === blocks - 1 ? rest : Math.min(piece, rest);
      const logSpan = log && logBytes > 0 ? log.last - log.times[0] : -NOISE_STEP_MS;
      out.push({ log: li, logBytes, noiseBytes, span: logSpan + endless.records(noiseBytes) * NOISE_STEP_MS });
      written += logBytes + noiseBytes;
    }
    return out;
  });
  const lastOfDays = Math.max(...src.days.slice(0, opts.nodes).map((d) => timed(d).last));
  const start = Math.ceil((lastOfDays + HOUR) / HOUR) * HOUR;
  const longest = Math.max(0, ...layouts.flat().map((b) => b.span));
  const stride = Math.ceil((longest + STRIDE_MARGIN_MS) / MINUTE) * MINUTE;
  const timeline: Timeline = { start, stride, blocks };

  const write = stamper();
  let total = 0;
  for (let i = 0; i < opts.nodes; i++) {
    mkdirSync(join(dir, `node${i + 1}`), { recursive: true });
    const fd = openSync(files[i], 'w');
    const { day, logs } = nodes[i];
    writeAll(fd, day);
    let written = day.length;
    // Private copies whose timestamps are rewritten in place for each block (the other bytes never change).
    const logCopies = logs.map((l) => Buffer.from(l.buf));
    const noiseLength = Math.max(0, ...layouts[i].map((b) => b.noiseBytes));
    const noiseCopy = endless.take(noiseLength);
    const noiseStarts = endless.starts(noiseLength);
    layouts[i].forEach((b, k) => {
      const at = start + k * stride;
      let noiseFrom = at - NOISE_STEP_MS;
      if (b.log >= 0 && b.logBytes > 0) {
        const log = logs[b.log];
        const copy = logCopies[b.log];
        const shift = at - log.times[0];
        for (let j = 0; j < log.starts.length && log.starts[j] < b.logBytes; j++) write(copy, log.starts[j], log.times[j] + shift);
        writeAll(fd, copy.subarray(0, b.logBytes));
        noiseFrom = log.last + shift;
      }
      for (let j = 0; j < noiseStarts.length && noiseStarts[j] < b.noiseBytes; j++) write(noiseCopy, noiseStarts[j], noiseFrom + (j + 1) * NOISE_STEP_MS);
      if (b.noiseBytes > 0) writeAll(fd, noiseCopy.subarray(0, b.noiseBytes));
      written += b.logBytes + b.noiseBytes;
    });
    closeSync(fd);
    total += written;
  }
  writeFileSync(marker, `${stamp}\n${JSON.stringify(timeline)}`);
  return { dir, files, bytes: total, timeline };
}

/** `1G`, `256M`, `64k`, or a number of bytes. */
export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgG]?)i?[bB]?$/.exec(s.trim());
  if (!m) throw new Error(`not a size: ${JSON.stringify(s)} (use e.g. 256M, 1G)`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * unit);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const size = parseSize(process.argv[2] ?? '256M');
  const nodes = Number(process.argv[3] ?? 4);
  const g = generate({ bytesPerNode: size, nodes });
  const t = g.timeline;
  process.stdout.write(
    `${g.files.join('\n')}\n${(g.bytes / 1024 ** 2).toFixed(0)} MiB in ${g.dir}\n` +
      `${t.blocks} blocks per node from ${new Date(t.start).toISOString()}, every ${t.stride / MINUTE} min\n`,
  );
}

// Shared by the in-suite property tests (test/hardening/*.test.ts) and the long fuzz run
// (test/fuzz/run.ts): real corpus logs mutated at random, pushed through the library in-process,
// and the invariants every input must keep whatever its bytes.
//
// The mutated inputs are synthesised from real lines: every case starts from a window of a real
// catalina.out (../shared/corpus/<scenario>/<node>/catalina.out) or public/*.log and then has bytes
// flipped, lines cut, duplicated, reordered, joined, spliced from another format, escape sequences
// inserted, or the whole input truncated.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { ClusterModel } from '../../src/core/model/cluster-model.js';
import type { ClusterEvent, InputStats } from '../../src/core/types.js';
import { loadGrammarsSync, type Grammars } from '../../src/io/grammar-files.js';
import { createEventStream } from '../../src/pipeline/event-stream.js';
import { renderText } from '../../src/report/text.js';
import { formatEventLine } from '../../src/cli/event-line.js';
export { CORPUS } from '../helpers/corpus.js';
import { CORPUS } from '../helpers/corpus.js';


export interface CorpusFile {
  name: string;
  lines: Buffer[];
}

let corpusCache: CorpusFile[] | undefined;

/** Every real catalina.out of the corpus and every public/*.log, split into lines (without '\n'). */
export function corpusFiles(): CorpusFile[] {
  if (corpusCache) return corpusCache;
  const out: CorpusFile[] = [];
  const add = (path: string, name: string): void => {
    const buf = readFileSync(path);
    const lines: Buffer[] = [];
    let start = 0;
    for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a, start)) {
      lines.push(buf.subarray(start, nl));
      start = nl + 1;
    }
    if (start < buf.length) lines.push(buf.subarray(start));
    out.push({ name, lines });
  };
  for (const scenario of readdirSync(CORPUS, { withFileTypes: true })) {
    if (!scenario.isDirectory() || scenario.name === 'public') continue;
    for (const node of readdirSync(join(CORPUS, scenario.name), { withFileTypes: true })) {
      if (!node.isDirectory() || node.name === 'config') continue;
      const p = join(CORPUS, scenario.name, node.name, 'catalina.out');
      try {
        add(p, `${scenario.name}/${node.name}/catalina.out`);
      } catch {
        // a node directory without catalina.out
      }
    }
  }
  for (const f of readdirSync(join(CORPUS, 'public'))) if (f.endsWith('.log')) add(join(CORPUS, 'public', f), `public/${f}`);
  corpusCache = out.sort((a, b) => a.name.localeCompare(b.name));
  return corpusCache;
}

let grammarCache: Grammars | undefined;
export function grammars(): Grammars {
  return (grammarCache ??= loadGrammarsSync([]));
}

/** Escape sequences an attacker can get into a log through a logged request parameter. */
export const HOSTILE_SEQUENCES = [
  '\u001b[31m', // SGR
  '\u001b[2J\u001b[H', // CSI clear screen, cursor home
  '\u001b[10A', // CSI cursor up
  '\u001b]0;pwned\u0007', // OSC 0 window title
  '\u001b]8;;https://evil.example/\u001b\\click\u001b]8;;\u001b\\', // OSC 8 hyperlink
  '\u001bP1$qm\u001b\\', // DCS
  '\u009b6n', // C1 CSI
  '\u009d0;c1 title\u009c', // C1 OSC
  '\u202e', // RIGHT-TO-LEFT OVERRIDE
  '\u2066\u2069', // bidi isolates
  '\u0007\u0008\u007f', // BEL, BS, DEL
];

/** One mutation of a list of lines (`Buffer`s without '\n'). */
export type Mutation =
  | { kind: 'flip'; at: number; pos: number; byte: number }
  | { kind: 'insert-bytes'; at: number; pos: number; bytes: number[] }
  | { kind: 'insert-escape'; at: number; pos: number; seq: number }
  | { kind: 'cut'; at: number; from: number; to: number }
  | { kind: 'duplicate'; at: number; count: number }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'swap'; at: number; with: number }
  | { kind: 'reverse'; at: number; count: number }
  | { kind: 'join'; at: number }
  | { kind: 'splice'; at: number; file: number; from: number; count: number }
  | { kind: 'long-line'; at: number; length: number }
  | { kind: 'continuations'; at: number; count: number }
  | { kind: 'crlf'; at: number };

export interface FuzzCase {
  file: number;
  /** Window of the source file: first line and number of lines. */
  from: number;
  count: number;
  mutations: Mutation[];
  /** Chunk sizes the bytes are pushed in (cycled). */
  chunks: number[];
  /** Cut the final input at this fraction of its length (1 = no cut). */
  keep: number;
  /** Whether the last line ends with '\n'. */
  finalNewline: boolean;
  tz: string;
  maxLineBytes?: number;
}

const TZS = ['UTC', 'Australia/Sydney', 'America/New_York', 'Europe/Paris', 'Asia/Seoul'];

const idx = fc.nat({ max: 1_000_000 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: idx, pos: idx, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant('insert-bytes' as const),
    at: idx,
    pos: idx,
    bytes: fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 0x0d, 0x0a, 0x1b, 0xc2, 0x9b, 0xe2, 0x80, 0xff)), { maxLength: 12 }),
  }),
  fc.record({ kind: fc.constant('insert-escape' as const), at: idx, pos: idx, seq: fc.nat({ max: HOSTILE_SEQUENCES.length - 1 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: idx, from: idx, to: idx }),
  fc.record({ kind: fc.constant('duplicate' as const), at: idx, count: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: idx, count: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('swap' as const), at: idx, with: idx }),
  fc.record({ kind: fc.constant('reverse' as const), at: idx, count: fc.integer({ min: 2, max: 40 }) }),
  fc.record({ kind: fc.constant('join' as const), at: idx }),
  fc.record({ kind: fc.constant('splice' as const), at: idx, file: idx, from: idx, count: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constant('long-line' as const), at: idx, length: fc.integer({ min: 100, max: 20_000 }) }),
  fc.record({ kind: fc.constant('continuations' as const), at: idx, count: fc.integer({ min: 1, max: 3000 }) }),
  fc.record({ kind: fc.constant('crlf' as const), at: idx }),
);

export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.record(
  {
    file: idx,
    from: idx,
    count: fc.integer({ min: 0, max: 400 }),
    mutations: fc.array(mutation, { maxLength: 12 }),
    chunks: fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 5 }),
    keep: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
    finalNewline: fc.boolean(),
    tz: fc.constantFrom(...TZS),
    maxLineBytes: fc.option(fc.integer({ min: 16, max: 4096 }), { nil: undefined }),
  },
  { requiredKeys: ['file', 'from', 'count', 'mutations', 'chunks', 'keep', 'finalNewline', 'tz'] },
);

function pick<T>(list: T[], i: number): T {
  return list[i % list.length];
}

/** Applies a case's mutations to its window of real lines and returns the input's bytes. */
export function buildInput(c: FuzzCase): Buffer {
  const files = corpusFiles();
  const src = pick(files, c.file);
  const from = src.lines.length ? c.from % src.lines.length : 0;
  let lines: Buffer[] = src.lines.slice(from, from + c.count);
  for (const m of c.mutations) lines = mutate(lines, m, files);
  const joined = Buffer.concat(lines.flatMap((l, i) => (i < lines.length - 1 || c.finalNewline ? [l, NL] : [l])));
  return c.keep >= 1 ? joined : joined.subarray(0, Math.floor(joined.length * c.keep));
}

const NL = Buffer.from('\n');

function mutate(lines: Buffer[], m: Mutation, files: CorpusFile[]): Buffer[] {
  const n = lines.length;
  const at = n ? m.at % n : 0;
  const line = lines[at] ?? Buffer.alloc(0);
  const out = lines.slice();
  switch (m.kind) {
    case 'flip': {
      if (!line.length) return out;
      const copy = Buffer.from(line);
      copy[m.pos % copy.length] = m.byte;
      out[at] = copy;
      return out;
    }
    case 'insert-bytes':
    case 'insert-escape': {
      const bytes = m.kind === 'insert-bytes' ? Buffer.from(m.bytes) : Buffer.from(HOSTILE_SEQUENCES[m.seq], 'utf8');
      const pos = line.length ? m.pos % (line.length + 1) : 0;
      out[at] = Buffer.concat([line.subarray(0, pos), bytes, line.subarray(pos)]);
      if (!n) out.push(out[0]);
      return out;
    }
    case 'cut': {
      if (!line.length) return out;
      const a = m.from % line.length;
      const b = a + (m.to % (line.length - a + 1));
      out[at] = Buffer.concat([line.subarray(0, a), line.subarray(b)]);
      return out;
    }
    case 'duplicate':
      out.splice(at, 0, ...lines.slice(at, at + m.count));
      return out;
    case 'delete':
      out.splice(at, m.count);
      return out;
    case 'swap': {
      if (!n) return out;
      const j = m.with % n;
      [out[at], out[j]] = [out[j], out[at]];
      return out;
    }
    case 'reverse':
      out.splice(at, m.count, ...lines.slice(at, at + m.count).reverse());
      return out;
    case 'join':
      if (at + 1 >= n) return out;
      out.splice(at, 2, Buffer.concat([lines[at], lines[at + 1]]));
      return out;
    case 'splice': {
      const other = pick(files, m.file);
      const from = other.lines.length ? m.from % other.lines.length : 0;
      out.splice(at, 0, ...other.lines.slice(from, from + m.count));
      return out;
    }
    case 'long-line':
      out.splice(at, 0, Buffer.concat([line, Buffer.alloc(m.length, 'x')]));
      return out;
    case 'continuations': {
      const trace = Buffer.from('\tat org.apache.catalina.tribes.transport.nio.NioSender.read(NioSender.java:123)');
      out.splice(at + 1, 0, ...Array.from({ length: m.count }, () => trace));
      return out;
    }
    case 'crlf':
      if (!n) return out;
      out[at] = Buffer.concat([line, Buffer.from('\r')]);
      return out;
  }
}

/** Physical lines of `buf`: one per '\n', plus an unterminated last line. */
export function physicalLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) n++;
  if (buf.length > 0 && buf[buf.length - 1] !== 0x0a) n++;
  return n;
}

/** Characters that must never reach a terminal (newline aside, where the output is multi-line). */
// eslint-disable-next-line no-control-regex
export const UNSAFE_FOR_TERMINAL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export interface CaseResult {
  stats: InputStats;
  events: ClusterEvent[];
  physical: number;
}

/** Pushes `input` through createEventStream in the case's chunk sizes. */
export async function parseThroughStream(input: Buffer, c: Pick<FuzzCase, 'chunks' | 'tz' | 'maxLineBytes'>, fastPath?: boolean): Promise<CaseResult> {
  const stream = createEventStream({ grammarSet: grammars(), node: 'fuzz', file: 'fuzz.log', tz: c.tz, maxLineBytes: c.maxLineBytes, fastPath });
  const pieces: Buffer[] = [];
  for (let pos = 0, i = 0; pos < input.length; i++) {
    const size = c.chunks[i % c.chunks.length];
    pieces.push(input.subarray(pos, pos + size));
    pos += size;
  }
  const events: ClusterEvent[] = [];
  Readable.from(pieces, { objectMode: false }).pipe(stream);
  // A throwing parser errors the stream, which rejects this loop.
  for await (const ev of stream) events.push(ev as ClusterEvent);
  return { stats: stream.stats, events, physical: physicalLines(input) };
}

/** The invariants; returns a description of each one broken (empty: all hold). */
export function checkInvariants(r: CaseResult): string[] {
  const s = r.stats;
  const broken: string[] = [];
  if (s.lines !== s.recordLines + s.unparsed) broken.push(`lines ${s.lines} != recordLines ${s.recordLines} + unparsed ${s.unparsed}`);
  if (s.lines !== r.physical) broken.push(`lines ${s.lines} != physical lines ${r.physical}`);
  if (s.records > s.recordLines) broken.push(`records ${s.records} > recordLines ${s.recordLines}`);
  if (s.invalidUtf8 > s.lines || s.truncatedLines > s.lines) broken.push('invalidUtf8/truncatedLines above lines');
  const counted = Object.values(s.events).reduce((a, b) => a + b, 0);
  if (counted !== r.events.length) broken.push(`events counted ${counted} != emitted ${r.events.length}`);
  for (const ev of r.events) {
    if (typeof ev.line !== 'number' || ev.line < 1 || ev.line > s.lines) {
      broken.push(`event line ${ev.line} outside 1..${s.lines}`);
      break;
    }
    if (ev.timeMs !== undefined && !Number.isFinite(ev.timeMs)) {
      broken.push(`event timeMs ${ev.timeMs}`);
      break;
    }
    const line = formatEventLine(ev);
    if (UNSAFE_FOR_TERMINAL.test(line) || line.includes('\n')) {
      broken.push(`tail --text line not terminal-safe: ${JSON.stringify(line)}`);
      break;
    }
  }
  return broken;
}

/** Builds the model from the events and renders the text report: must not throw, must be terminal-safe. */
export function checkModel(r: CaseResult): string[] {
  const model = new ClusterModel({ nodes: [{ name: 'fuzz' }], version: 'fuzz' });
  model.updateInput(r.stats);
  for (const ev of r.events) model.apply(ev);
  const snap = model.snapshot();
  JSON.stringify(snap);
  const text = renderText(snap, { width: 100 });
  const bad = text.split('\n').find((l) => UNSAFE_FOR_TERMINAL.test(l));
  return bad === undefined ? [] : [`text report line not terminal-safe: ${JSON.stringify(bad)}`];
}

/** Runs one case: the invariants broken (empty when all hold). Throws only when the program throws. */
export async function runCase(c: FuzzCase): Promise<string[]> {
  const input = buildInput(c);
  const r = await parseThroughStream(input, c, true);
  const broken = [...checkInvariants(r), ...checkModel(r)];
  // The archive fast path (records classified on bytes) must account and recognise exactly as the
  // general path does.
  const slow = await parseThroughStream(input, c, false);
  const a = JSON.stringify({ ...r.stats, format: undefined });
  const b = JSON.stringify({ ...slow.stats, format: undefined });
  if (a !== b) broken.push(`fast path stats ${a} != general path ${b}`);
  else if (JSON.stringify(r.events) !== JSON.stringify(slow.events)) broken.push('fast path events differ from the general path');
  return broken;
}

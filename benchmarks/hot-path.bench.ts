// Hot-path micro-benchmark (tinybench): line framing, the byte-level prefilter (per line in
// JavaScript, and the WebAssembly line scan) and timestamp reading, each against a baseline of
// node:readline plus a naive regex; and the whole parser with and without each.
//
//   node --import tsx benchmarks/hot-path.bench.ts [--mib 32]
//
// Input: the first MiB of a generated node file (benchmarks/generate.ts: a real noisy day, corpus node
// logs and real non-cluster records), repeated to --mib MiB in memory; every task reads all of it.

import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { Bench } from 'tinybench';
import { createStartMatcher, LoggerFilter, OTHER_LOGGER, START } from '../src/core/cluster-prefilter.js';
import { InputParser } from '../src/core/input-parser.js';
import { LineFramer } from '../src/core/line-framer.js';
import { createScanPlan, LineScanKernel } from '../src/core/line-scan.js';
import { HeadTable } from '../src/core/start-heads.js';
import { TimeReader } from '../src/core/timestamp.js';
import { loadGrammarsSync } from '../src/io/grammar-files.js';
import { benchArgs } from './args.js';
import { generate, parseSize } from './generate.js';
import { readFileSync } from 'node:fs';

const values = benchArgs({ mib: { type: 'string', default: '32' } }, 'usage: node --import tsx benchmarks/hot-path.bench.ts [--mib 32]');
const g = generate({ bytesPerNode: parseSize('8M'), nodes: 1 });
const seed = readFileSync(g.files[0]).subarray(2 << 20, 3 << 20); // past the noisy day: steady-state mix
const piece = seed.subarray(0, seed.lastIndexOf(0x0a) + 1);
const data = Buffer.concat(Array.from({ length: Math.ceil((Number(values.mib) << 20) / piece.length) }, () => piece));
const CHUNK = 1 << 20;
const chunks: Buffer[] = [];
for (let i = 0; i < data.length; i += CHUNK) chunks.push(data.subarray(i, i + CHUNK));

const grammars = loadGrammarsSync();
const oneline = grammars.formats.find((f) => f.name === 'juli_oneline')!;
const matcher = createStartMatcher(oneline)!;
const loggers = new LoggerFilter(grammars.events);
const kernel = LineScanKernel.create(createScanPlan(matcher.signature!, HeadTable.of([])!, loggers.names)!)!;

// The naive baseline: readline lines, one regex for the start, one for cluster loggers.
const NAIVE_START = /^(\d{2}-\w{3}-\d{4} \d{2}:\d{2}:\d{2}\.\d{3}) (\S+) \[(.*?)\] ([^\s[\]]+)\.([^\s.]+)(?: (.*))?$/s;
const NAIVE_CLUSTER = /^org\.apache\.catalina\.(?:ha|tribes)\.|^o\.a\.c\.[ht]\./;

async function readlineLines(onLine: (l: string) => void): Promise<void> {
  const rl = createInterface({ input: Readable.from(chunks), crlfDelay: Infinity });
  for await (const l of rl) onLine(l);
}

// Timestamps as they come: the time text of every start line.
const times: string[] = [];
for (const c of chunks) {
  for (let s = 0; s < c.length; ) {
    const nl = c.indexOf(0x0a, s);
    const e = nl < 0 ? c.length : nl;
    if (matcher.match(c, s, e) === START) times.push(c.toString('latin1', s, s + 24));
    s = e + 1;
  }
}

const bench = new Bench({ time: 2000, warmupTime: 500 });
let sink = 0;

bench
  .add('framing: node:readline (baseline)', async () => {
    await readlineLines(() => sink++);
  })
  .add('framing: LineFramer, decoded lines', () => {
    const f = new LineFramer(() => sink++);
    for (const c of chunks) f.push(c);
    f.end();
  })
  .add('framing: LineFramer, raw byte ranges', () => {
    const f = new LineFramer(() => {}, { raw: () => sink++ });
    for (const c of chunks) f.push(c);
    f.end();
  })
  .add('prefilter: readline + naive regexes (baseline)', async () => {
    await readlineLines((l) => {
      const m = NAIVE_START.exec(l);
      if (m && NAIVE_CLUSTER.test(m[4])) sink++;
    });
  })
  .add('prefilter: byte start matcher + logger filter', () => {
    const f = new LineFramer(() => {}, {
      raw: (b, s, e) => {
        if (matcher.match(b, s, e) === START && loggers.kind(b, matcher.loggerStart, matcher.loggerEnd) !== OTHER_LOGGER) sink++;
      },
    });
    for (const c of chunks) f.push(c);
    f.end();
  })
  .add('prefilter: line-scan kernel (WebAssembly SIMD), reports only', () => {
    for (const c of chunks) {
      const region = c.subarray(0, c.lastIndexOf(0x0a) + 1);
      kernel.load(region);
      for (let from = 0; from < region.length; ) {
        const r = kernel.scan(from, 1 << 20);
        sink += r.count;
        from = r.resume;
      }
    }
  })
  .add('timestamps: new Date(naive reformat) (baseline)', () => {
    for (const t of times) sink += Date.parse(`${t.slice(3, 6)} ${t.slice(0, 2)} ${t.slice(7, 11)} ${t.slice(12)} UTC`) & 1;
  })
  .add('timestamps: TimeReader (compiled, cached by second)', () => {
    const r = new TimeReader(oneline.timestamp!, { tz: 'UTC' });
    for (const t of times) sink += r.read(t) & 1;
  })
  .add('whole parser: InputParser, fast path', () => {
    const p = new InputParser({ file: 'x', node: 'n', formats: grammars.formats, events: grammars.events, tz: 'UTC' }, () => sink++);
    for (const c of chunks) p.push(c);
    p.end();
  })
  .add('whole parser: InputParser, fast path without the line scan', () => {
    const p = new InputParser({ file: 'x', node: 'n', formats: grammars.formats, events: grammars.events, tz: 'UTC', lineScan: false }, () => sink++);
    for (const c of chunks) p.push(c);
    p.end();
  })
  .add('whole parser: InputParser, general path', () => {
    const p = new InputParser({ file: 'x', node: 'n', formats: grammars.formats, events: grammars.events, tz: 'UTC', fastPath: false }, () => sink++);
    for (const c of chunks) p.push(c);
    p.end();
  });

await bench.run();
const mib = data.length / 1024 ** 2;
console.log(`Node ${process.version}; ${mib.toFixed(0)} MiB, ${times.length} start lines per task\n`);
console.log('| task | ms per pass | MiB/s | ±% |');
console.log('|---|---:|---:|---:|');
for (const t of bench.tasks) {
  const r = t.result as { latency?: { mean: number; rme: number }; mean?: number; rme?: number } | undefined;
  const mean = r?.latency?.mean ?? r?.mean ?? NaN;
  const rme = r?.latency?.rme ?? r?.rme ?? NaN;
  const isTime = t.name.startsWith('timestamps');
  console.log(`| ${t.name} | ${mean.toFixed(1)} | ${isTime ? '-' : (mib / (mean / 1000)).toFixed(0)} | ${rme.toFixed(1)} |`);
}
if (sink === -1) console.log(sink);

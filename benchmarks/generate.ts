// Generates a large, realistic multi-node archive from the real logs of the shared corpus, for the
// throughput and memory benchmark. Real catalina.out files are large and cluster records are a small
// fraction of them, so each node's file is:
//
//   - one real noisy full day first (the Tomcat 8.0 isaiasa logs, verbatim: restarts, cluster
//     start failures with their stack traces, lifecycle banners);
//   - then, until the size is reached, blocks of: one real Tomcat 10.1 node log of a corpus
//     scenario (OneLineFormatter catalina.out: cluster and lifecycle records), followed by about
//     `noisePerBlock` bytes of the isaiasa logs' other records (connectors, deployments, application
//     loggers and their stack traces), cycled.
//
// Nothing is edited inside a record. Files go to a temporary directory (never the repository) and
// are reused by later runs with the same parameters.

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
  /** Noise bytes between two scenario logs. Default 1 MiB. */
  noisePerBlock?: number;
  /** Directory to write into; default a directory under the OS temp dir named by the parameters. */
  dir?: string;
}

export interface Generated {
  dir: string;
  files: string[];
  bytes: number;
}

const ONE_LINE_START = /^\d{2}-[A-Z][a-z]{2}-\d{4} \d{2}:\d{2}:\d{2}\.\d{3} \S+ \[/;
const LOGGER = /^\S+ \S+ \S+ \[.*?\] (\S+)\.[^\s.]+(?: |$)/;
/** Lifecycle loggers of grammars/events/lifecycle.json (their records are events, not noise). */
const LIFECYCLE = new Set(['StandardEngine', 'StandardServer', 'StandardService', 'Catalina', 'VersionLoggerListener']);

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

/** Writes (or reuses) `nodes` files of `bytesPerNode` bytes: `<dir>/node<i>/catalina.out`. */
export function generate(opts: GenerateOptions): Generated {
  const noisePerBlock = opts.noisePerBlock ?? 1 << 20;
  const dir = opts.dir ?? join(tmpdir(), `catalina-lens-bench-${opts.nodes}x${opts.bytesPerNode}-${noisePerBlock}`);
  const files = Array.from({ length: opts.nodes }, (_, i) => join(dir, `node${i + 1}`, 'catalina.out'));
  const marker = join(dir, '.complete');
  const stamp = JSON.stringify({ v: 1, ...opts, noisePerBlock });
  if (existsSync(marker) && readFileSync(marker, 'utf8') === stamp && files.every((f) => existsSync(f))) {
    return { dir, files, bytes: files.reduce((n, f) => n + statSync(f).size, 0) };
  }
  const { days, noise, scenarios } = sourceLogs();
  const scenarioNodes = [...scenarios.keys()].sort((a, b) => a - b);
  // Noise repeated into one large piece, so that blocks are written with few system calls.
  const noiseBlock = Buffer.alloc(noisePerBlock);
  for (let at = 0; at < noisePerBlock; at += noise.length) noise.copy(noiseBlock, at, 0, Math.min(noise.length, noisePerBlock - at));
  // Cut at a record boundary (the last line start before the end).
  const cut = lastRecordStart(noiseBlock);
  const noisePiece = noiseBlock.subarray(0, cut);
  let total = 0;
  for (let i = 0; i < opts.nodes; i++) {
    mkdirSync(join(dir, `node${i + 1}`), { recursive: true });
    const fd = openSync(files[i], 'w');
    let written = 0;
    const write = (b: Buffer): void => {
      writeSync(fd, b);
      written += b.length;
    };
    write(days[i % days.length]);
    const logs = scenarios.get(scenarioNodes[i % scenarioNodes.length]) ?? [];
    let k = 0;
    while (written < opts.bytesPerNode) {
      if (logs.length > 0) write(logs[k++ % logs.length]);
      const room = opts.bytesPerNode - written;
      write(room >= noisePiece.length ? noisePiece : noisePiece.subarray(0, lastRecordStart(noisePiece.subarray(0, room)) || room));
    }
    closeSync(fd);
    total += written;
  }
  writeFileSync(marker, stamp);
  return { dir, files, bytes: total };
}

/** Offset of the last OneLine record start in `buf` (a line beginning `dd-`), or 0. */
function lastRecordStart(buf: Buffer): number {
  for (let i = buf.length - 1; i > 0; i--) {
    if (buf[i - 1] === 0x0a && buf[i] >= 0x30 && buf[i] <= 0x39 && buf[i + 2] === 0x2d) return i;
  }
  return 0;
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
  process.stdout.write(`${g.files.join('\n')}\n${(g.bytes / 1024 ** 2).toFixed(0)} MiB in ${g.dir}\n`);
}

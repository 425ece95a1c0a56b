// Throughput, latency and memory of `catalina-lens tail --ndjson` on a directory of node logs
// that grow at a steady rate.
//
//   npx tsx benchmarks/tail.ts                      10 s at 10,000 lines/s over 3 nodes
//   npx tsx benchmarks/tail.ts --rate 20000 --seconds 30 --nodes 4
//   npx tsx benchmarks/tail.ts --minutes 10         soak: RSS sampled every 10 s
//   options: --rate N (lines/s, all nodes together), --seconds N | --minutes N, --nodes N (1-9),
//            --batch-ms N (write period, default 10), --cli PATH (default dist/cli/main.cjs), --json
//   BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir /tmp/prof' passes node flags to the CLI process.
//
// The writer appends real catalina.out lines from the shared corpus (JULI OneLineFormatter
// scenarios, cycled, never modified) to tomcatN/catalina.out, one write per node every batch-ms,
// and stamps each write's time. Which lines start a cluster event is known from the library
// itself (readEvents on one cycle of each node's lines), so each NDJSON event that comes back is
// matched by node and line number to the write that carried it: lost, duplicated and unexpected
// events, per-file order, and the delay from write to output. The delay of an event includes the
// wait for the next record's first line (a record is complete only when the next one starts).
// CPU time and peak RSS (VmHWM) of the CLI come from /proc/<pid>.

import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, readlinkSync, writeSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { benchArgs, usageError } from './args.js';
import { readEvents } from '../src/pipeline/read-events.js';
import { loadGrammarsSync } from '../src/io/grammar-files.js';

const ROOT = join(import.meta.dirname, '..');
const CORPUS = join(ROOT, '../shared/corpus');
/** Scenarios written with the JULI OneLineFormatter (one format per file, as in a real catalina.out). */
const SCENARIOS = ['steady', 'node-loss', 'state-timeout', 'flapping', 'flapping-readtest', 'multicast', 'verbose-cluster-fine'];

const USAGE = 'usage: npx tsx benchmarks/tail.ts [--rate N] [--seconds N | --minutes N] [--nodes 1-9] [--batch-ms N] [--cli PATH] [--json]';
const opt = benchArgs(
  {
    rate: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '10' },
    minutes: { type: 'string' },
    nodes: { type: 'string', default: '3' },
    'batch-ms': { type: 'string', default: '10' },
    cli: { type: 'string', default: join(ROOT, 'dist/cli/main.cjs') },
    json: { type: 'boolean', default: false },
  },
  USAGE,
);
const rate = Number(opt.rate);
const soak = opt.minutes !== undefined;
const durationMs = soak ? Number(opt.minutes) * 60_000 : Number(opt.seconds) * 1000;
const nodeCount = Number(opt.nodes);
const batchMs = Number(opt['batch-ms']);
if (!(rate > 0) || !(durationMs > 0) || !(nodeCount >= 1 && nodeCount <= 9) || !(batchMs >= 1)) {
  usageError('--rate, --seconds or --minutes and --batch-ms must be positive numbers, --nodes 1 to 9', USAGE);
}
const SAMPLE_MS = 10_000;
const DRAIN_MS = 15_000;

interface NodeSource {
  name: string;
  file: string;
  fd: number;
  /** One cycle of real lines, each with its newline. */
  cycle: string[];
  /** Cycle line numbers (1-based) that start a record yielding a cluster event, ascending. */
  eventLines: number[];
  /** eventLines index by cycle line number, -1 for others. */
  eventIndex: Int32Array;
  written: number;
  /** Per write: the first file line it carried and when it was written (performance.now()). */
  batchFirst: number[];
  batchTime: number[];
  /** Per expected event ordinal: times received. */
  seen: Uint8Array;
  lastLine: number;
  outOfOrder: number;
}

function cycleFor(i: number): string[] {
  const node = `tomcat${(i % 3) + 1}`;
  return SCENARIOS.filter((s) => existsSync(join(CORPUS, s, node, 'catalina.out'))).flatMap((s) =>
    readFileSync(join(CORPUS, s, node, 'catalina.out'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => `${l}\n`),
  );
}

function ticks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (USER_HZ = 100)
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const mb = (kb: number): string => `${(kb / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-tail-'));
  const grammarSet = loadGrammarsSync([]);
  const nodes: NodeSource[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const name = `tomcat${i + 1}`;
    const cycle = cycleFor(i);
    // Which cycle lines start an event: the library on a static copy of one cycle.
    const copy = join(dir, `cycle-${name}.log`);
    await writeFile(copy, cycle.join(''));
    const eventLines: number[] = [];
    for await (const ev of readEvents(copy, { node: name, tz: 'UTC', grammarSet })) eventLines.push(ev.line!);
    eventLines.sort((a, b) => a - b);
    const eventIndex = new Int32Array(cycle.length + 1).fill(-1);
    eventLines.forEach((l, k) => (eventIndex[l] = k));
    await mkdir(join(dir, name));
    const file = join(dir, name, 'catalina.out');
    await writeFile(file, '');
    nodes.push({
      name, file, fd: openSync(file, 'a'), cycle, eventLines, eventIndex, written: 0,
      batchFirst: [], batchTime: [], seen: new Uint8Array(1024), lastLine: 0, outOfOrder: 0,
    });
  }
  const byName = new Map(nodes.map((n) => [n.name, n]));

  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), opt.cli!, 'tail', '--ndjson', '--tz', 'UTC', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid!;
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  // Output: match each event to the write that carried its first line.
  const delays: number[] = [];
  let received = 0;
  let duplicates = 0;
  let unexpected = 0;
  const rl = createInterface({ input: child.stdout, crlfDelay: Infinity });
  rl.on('line', (text) => {
    const now = performance.now();
    received++;
    const ev = JSON.parse(text) as { node: string; line: number };
    const n = byName.get(ev.node);
    const len = n ? n.cycle.length : 0;
    const k = n ? n.eventIndex[((ev.line - 1) % len) + 1] : -1;
    if (!n || k < 0 || ev.line > n.written) {
      if (unexpected < 5 && process.env.BENCH_DEBUG) console.error('unexpected', text.slice(0, 300), n ? (ev.line - 1) % len + 1 : '');
      unexpected++;
      return;
    }
    if (ev.line <= n.lastLine) n.outOfOrder++;
    n.lastLine = ev.line;
    const ordinal = Math.floor((ev.line - 1) / len) * n.eventLines.length + k;
    if (ordinal >= n.seen.length) {
      const grown = new Uint8Array(Math.max(ordinal + 1, n.seen.length * 2));
      grown.set(n.seen);
      n.seen = grown;
    }
    if (n.seen[ordinal]++ > 0) {
      duplicates++;
      return;
    }
    // The write that carried line ev.line: the last batch whose first line is <= it.
    let lo = 0;
    let hi = n.batchFirst.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (n.batchFirst[mid] <= ev.line) lo = mid;
      else hi = mid - 1;
    }
    delays.push(now - n.batchTime[lo]);
  });

  // Ready: the CLI holds every node file open.
  const t0 = Date.now();
  for (;;) {
    let open: string[] = [];
    try {
      open = readdirSync(`/proc/${pid}/fd`).map((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          return '';
        }
      });
    } catch {
      // not started yet
    }
    if (nodes.every((n) => open.includes(n.file))) break;
    if (Date.now() - t0 > 30_000) throw new Error(`tail did not start: ${stderr}`);
    await sleep(20);
  }
  await sleep(300);
  const startupMs = Date.now() - t0;

  const rss: Array<{ s: number; kb: number }> = [];
  const ticks0 = ticks(pid);
  const start = performance.now();
  rss.push({ s: 0, kb: statusKb(pid, 'VmRSS') });
  let nextSample = SAMPLE_MS;
  let lines = 0;
  let bytes = 0;
  for (;;) {
    const elapsed = performance.now() - start;
    if (elapsed >= durationMs) break;
    const due = Math.floor((rate * Math.min(elapsed + batchMs, durationMs)) / 1000);
    // Spread the due lines over the nodes, one write per node.
    for (let i = 0; i < nodes.length && lines < due; i++) {
      const n = nodes[i];
      const share = Math.ceil((due - lines) / (nodes.length - i));
      let chunk = '';
      for (let j = 0; j < share; j++) chunk += n.cycle[(n.written + j) % n.cycle.length];
      n.batchFirst.push(n.written + 1);
      n.batchTime.push(performance.now());
      bytes += writeSync(n.fd, chunk);
      n.written += share;
      lines += share;
    }
    if (soak && elapsed >= nextSample) {
      rss.push({ s: Math.round(elapsed / 1000), kb: statusKb(pid, 'VmRSS') });
      if (!opt.json) console.error(`  ${Math.round(elapsed / 1000)} s: RSS ${mb(rss.at(-1)!.kb)}, ${received} events`);
      nextSample += SAMPLE_MS;
    }
    await sleep(Math.max(0, batchMs - ((performance.now() - start) % batchMs)));
  }
  const writeEnd = performance.now();

  // Expected: every event line written (the last record of each file comes after the idle flush).
  let expected = 0;
  for (const n of nodes) {
    const full = Math.floor(n.written / n.cycle.length);
    const rest = n.written % n.cycle.length;
    expected += full * n.eventLines.length + n.eventLines.filter((l) => l <= rest).length;
  }
  while (received - duplicates - unexpected < expected && performance.now() - writeEnd < DRAIN_MS) await sleep(20);
  const drainMs = performance.now() - writeEnd;
  const cpuS = (ticks(pid) - ticks0) / 100;
  const hwm = statusKb(pid, 'VmHWM');
  rss.push({ s: Math.round((performance.now() - start) / 1000), kb: statusKb(pid, 'VmRSS') });
  child.kill('SIGTERM');
  const code = await exited;
  for (const n of nodes) closeSync(n.fd);
  await rm(dir, { recursive: true, force: true });

  let lost = 0;
  for (const n of nodes) {
    const full = Math.floor(n.written / n.cycle.length);
    const rest = n.written % n.cycle.length;
    const count = full * n.eventLines.length + n.eventLines.filter((l) => l <= rest).length;
    for (let k = 0; k < count; k++) if (!n.seen[k]) lost++;
  }
  const sorted = Float64Array.from(delays).sort();
  const wallS = (writeEnd - start) / 1000;
  const result = {
    node: process.version,
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? '?'}`,
    nodes: nodeCount,
    rateTarget: rate,
    seconds: Math.round(wallS * 10) / 10,
    linesWritten: lines,
    bytesWritten: bytes,
    linesPerSecond: Math.round(lines / wallS),
    eventsExpected: expected,
    eventsReceived: received,
    lost,
    duplicates,
    unexpected,
    outOfOrder: nodes.reduce((s, n) => s + n.outOfOrder, 0),
    delayMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN },
    drainMs: Math.round(drainMs),
    startupMs,
    cliCpuSeconds: cpuS,
    cliCpuPercent: Math.round((cpuS / ((performance.now() - start) / 1000)) * 1000) / 10,
    cliPeakRssMB: Math.round(hwm / 102.4) / 10,
    rssMB: soak
      ? { start: rss[0].kb / 1024, end: rss.at(-1)!.kb / 1024, max: Math.max(...rss.map((r) => r.kb)) / 1024, samples: rss.map((r) => [r.s, Math.round(r.kb / 102.4) / 10]) }
      : undefined,
    exitCode: code,
    stderr: stderr.trim() || undefined,
  };
  if (opt.json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    const f = (x: number): string => x.toFixed(1);
    console.log(`tail --ndjson: ${nodeCount} nodes, ${rate} lines/s target, ${result.seconds} s (${result.node}, ${result.cpus})`);
    console.log(`  lines written     ${lines} (${result.linesPerSecond}/s, ${(bytes / 1048576).toFixed(1)} MiB)`);
    console.log(`  events            expected ${expected}, received ${received}, lost ${lost}, duplicates ${duplicates}, unexpected ${unexpected}, out of order ${result.outOfOrder}`);
    console.log(`  write → output    p50 ${f(result.delayMs.p50)} ms, p95 ${f(result.delayMs.p95)} ms, p99 ${f(result.delayMs.p99)} ms, max ${f(result.delayMs.max)} ms (drained ${result.drainMs} ms after the last write)`);
    console.log(`  CLI               CPU ${cpuS.toFixed(2)} s (${result.cliCpuPercent}% of one core), peak RSS ${mb(hwm)}, startup ${startupMs} ms, exit ${code}`);
    if (result.rssMB) console.log(`  RSS (every 10 s)  start ${f(result.rssMB.start)} MB, end ${f(result.rssMB.end)} MB, max ${f(result.rssMB.max)} MB`);
    if (result.stderr) console.log(`  stderr: ${result.stderr}`);
  }
  if (lost > 0 || duplicates > 0 || unexpected > 0 || result.outOfOrder > 0 || code !== 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

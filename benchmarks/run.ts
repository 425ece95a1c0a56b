// `npm run bench`: archive throughput and memory of catalina-lens against grep and lnav, on the same
// generated files in one run, plus start-up times.
//
//   node --import tsx benchmarks/run.ts [--size 256M] [--nodes 4] [--runs 3] [--huge] [--no-lnav] [--json]
//
// --size/--nodes: the generated archive (default 4 × 256 MiB, see generate.ts); --huge adds the
// 4 × 1 GiB run for the memory check, and one node whose catalina.out and dated log are copies
// (2 × 1 GiB, read whole to pick one). Each command runs `--runs` times after a warm-up read of the
// files (page cache), grep, analyze and events in turn run by run; the table shows the fastest run's
// wall time, the CPU time (user + sys) of that run, and the largest peak RSS of all runs (GNU time's
// %M: the whole process, worker threads included).
// catalina-lens runs from dist/ (run `npm run build` first).

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './args.js';
import { generate, parseSize } from './generate.js';
import { julCopies } from './jul-copy.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(ROOT, 'dist/cli/main.cjs');

interface Measure {
  name: string;
  wall: number;
  cpu: number;
  rssKb: number;
  bytes: number;
  note?: string;
  /** Not the section's input (another layout of it): no ratio to grep or lnav. */
  apart?: boolean;
}

const args = benchArgs(
  {
    size: { type: 'string', default: '256M' },
    nodes: { type: 'string', default: '4' },
    runs: { type: 'string', default: '3' },
    huge: { type: 'boolean', default: false },
    lnav: { type: 'boolean', default: true },
    'no-lnav': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
  'usage: node --import tsx benchmarks/run.ts [--size 256M] [--nodes 4] [--runs 3] [--huge] [--no-lnav] [--json]',
);

/** `env` is added to this process's environment; a variable set to undefined there is removed. */
function timed(cmd: string, argv: string[], env: NodeJS.ProcessEnv = {}): { wall: number; cpu: number; rssKb: number; out: string } {
  const merged = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete merged[k];
  const res = spawnSync('/usr/bin/time', ['-f', '@@TIME %e %U %S %M', cmd, ...argv], {
    env: merged,
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  const m = /@@TIME (\S+) (\S+) (\S+) (\d+)/.exec(res.stderr);
  if (!m) throw new Error(`${cmd} ${argv.join(' ')} failed: ${res.stderr.slice(-2000)}`);
  // grep -c exits 1 when nothing matched; anything else non-zero is a failure.
  if (res.status !== 0 && !(cmd === 'grep' && res.status === 1)) throw new Error(`${cmd} exited ${res.status}: ${res.stderr.slice(-2000)}`);
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssKb: Number(m[4]), out: res.stdout };
}

function best(name: string, bytes: number, runs: number, cmd: string, argv: string[], env?: NodeJS.ProcessEnv, check?: (out: string) => void): Measure {
  return bestInTurn([{ name, cmd, argv, env, check }], bytes, runs)[0];
}

interface Command {
  name: string;
  cmd: string;
  argv: string[];
  env?: NodeJS.ProcessEnv;
  check?: (out: string) => void;
}

/**
 * Each command's fastest run (and the largest peak RSS of its runs), the commands run in turn, run
 * by run: on this shared machine the load drifts over a minute, and commands compared by their
 * ratio should meet the same load.
 */
function bestInTurn(commands: Command[], bytes: number, runs: number): Measure[] {
  const out: Array<Measure | undefined> = commands.map(() => undefined);
  const rss = commands.map(() => 0);
  for (let i = 0; i < runs; i++) {
    commands.forEach((c, k) => {
      const r = timed(c.cmd, c.argv, c.env);
      c.check?.(r.out);
      rss[k] = Math.max(rss[k], r.rssKb);
      const b = out[k];
      if (!b || r.wall < b.wall) out[k] = { name: c.name, wall: r.wall, cpu: r.cpu, rssKb: 0, bytes };
    });
  }
  return out.map((m, k) => ({ ...m!, rssKb: rss[k] }));
}

/** `a / b` to two places; '-' when either is missing or b is too short to time (GNU time: 0.00). */
function ratio(a: number | undefined, b: number | undefined): string {
  return a && b ? (a / b).toFixed(2) : '-';
}

/** Events in an `analyze --json` report. */
function eventCount(json: string): number {
  const j = JSON.parse(json) as { counts: { events: Record<string, number> } };
  return Object.values(j.counts.events).reduce((a, b) => a + b, 0);
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** Installs the OneLineFormatter format for lnav if it is not there (see shared/tools/lnav/README.md). */
function lnavFormat(): boolean {
  const src = join(ROOT, '../shared/tools/lnav/tomcat_oneline.json');
  const dir = join(process.env.HOME ?? tmpdir(), '.lnav/formats/installed');
  const dest = join(dir, 'tomcat_oneline.json');
  if (existsSync(dest)) return true;
  if (!existsSync(src)) return false;
  execFileSync('mkdir', ['-p', dir]);
  writeFileSync(dest, readFileSync(src));
  return true;
}

/** `others`: the rows beyond the OneLine archive's own (JUL copy, lnav); the memory run leaves them out. */
function archive(bytesPerNode: number, nodes: number, runs: number, others: { lnav: boolean; jul: boolean; copies?: boolean }): Measure[] {
  const g = generate({ bytesPerNode, nodes });
  const files = g.files;
  execFileSync('sh', ['-c', `cat ${files.map((f) => `'${f}'`).join(' ')} > /dev/null`]); // page cache
  const out: Measure[] = [];
  let events = -1;
  out.push(
    ...bestInTurn(
      [
        // grep writes its counts to a pipe: with stdout on /dev/null GNU grep stops at the first match.
        { name: 'grep -c', cmd: 'grep', argv: ['-c', 'Replication member added', ...files] },
        {
          name: 'catalina-lens analyze --json',
          cmd: process.execPath,
          argv: [CLI, 'analyze', '--json', ...files],
          check: (o) => {
            events = eventCount(o);
          },
        },
        { name: 'catalina-lens events', cmd: process.execPath, argv: [CLI, 'events', ...files] },
      ],
      g.bytes,
      runs,
    ),
  );
  out[1].note = `${events} events`;
  // The same without the scan thread (scan-thread.ts): reads and line scan on the parsing thread.
  out.push(
    best('catalina-lens analyze --json (no scan thread)', g.bytes, runs, process.execPath, [CLI, 'analyze', '--json', ...files], {
      CATALINA_LENS_SCAN_THREAD: '0',
    }),
  );
  // The default is one thread on two cores (parallel.ts workerCount): this row is the other choice there.
  out.push(
    best('catalina-lens analyze --json (a worker thread too)', g.bytes, Math.max(1, runs - 1), process.execPath, [CLI, 'analyze', '--json', ...files], {
      CATALINA_LENS_WORKERS: '1',
    }),
  );
  out.push(
    best('catalina-lens analyze --json (1 thread, no line scan)', g.bytes, 1, process.execPath, [CLI, 'analyze', '--json', ...files], {
      CATALINA_LENS_LINE_SCAN: '0',
      CATALINA_LENS_WORKERS: '0',
    }),
  );
  out.push(
    best('catalina-lens analyze --json (1 thread, no fast path)', g.bytes, 1, process.execPath, [CLI, 'analyze', '--json', ...files], {
      CATALINA_LENS_FAST_PATH: '0',
      CATALINA_LENS_WORKERS: '0',
    }),
  );
  if (others.jul) julRow(files, out);
  if (others.copies) copiesRow(files[0], out);
  if (others.lnav && has('lnav') && lnavFormat()) {
    out.push(best('lnav (OneLineFormatter format)', g.bytes, Math.min(runs, 2), 'lnav', ['-n', '-c', ';SELECT count(*) FROM all_logs', ...files]));
  }
  return out;
}

/**
 * One node whose catalina.out and dated catalina.DATE.log hold the same records (Tomcat's console
 * and file handlers), made of hard links to `file`: the node is read whole to pick one copy, in
 * bounded memory. One run.
 */
function copiesRow(file: string, out: Measure[]): void {
  const dir = join(tmpdir(), 'catalina-lens-bench-copies', 'node1');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const names = ['catalina.out', 'catalina.2026-11-26.log'].map((n) => join(dir, n));
  for (const n of names) linkSync(file, n);
  try {
    out.push(best('catalina-lens analyze --json (one node: catalina.out and a dated copy)', 2 * statSync(file).size, 1, process.execPath, [CLI, 'analyze', '--json', dir]));
    out[out.length - 1].apart = true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same records written as JUL SimpleFormatter (jul-copy.ts): the path Tomcat 6/7 logs take. One run. */
function julRow(files: string[], out: Measure[]): void {
  const jul = julCopies(files);
  const bytes = jul.reduce((n, f) => n + statSync(f).size, 0);
  execFileSync('sh', ['-c', `cat ${jul.map((f) => `'${f}'`).join(' ')} > /dev/null`]); // page cache
  let events = -1;
  out.push(
    best('catalina-lens analyze --json (same records as JUL SimpleFormatter)', bytes, 1, process.execPath, [CLI, 'analyze', '--json', ...jul], {}, (o) => {
      events = eventCount(o);
    }),
  );
  out[out.length - 1].note = `${events} events`;
}

function startup(runs: number): Measure[] {
  const small = join(tmpdir(), 'catalina-lens-bench-1k.log');
  const corpus = readFileSync(join(ROOT, '../shared/corpus/steady/tomcat1/catalina.out'));
  writeFileSync(small, corpus.subarray(0, corpus.lastIndexOf(0x0a, 1024) + 1));
  const rows = (suffix: string, env: NodeJS.ProcessEnv): Command[] => [
    { name: `node -e "" (baseline)${suffix}`, cmd: process.execPath, argv: ['-e', ''], env },
    { name: `catalina-lens --version${suffix}`, cmd: process.execPath, argv: [CLI, '--version'], env },
    { name: `catalina-lens analyze --json (1 KB)${suffix}`, cmd: process.execPath, argv: [CLI, 'analyze', '--json', small], env },
  ];
  // Node reads and parses every certificate of NODE_EXTRA_CA_CERTS before running any JavaScript
  // (~80 ms for a 144-certificate bundle here): when it is set, the start-up is timed without it too.
  const ca = process.env.NODE_EXTRA_CA_CERTS;
  return bestInTurn(ca ? [...rows('', {}), ...rows(' (NODE_EXTRA_CA_CERTS unset)', { NODE_EXTRA_CA_CERTS: undefined })] : rows('', {}), 0, runs);
}

function table(title: string, rows: Measure[]): string {
  const grep = rows.find((r) => r.name.startsWith('grep'));
  const lnav = rows.find((r) => r.name.startsWith('lnav'));
  const mb = (r: Measure): number => r.bytes / 1024 ** 2;
  const lines = [
    `### ${title}`,
    '',
    '| command | wall s | CPU s | MiB/s | × grep | lnav ÷ this | peak RSS MiB | note |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.name} | ${r.wall.toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.bytes ? (mb(r) / Math.max(r.wall, 0.01)).toFixed(0) : '-'} | ` +
        `${ratio(r.bytes && !r.apart ? r.wall : 0, grep?.wall)} | ${ratio(r.bytes && !r.apart ? lnav?.wall : 0, r.wall)} | ` +
        `${(r.rssKb / 1024).toFixed(0)} | ${r.note ?? ''} |`,
    );
  }
  return lines.join('\n');
}

const runs = Number(args.runs);
const nodes = Number(args.nodes);
const size = parseSize(args.size!);
const withLnav = args.lnav && !args['no-lnav'];
const header =
  `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average at start ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;
const sections: [string, Measure[]][] = [[`archive: ${nodes} × ${args.size} (${header})`, archive(size, nodes, runs, { lnav: withLnav, jul: true })]];
if (args.huge) sections.push([`memory: ${nodes} × 1G`, archive(parseSize('1G'), nodes, 1, { lnav: false, jul: false, copies: true })]);
sections.push(['start-up', startup(Math.max(5, runs * 3))]);
if (args.json) process.stdout.write(`${JSON.stringify(sections, null, 2)}\n`);
else process.stdout.write(`${sections.map(([t, r]) => table(t, r)).join('\n\n')}\n`);

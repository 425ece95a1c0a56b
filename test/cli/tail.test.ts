// `catalina-lens tail` end to end: the real CLI (dist/) follows a temp directory while the test
// appends real corpus lines to it through rotation, copytruncate, deletion, a new node, split
// writes and a split JUL record. Expected events come from the library's readEvents on a static
// copy of what each file generation received; every one must arrive exactly once, in order.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { appendFile, copyFile, mkdir, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEvents } from '../../src/pipeline/read-events.js';
import { loadGrammarsSync, type Grammars } from '../../src/io/grammar-files.js';
import { formatEventLine } from '../../src/cli/event-line.js';
import type { ClusterEvent } from '../../src/core/types.js';
import { CORPUS } from '../helpers/corpus.js';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli/main.cjs');

/** A corpus file's lines, each with its newline; `lines(f)[n - 1]` is line n. */
const lines = (rel: string): string[] =>
  readFileSync(join(CORPUS, rel), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => `${l}\n`);
const range = (rel: string, from: number, to: number): string => lines(rel).slice(from - 1, to).join('');

let grammarSet: Grammars;
let work: string;

/** dist/ must be at least as new as src/: build it when it is not (npm test builds in pretest). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

beforeAll(async () => {
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < newestMtime(join(ROOT, 'src'))) {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
    execFileSync(process.execPath, [join(ROOT, 'scripts/bundle-cli.mjs')], { stdio: 'inherit' });
  }
  grammarSet = loadGrammarsSync([]);
  work = await mkdtemp(join(tmpdir(), 'tail-cli-'));
}, 180_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, cond: () => boolean, timeoutMs = 20_000, describe?: () => string): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}${describe ? `: ${describe()}` : ''}`);
    await sleep(25);
  }
}

/** A running `catalina-lens tail`. */
class Tail {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exit?: { code: number | null; signal: NodeJS.Signals | null };

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [CLI, 'tail', '--tz', 'UTC', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    this.child.stdout!.setEncoding('utf8').on('data', (s: string) => (this.stdout += s));
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => (this.stderr += s));
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
    running.add(this);
  }

  /** Complete output lines so far. */
  get lines(): string[] {
    const end = this.stdout.lastIndexOf('\n');
    return end < 0 ? [] : this.stdout.slice(0, end).split('\n');
  }

  get events(): ClusterEvent[] {
    return this.lines.map((l) => JSON.parse(l) as ClusterEvent);
  }

  /** The files the process holds open (Linux /proc). */
  openFiles(): string[] {
    const dir = `/proc/${this.child.pid}/fd`;
    const out: string[] = [];
    try {
      for (const fd of readdirSync(dir)) {
        try {
          out.push(readlinkSync(join(dir, fd)));
        } catch {
          // closed meanwhile
        }
      }
    } catch {
      // exited
    }
    return out;
  }

  /** Following has started: every existing file is open (its start offset fixed) and the watcher is up. */
  async ready(files: string[]): Promise<void> {
    await waitFor(
      'the follower to open the existing files',
      () => this.exit !== undefined || files.every((f) => this.openFiles().includes(f)),
      20_000,
      () => this.stderr,
    );
    if (this.exit) throw new Error(`tail exited early (${JSON.stringify(this.exit)}): ${this.stderr}`);
    await sleep(250); // the watcher's 'ready' follows the initial scan
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.exit) this.child.kill(signal);
    return this.exited;
  }
}

const running = new Set<Tail>();
afterEach(async () => {
  for (const t of running) {
    if (!t.exit) t.child.kill('SIGKILL');
    await t.exited;
  }
  running.clear();
});

/** What the test wrote to each file generation, under the name tail reports it by. */
class Written {
  readonly text = new Map<string, string>();
  readonly nodes = new Map<string, string>();

  add(key: string, node: string, text: string): void {
    this.text.set(key, (this.text.get(key) ?? '') + text);
    this.nodes.set(key, node);
  }

  /** The events the library reads from a static copy of each generation, by reported file name. */
  async expected(): Promise<Map<string, ClusterEvent[]>> {
    const out = new Map<string, ClusterEvent[]>();
    let i = 0;
    for (const [key, text] of this.text) {
      const dir = join(work, `static-${process.pid}-${i++}`);
      await mkdir(dir, { recursive: true });
      const file = join(dir, 'catalina.out');
      await writeFile(file, text);
      const events: ClusterEvent[] = [];
      for await (const ev of readEvents(file, { node: this.nodes.get(key)!, tz: 'UTC', grammarSet })) events.push({ ...ev, file: key });
      out.set(key, events);
    }
    return out;
  }
}

function byFile(events: ClusterEvent[]): Map<string, ClusterEvent[]> {
  const out = new Map<string, ClusterEvent[]>();
  for (const ev of events) {
    const list = out.get(ev.file!) ?? [];
    list.push(ev);
    out.set(ev.file!, list);
  }
  return out;
}

const total = (m: Map<string, ClusterEvent[]>): number => [...m.values()].reduce((n, l) => n + l.length, 0);

async function newDir(name: string): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

describe('catalina-lens tail', () => {
  it('delivers every event exactly once, in order per file, through rotation, copytruncate, deletion, a new node and split writes', async () => {
    const logs = await newDir('follow');
    const t1 = join(logs, 'tomcat1/catalina.out');
    const t2 = join(logs, 'tomcat2/catalina.out');
    const t3 = join(logs, 'tomcat3/catalina.out');
    const jul = join(logs, 'jul1/catalina.out');
    await mkdir(join(logs, 'tomcat1'));
    await mkdir(join(logs, 'tomcat2'));
    // Existing content: tail starts at the end, so none of it is reported.
    await writeFile(t1, range('steady/tomcat1/catalina.out', 1, 20));
    await writeFile(t2, range('steady/tomcat2/catalina.out', 1, 10));

    const tail = new Tail(['--ndjson', '--partial-ms', '1500', logs]);
    await tail.ready([t1, t2]);
    const written = new Written();
    let want = 0;
    const append = async (file: string, key: string, node: string, text: string): Promise<void> => {
      await appendFile(file, text);
      written.add(key, node, text);
    };
    /** Waits until everything written so far has come out (the last record of each file after the idle flush). */
    const settle = async (step: string): Promise<void> => {
      want = total(await written.expected());
      await waitFor(step, () => tail.lines.length >= want, 20_000, () => `${tail.lines.length} of ${want} events; stderr: ${tail.stderr}`);
    };

    // Appends to both existing files.
    await append(t1, t1, 'tomcat1', range('steady/tomcat1/catalina.out', 21, 48));
    await append(t2, t2, 'tomcat2', range('steady/tomcat2/catalina.out', 11, 45));
    await settle('appends');

    // A record split across two writes (cut inside the memberAdded line).
    const split = lines('steady/tomcat1/catalina.out')[49]!;
    await append(t1, t1, 'tomcat1', range('steady/tomcat1/catalina.out', 49, 49) + split.slice(0, 90));
    await sleep(150);
    await append(t1, t1, 'tomcat1', split.slice(90) + range('steady/tomcat1/catalina.out', 51, 58));
    await settle('the split record');

    // Rename rotation of tomcat1, then copytruncate of tomcat2.
    await rename(t1, `${t1}.1`);
    await append(t1, `${t1}#2`, 'tomcat1', range('node-loss/tomcat1/catalina.out', 1, 50));
    await copyFile(t2, `${t2}.1`);
    await truncate(t2, 0);
    await append(t2, `${t2}#2`, 'tomcat2', range('node-loss/tomcat2/catalina.out', 1, 20)); // shorter than before the cut
    await settle('rotation and copytruncate');
    await append(t2, `${t2}#2`, 'tomcat2', range('node-loss/tomcat2/catalina.out', 21, 60));
    await settle('appends after the copytruncate');

    // tomcat2 deleted and re-created; a new node appears; a JUL SimpleFormatter log appears.
    await rm(t2);
    await sleep(300);
    await append(t2, `${t2}#3`, 'tomcat2', range('node-loss/tomcat2/catalina.out', 61, 112));
    await mkdir(join(logs, 'tomcat3'));
    await append(t3, t3, 'tomcat3', range('node-loss/tomcat3/catalina.out', 1, 63));
    await mkdir(join(logs, 'jul1'));
    // Up to the SimpleTcpCluster memberAdded header (line 99); its message line comes after the idle flush.
    await append(jul, jul, 'jul1', range('simpleformatter-default/tomcat1/catalina.out', 1, 99));
    await settle('deletion, new node, JUL header');
    await sleep(1800); // an idle flush passes while the JUL header waits for its message line
    await append(jul, jul, 'jul1', range('simpleformatter-default/tomcat1/catalina.out', 100, 100));
    await settle('the JUL message line');
    await sleep(500); // nothing more may come

    const expected = await written.expected();
    const received = byFile(tail.events);
    expect([...received.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, events] of expected) expect(received.get(key), key).toEqual(events);
    expect(tail.lines.length).toBe(total(expected));
    // The JUL record was completed, not broken at its header.
    expect(received.get(jul)!.at(-1)).toMatchObject({ type: 'member-added', line: 99, logger: 'org.apache.catalina.ha.tcp.SimpleTcpCluster' });
    expect(tail.stderr).toBe('');

    expect(await tail.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  }, 60_000);

  it('--text prints one human-readable line per event', async () => {
    const logs = await newDir('text');
    const file = join(logs, 'tomcat1/catalina.out');
    await mkdir(join(logs, 'tomcat1'));
    await writeFile(file, '');
    const tail = new Tail(['--text', '--partial-ms', '300', logs]);
    await tail.ready([file]);
    const text = range('steady/tomcat1/catalina.out', 1, 58);
    await appendFile(file, text);
    const written = new Written();
    written.add(file, 'tomcat1', text);
    const expected = (await written.expected()).get(file)!;
    await waitFor('text lines', () => tail.lines.length >= expected.length, 20_000, () => tail.stdout);
    expect(tail.lines).toEqual(expected.map(formatEventLine));
    expect(await tail.stop('SIGINT')).toEqual({ code: 0, signal: null });
  }, 30_000);

  it('--fail-on timeout ends with exit 3 at the first state-transfer timeout', async () => {
    const logs = await newDir('fail-on');
    const file = join(logs, 'tomcat2/catalina.out');
    await mkdir(join(logs, 'tomcat2'));
    await writeFile(file, '');
    const tail = new Tail(['--ndjson', '--fail-on', 'timeout', '--partial-ms', '300', logs]);
    await tail.ready([file]);
    // state-timeout/tomcat2: the request at line 46, the SEVERE timeout at 47.
    await appendFile(file, range('state-timeout/tomcat2/catalina.out', 1, 45));
    await sleep(800);
    expect(tail.exit).toBeUndefined();
    await appendFile(file, range('state-timeout/tomcat2/catalina.out', 46, 48));
    const exit = await Promise.race([tail.exited, sleep(15_000).then(() => 'still running')]);
    expect(exit).toEqual({ code: 3, signal: null });
    expect(tail.events.map((e) => e.type)).toContain('state-transfer-timeout');
  }, 30_000);

  it('SIGTERM ends it with exit 0, the watcher closed and the pending record emitted', async () => {
    const logs = await newDir('sigterm');
    const file = join(logs, 'tomcat1/catalina.out');
    await mkdir(join(logs, 'tomcat1'));
    await writeFile(file, '');
    // A long partial-ms: the last record is still pending when the signal comes.
    const tail = new Tail(['--ndjson', '--partial-ms', '60000', logs]);
    await tail.ready([file]);
    expect(tail.openFiles()).toContain('anon_inode:inotify'); // one watcher, inotify (no polling)
    await appendFile(file, range('steady/tomcat1/catalina.out', 9, 40)); // 32 lines: the format is decided
    await waitFor('the first events', () => tail.lines.length >= 2);
    await sleep(300);
    expect(tail.events.map((e) => e.type)).toEqual(['engine-starting', 'cluster-starting']);
    // The process exits by itself (the CLI never calls process.exit): nothing is left open.
    const exit = await Promise.race([tail.stop('SIGTERM'), sleep(10_000).then(() => 'still running')]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(tail.events.map((e) => e.type)).toEqual(['engine-starting', 'cluster-starting', 'receiver-bound']);
    expect(tail.stderr).toBe('');
  }, 30_000);

  it('--lines N starts with the last N lines of each file; --from-start reads everything first', async () => {
    const logs = await newDir('lines');
    const a = join(logs, 'tomcat1/catalina.out');
    const b = join(logs, 'tomcat2/catalina.out');
    await mkdir(join(logs, 'tomcat1'));
    await mkdir(join(logs, 'tomcat2'));
    await writeFile(a, range('steady/tomcat1/catalina.out', 1, 51));
    await writeFile(b, range('steady/tomcat2/catalina.out', 1, 41));

    const tail = new Tail(['--ndjson', '--lines', '3', '--partial-ms', '300', logs]);
    await tail.ready([a, b]);
    const written = new Written();
    written.add(a, 'tomcat1', range('steady/tomcat1/catalina.out', 49, 51));
    written.add(b, 'tomcat2', range('steady/tomcat2/catalina.out', 39, 41));
    const more = range('steady/tomcat1/catalina.out', 52, 58);
    await appendFile(a, more);
    written.add(a, 'tomcat1', more);
    const expected = await written.expected();
    await waitFor('context and new events', () => tail.lines.length >= total(expected), 20_000, () => tail.stdout);
    await sleep(300);
    const received = byFile(tail.events);
    for (const [key, events] of expected) expect(received.get(key), key).toEqual(events);
    expect(tail.lines.length).toBe(total(expected));
    expect(await tail.stop('SIGINT')).toEqual({ code: 0, signal: null });

    const all = new Tail(['--ndjson', '--from-start', '--partial-ms', '300', logs]);
    await all.ready([a, b]);
    const whole = new Written();
    whole.add(a, 'tomcat1', readFileSync(a, 'utf8'));
    whole.add(b, 'tomcat2', readFileSync(b, 'utf8'));
    const tailEnd = range('steady/tomcat2/catalina.out', 42, 60);
    await appendFile(b, tailEnd);
    whole.add(b, 'tomcat2', tailEnd);
    const everything = await whole.expected();
    await waitFor('all events', () => all.lines.length >= total(everything), 20_000, () => all.stdout);
    await sleep(300);
    const got = byFile(all.events);
    for (const [key, events] of everything) expect(got.get(key), key).toEqual(events);
    expect(await all.stop()).toEqual({ code: 0, signal: null });
  }, 40_000);
});

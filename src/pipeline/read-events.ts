// The archive path shared by `events`, `analyze` and the library: resolve the inputs, parse each
// file, pick one copy of overlapping files per node, merge all nodes' events into one time order.
// The merge pulls each node's events as it needs them (streamEvents), so a caller that does not keep
// them (analyze, events) holds only a few batches per node.

import type { Readable } from 'node:stream';
import { LensError } from '../core/errors.js';
import { mergeBatches, type EventBatches } from '../core/merge-events.js';
import { emptyInputStats, type ClusterEvent, type InputStats } from '../core/types.js';
import { loadGrammarsSync, type Grammars } from '../io/grammar-files.js';
import { expandInputs, type InputFile } from '../io/inputs.js';
import { AheadReader, FileEventReader, type EventReader, type ParsedFile, type ParseFileOptions } from './parse-file.js';
import { onBytePath } from './byte-path.js';
import { sizeOf, WorkerPool, workerCount } from './parallel.js';
import { SCAN_THREAD_MIN_BYTES, scanThreadDefault, scanThreadReady, stopIdleScanThread } from './scan-thread.js';
import { chooseCopy, CopySummary, type NodeFiles } from './select-files.js';
import { parserOptions, validateReadOptions, type ReadOptions } from './options.js';

export interface Collected {
  grammars: Grammars;
  files: ParsedFile[];
  nodes: NodeFiles[];
  /** Every used input's events, merged across nodes in time order and filtered by since/until. */
  events: ClusterEvent[];
  /** Per input accounting, with `used` and `note` filled in. */
  inputs: InputStats[];
  /** Arguments that named nothing readable, and inputs that could not be read (to their end). */
  errors: LensError[];
}

/** What `streamEvents` hands on as it goes. */
export interface EventSink {
  /**
   * Before the first event: the nodes in order, and each input's accounting so far in input order
   * (file, node and `used` are final; the counts of files still being read are not).
   */
  start?(nodes: string[], inputs: InputStats[]): void;
  /**
   * Each event, in time order across nodes, filtered by since/until. A promise returned holds the
   * merge (and so the reading) until it settles; one that rejects, or a throw, stops it: the files
   * still open are closed and streamEvents rejects with that error.
   */
  event(ev: ClusterEvent): void | Promise<void>;
}

export async function collectEvents(paths: string | string[], options: ReadOptions = {}): Promise<Collected> {
  const events: ClusterEvent[] = [];
  const collected = await streamEvents(
    paths,
    options,
    {
      event: (ev) => {
        events.push(ev);
      },
    },
    true,
  );
  collected.events = events;
  return collected;
}

/**
 * Events of nodes read whole first (below) kept to be merged without reading those files again;
 * past this many, none are kept and the files chosen are read again. ~2.5 KB each in memory (20 000
 * raised the peak of a 4 GiB node by ~50 MB); a day of a real cluster has hundreds.
 */
export const WHOLE_READ_EVENTS_KEPT = 5_000;

/**
 * The archive path without keeping the events: each node's files are read as the merge needs their
 * events (in worker threads for large archives, a few batches ahead), and every merged event goes
 * to `sink` at once, so memory does not grow with the input. The result's `events` is empty, and so
 * is each file's `events` unless `keepFileEvents`. A node that has both a console file and dated
 * files is read whole first, to find out whether they are copies of each other (select-files.ts,
 * in bounded memory); its events are kept for the merge up to WHOLE_READ_EVENTS_KEPT, and past that
 * the files chosen are read a second time, as the merge needs their events.
 */
export async function streamEvents(
  paths: string | string[],
  options: ReadOptions,
  sink: EventSink,
  keepFileEvents = false,
  wholeReadEventsKept = WHOLE_READ_EVENTS_KEPT,
): Promise<Collected> {
  const opts = validateReadOptions(options);
  const list = typeof paths === 'string' ? [paths] : paths;
  const nodeArgs = { ...opts.nodes };
  if (opts.node && list.length === 1) nodeArgs[opts.node] = list[0];
  // An argument that names nothing is reported in `errors`; the other arguments are still read.
  const { inputs, errors: notFound } = await expandInputs(list, { nodes: nodeArgs });
  const sizes = await Promise.all(inputs.map((i) => (i.path === '-' ? 0 : sizeOf(i.path))));
  const grammars = opts.grammarSet ?? loadGrammarsSync(opts.grammars ?? []);
  const parseOpts: ParseFileOptions = { ...parserOptions(opts, grammars), stdin: opts.stdin as Readable | undefined, scanThread: false };
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  const readBytes = inputs.map(() => 0);
  let readTotal = 0;
  const index = new Map(inputs.map((input, i) => [input, i]));
  const onBytes = (input: InputFile, bytes: number): void => {
    const i = index.get(input)!;
    if (bytes <= readBytes[i]) return; // a file read a second time: its bytes are counted
    readTotal += bytes - readBytes[i];
    readBytes[i] = bytes;
    opts.onProgress?.(readTotal, totalBytes);
  };
  opts.onProgress?.(0, totalBytes);

  // Each node's files, in input order; a node with both a console file and dated files is read whole first.
  const byNode = new Map<string, number[]>();
  inputs.forEach((input, i) => {
    const l = byNode.get(input.node) ?? [];
    l.push(i);
    byNode.set(input.node, l);
  });
  const bothKinds = (l: number[]): boolean => l.some((i) => inputs[i].kind === 'console') && l.some((i) => inputs[i].kind === 'dated');
  const files: ParsedFile[] = inputs.map((input) => ({ input, stats: emptyInputStats(input.path, input.node), events: [] }));

  // Several large files: worker threads, each parsing whole nodes or whole files, and this thread
  // parsing its own share (slot `workers`).
  const units = [...byNode.values()].flatMap((l) => (bothKinds(l) ? l.map((i) => [i]) : [l]));
  const fast = (input: InputFile): Promise<boolean> => onBytePath(input.path, parseOpts);
  const workers = opts.grammarSet || units.length < 2 ? 0 : Math.min(await workerCount(inputs, totalBytes, fast), units.length - 1);
  // The scan thread is the second core's job only where no parse worker takes that core (its
  // isolate and slots would add to the workers' memory). It takes ~60 ms to load, more while this
  // thread is busy: started now, it is used once ready.
  // Unless set, each large file decides (parse-file.ts): the default loads node:worker_threads,
  // which inputs under the scan thread's size never need.
  parseOpts.scanThread = workers === 0 ? opts.scanThread : false;
  const large = sizes.some((size, i) => size >= SCAN_THREAD_MIN_BYTES && !inputs[i].path.endsWith('.gz'));
  if (large && (parseOpts.scanThread ?? scanThreadDefault())) scanThreadReady();
  const assigned = new Array<number>(inputs.length).fill(0);
  let pool: WorkerPool | undefined;
  if (workers > 0) {
    // Largest unit first, to the least loaded slot; this thread's slot is the last.
    const load = new Array<number>(workers + 1).fill(0);
    const bytes = (u: number[]): number => u.reduce((n, i) => n + sizes[i], 0);
    for (const u of [...units].sort((a, b) => bytes(b) - bytes(a))) {
      const w = load.indexOf(Math.min(...load));
      load[w] += bytes(u);
      for (const i of u) assigned[i] = w;
    }
    const { formats: _f, events: _e, stdin: _s, ...rest } = parseOpts;
    pool = new WorkerPool(workers, { ...rest, grammars: opts.grammars ?? [] }, onBytes);
  }
  const inProcess = (i: number): FileEventReader => new FileEventReader(inputs[i], parseOpts, 1, (b) => onBytes(inputs[i], b));
  /** Readers not read to their end: closed if the merge stops early (its consumer gave up). */
  const open = new Set<EventReader>();
  // With workers, this thread's share parses ahead while the merge waits for them.
  const reader = (i: number): EventReader => {
    const r = !pool ? inProcess(i) : assigned[i] < workers ? pool.open(inputs[i], assigned[i]) : new AheadReader(inProcess(i)).start();
    open.add(r);
    return r;
  };
  const finish = (i: number, r: EventReader): void => {
    open.delete(r);
    files[i].stats = r.stats;
    files[i].error = r.error;
  };

  try {
    // Nodes that may hold two copies of their records: read whole, then pick one copy.
    const wholeNodes = [...byNode].filter(([, l]) => bothKinds(l));
    const summaries = new Map(wholeNodes.map(([node]) => [node, new CopySummary()]));
    let kept = 0;
    let keeping = true;
    await Promise.all(
      wholeNodes.flatMap(([node, l]) =>
        l.map(async (i) => {
          const summary = summaries.get(node)!;
          const r = reader(i);
          for (let b = await r.next(); b; b = await r.next()) {
            for (const ev of b) summary.add(inputs[i].kind, ev);
            if (!keeping) continue;
            kept += b.length;
            if (kept > wholeReadEventsKept && !keepFileEvents) {
              keeping = false;
              for (const [, nl] of wholeNodes) for (const j of nl) files[j].events = [];
            } else for (const ev of b) files[i].events.push(ev);
          }
          finish(i, r);
        }),
      ),
    );
    const picked = new Map(wholeNodes.map(([node, l]) => [node, chooseCopy(node, l.map((i) => files[i]), summaries.get(node)!)]));
    const nodes: NodeFiles[] = [...byNode].map(([node, l]) => picked.get(node) ?? { node, used: l.map((i) => files[i]), skipped: [] });
    const skipped = new Map(nodes.flatMap((n) => n.skipped.map((s) => [s.file, s.reason] as const)));
    const accounting = (): InputStats[] =>
      files.map((f) => {
        const s: InputStats = { ...f.stats, used: !skipped.has(f.input.path) };
        if (skipped.has(f.input.path)) s.note = skipped.get(f.input.path);
        if (f.error) s.error = f.error.message;
        return s;
      });
    sink.start?.(
      nodes.map((n) => n.node),
      accounting(),
    );

    const sources: EventBatches[] = nodes.map((n) => {
      // A node read whole whose events were kept: merged from memory. Else its files are read (again).
      if (picked.has(n.node) && keeping) {
        let given = false;
        return {
          next: async () => {
            if (given) return undefined;
            given = true;
            const all = n.used.flatMap((f) => f.events);
            return all.length > 0 ? all : undefined;
          },
        };
      }
      const order = n.used.map((f) => index.get(f.input)!);
      let k = 0;
      let r: EventReader | undefined;
      return {
        next: async () => {
          for (;;) {
            if (k >= order.length) return undefined;
            r ??= reader(order[k]);
            const b = await r.next();
            if (b) {
              if (keepFileEvents) for (const ev of b) files[order[k]].events.push(ev);
              return b;
            }
            finish(order[k], r);
            r = undefined;
            k++;
          }
        },
      };
    });
    const { since, until } = opts;
    await mergeBatches(sources, (ev) => (inWindow(ev, since, until) ? sink.event(ev) : undefined));
    return { grammars, files, nodes, events: [], inputs: accounting(), errors: [...notFound, ...files.flatMap((f) => (f.error ? [f.error] : []))] };
  } finally {
    // Stopped early (the sink threw): the files still open are closed; a worker's, when the pool ends it.
    await Promise.all([...open].map((r) => r.close().catch(() => {})));
    await pool?.close();
    stopIdleScanThread();
  }
}

function inWindow(ev: ClusterEvent, since?: number, until?: number): boolean {
  if (ev.timeMs === undefined) return true; // no time to judge by: kept, in file order
  if (since !== undefined && ev.timeMs < since) return false;
  if (until !== undefined && ev.timeMs > until) return false;
  return true;
}

/** Events readEvents holds for its consumer at most before the reading waits for it. */
export const READ_EVENTS_AHEAD = 1024;

/** The reason a consumer's early stop gives the merge. */
class Stopped extends Error {}

/**
 * The library's async iterator: every cluster event of `paths`, in time order across nodes. It
 * streams: the files are read as the consumer takes the events, at most READ_EVENTS_AHEAD of them
 * ahead, so memory does not grow with the input; a consumer that stops early (`break`) closes the
 * files. When an input could not be read (or an argument named nothing), the events of the others
 * are yielded first, then the iterator throws that input's `LensError`.
 */
export async function* readEvents(paths: string | string[], options: ReadOptions = {}): AsyncGenerator<ClusterEvent> {
  const queue: ClusterEvent[] = [];
  let consumer: (() => void) | undefined;
  let producer: { resolve: () => void; reject: (err: Error) => void } | undefined;
  let stopped = false;
  let outcome: { errors: LensError[] } | { failure: unknown } | undefined;
  const wakeConsumer = (): void => {
    const w = consumer;
    consumer = undefined;
    w?.();
  };
  const run = streamEvents(paths, options, {
    event(ev) {
      if (stopped) throw new Stopped();
      queue.push(ev);
      wakeConsumer();
      if (queue.length >= READ_EVENTS_AHEAD) return new Promise<void>((resolve, reject) => (producer = { resolve, reject }));
    },
  })
    .then(
      (c) => (outcome = { errors: c.errors }),
      (failure: unknown) => (outcome = { failure }),
    )
    .finally(wakeConsumer);
  try {
    for (;;) {
      if (queue.length > 0) {
        const taken = queue.splice(0, queue.length);
        const p = producer;
        producer = undefined;
        p?.resolve();
        for (const ev of taken) yield ev;
        continue;
      }
      if (outcome) break;
      await new Promise<void>((resolve) => (consumer = resolve));
    }
    if ('failure' in outcome) throw outcome.failure;
    if (outcome.errors.length > 0) throw outcome.errors[0];
  } finally {
    if (!outcome) {
      // The consumer stopped early: stop the merge and wait until its files are closed.
      stopped = true;
      producer?.reject(new Stopped());
      producer = undefined;
      await run;
    }
  }
}

// Parses input files on several cores: worker threads (node:worker_threads) parse the files, and the
// main thread pulls their events in batches (`RemoteFileReader`), as the merge needs them. A worker
// reads a file only when asked for its next batch; batches are requested ahead within a budget of
// bytes shared by all files (and two per file whatever the budget), so memory does not grow with
// the input. Small archives, stdin, pre-compiled grammar sets and single files stay in-process (a
// worker costs module loading and grammar compiling, ~100 ms).

import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { LensError, type LensErrorCode } from '../core/errors.js';
import { emptyInputStats, type ClusterEvent, type InputStats } from '../core/types.js';
import type { InputFile } from '../io/inputs.js';
import type { EventReader, ParseFileOptions } from './parse-file.js';
import { startWorker } from './start-worker.js';

/** Below this many bytes in total, files are parsed in-process. */
export const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;

/** Events a worker gathers before it answers a pull (fewer at the end of a file). */
export const BATCH_EVENTS = 64;
/** Batches every file may have requested or waiting, whatever the budget: the merge never starves. */
export const MIN_DEPTH = 2;
/** Batches a file may have requested or waiting while the budget allows. */
export const MAX_DEPTH = 64;
/**
 * Bytes of event JSON all files together may hold waiting in the main thread (counted with the
 * batches on their way, at the average size so far) beyond MIN_DEPTH. Lets the workers parse ahead
 * when one node's events are merged long before the others' (clocks apart, or bursts), without
 * memory growing with the input. Measured on 4 × 1 GiB (benchmarks/README.md): 64 events and
 * 2 MiB peak at ~185 MB; 256 events and 8 MiB peaked at 197-208 MB and were once ~30% faster at
 * 1 GiB, but no longer are (paired, 11 runs each: 256 events and 8 MiB 0.98 of the time, 128 and
 * 4 MiB 1.01, 256 and 4 MiB 1.07).
 */
export const AHEAD_BYTES = 2 * 1024 * 1024;

export type WorkerParseOptions = Omit<ParseFileOptions, 'formats' | 'events' | 'stdin'> & { grammars: string[] };

export interface SerialError {
  code?: LensErrorCode;
  message: string;
  file?: string;
  pointer?: string;
  reason?: string;
  help?: string;
}

/** Main → worker. */
export type WorkerRequest =
  | { kind: 'init'; opts: WorkerParseOptions; batch: number }
  | { kind: 'open'; id: number; input: InputFile }
  | { kind: 'pull'; id: number };

/** Worker → main. Events travel as one JSON text per batch (one string to copy, no object graph). */
export type WorkerReply =
  | { kind: 'batch'; id: number; events: string; bytes: number }
  | { kind: 'end'; id: number; stats: InputStats; bytes: number; error?: SerialError }
  | { kind: 'progress'; id: number; bytes: number }
  | { kind: 'fail'; failure: SerialError };

/**
 * Cores left to V8's background threads (TurboFan compiling each isolate's hot code, concurrent
 * GC marking) and to the thread pool that copies file reads, when every input is fast to parse.
 */
export const SPARE_CORES = 1;

/**
 * How many worker threads to parse `inputs` (`totalBytes` in all) with (0: all in-process). The
 * main thread parses a share too, so a worker per core beyond the first, when there are several
 * files and enough bytes; but when every input is fast to parse (`fast`: OneLineFormatter logs, on
 * the byte path with the line-scan kernel), SPARE_CORES are kept for V8 and there is a worker per
 * core beyond those. Measured
 * on this project's 2-core machine (benchmarks/README.md): on fast inputs a worker used 1.3 × the
 * CPU of one thread for no less wall time (1.10 × at 4 × 256 MiB, 15 pairs; 1.03 × at 4 × 1 GiB,
 * 7 pairs): its isolate compiles the same hot code again, and those compiles compete with both
 * parsing threads for the two cores. On slow inputs (the same records as JUL SimpleFormatter) the
 * worker took 0.64 of one thread's wall time (5 pairs), and 0.84 once JUL's other loggers' starts
 * were read on bytes (5 pairs). Env CATALINA_LENS_WORKERS=N forces N
 * workers (0: none) whatever the size, the cores and the inputs.
 */
export async function workerCount(
  inputs: InputFile[],
  totalBytes: number,
  fast: (input: InputFile) => Promise<boolean>,
  minBytes = PARALLEL_MIN_BYTES,
  cpus = availableParallelism(),
): Promise<number> {
  const env = process.env.CATALINA_LENS_WORKERS;
  const forced = env !== undefined && /^\d+$/.test(env) ? Number(env) : undefined;
  if (inputs.length < 2 || inputs.some((i) => i.path === '-')) return 0;
  if (forced !== undefined) return Math.min(forced, inputs.length - 1);
  if (cpus < 2 || totalBytes < minBytes) return 0;
  // One input at a time (an archive may hold thousands of rotated files), up to the first slow one.
  let allFast = true;
  for (const i of inputs) if (!(allFast = await fast(i))) break;
  const workers = allFast ? cpus - 1 - SPARE_CORES : cpus - 1;
  return Math.max(0, Math.min(workers, inputs.length - 1));
}

export async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** A fixed set of workers; files are opened on the one chosen by the caller. */
export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly readers = new Map<number, RemoteFileReader>();
  private nextId = 0;
  private failure: Error | undefined;
  /** Bytes of JSON waiting in readers, and batches requested and not yet arrived. */
  readyBytes = 0;
  inflight = 0;
  private batches = 0;
  private batchBytes = 0;

  constructor(
    count: number,
    opts: WorkerParseOptions,
    private readonly onBytes?: (input: InputFile, bytesRead: number) => void,
  ) {
    for (let w = 0; w < count; w++) {
      // A small young generation (4 MB): the parse loop's garbage is short-lived, and peak RSS stays
      // flat (1 GiB archive: 144 MB peak with 8 MB, 133 MB with 4 MB, same CPU).
      const worker = startWorker('parse-worker', { resourceLimits: { maxYoungGenerationSizeMb: 4 } });
      worker.on('message', (msg: WorkerReply) => this.onMessage(msg));
      worker.on('error', (err: Error) => this.fail(err));
      worker.on('exit', (code: number) => this.fail(new Error(`parse worker exited with code ${code}`)));
      worker.postMessage({ kind: 'init', opts, batch: BATCH_EVENTS } satisfies WorkerRequest);
      this.workers.push(worker);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** A reader of `input` parsed on worker `w`; nothing is read before its first `next()`. */
  open(input: InputFile, w: number): RemoteFileReader {
    const id = this.nextId++;
    const worker = this.workers[w];
    const reader = new RemoteFileReader(input, this, (msg) => worker.postMessage(msg), id, (bytes) => this.onBytes?.(input, bytes));
    if (this.failure) reader.fail(this.failure);
    this.readers.set(id, reader);
    worker.postMessage({ kind: 'open', id, input } satisfies WorkerRequest);
    return reader;
  }

  /** Whether a file past MIN_DEPTH may request one more batch. */
  mayRequest(): boolean {
    const avg = this.batches > 0 ? this.batchBytes / this.batches : 64 * 1024;
    return this.readyBytes + (this.inflight + 1) * avg <= AHEAD_BYTES;
  }

  /** A batch of `bytes` arrived. */
  arrived(bytes: number): void {
    this.batches++;
    this.batchBytes += bytes;
  }

  /** Budget was freed: let the other files request again. */
  freed(): void {
    for (const r of this.readers.values()) r.pump();
  }

  async close(): Promise<void> {
    this.failure ??= new Error('parse workers closed');
    const workers = this.workers.splice(0);
    for (const w of workers) w.removeAllListeners('exit');
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private onMessage(msg: WorkerReply): void {
    if (msg.kind === 'fail') {
      this.fail(toLensError(msg.failure));
      return;
    }
    const reader = this.readers.get(msg.id);
    if (!reader) return;
    if (reader.onReply(msg)) this.readers.delete(msg.id);
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const r of this.readers.values()) r.fail(err);
    this.readers.clear();
  }
}

/** The main thread's side of a file parsed in a worker. */
export class RemoteFileReader implements EventReader {
  /** Batches arrived, as JSON text (compact; parsed when the merge takes them). */
  private readonly ready: string[] = [];
  private inflight = 0;
  private ended = false;
  private failed: Error | undefined;
  private waiter: { resolve: (b: ClusterEvent[] | undefined) => void; reject: (e: Error) => void } | undefined;
  stats: InputStats;
  error?: LensError;

  constructor(
    readonly input: InputFile,
    private readonly pool: WorkerPool,
    private readonly post: (msg: WorkerRequest) => void,
    private readonly id: number,
    private readonly onBytes: (bytesRead: number) => void,
  ) {
    this.stats = emptyInputStats(input.path, input.node);
  }

  next(): Promise<ClusterEvent[] | undefined> {
    if (this.failed) return Promise.reject(this.failed);
    const text = this.ready.shift();
    if (text !== undefined) {
      this.pool.readyBytes -= text.length;
      this.pool.freed();
      return Promise.resolve(JSON.parse(text) as ClusterEvent[]);
    }
    this.pump();
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  /** Requests batches: MIN_DEPTH always, up to MAX_DEPTH while the pool's budget allows. */
  pump(): void {
    for (;;) {
      if (this.ended || this.failed) return;
      const n = this.inflight + this.ready.length;
      if (n >= MAX_DEPTH || (n >= MIN_DEPTH && !this.pool.mayRequest())) return;
      this.inflight++;
      this.pool.inflight++;
      this.post({ kind: 'pull', id: this.id });
    }
  }

  /**
   * Stops reading before the end: no more pulls. The worker's file is closed when the pool ends the
   * worker, which streamEvents does right after.
   */
  close(): Promise<void> {
    this.ended = true;
    return Promise.resolve();
  }

  /** Handles a reply; true when the reader is done with its worker. */
  onReply(msg: Exclude<WorkerReply, { kind: 'fail' }>): boolean {
    if (msg.kind === 'progress') {
      this.onBytes(msg.bytes);
      return false;
    }
    this.inflight--;
    this.pool.inflight--;
    this.onBytes(msg.bytes);
    if (msg.kind === 'batch') {
      this.pool.arrived(msg.events.length);
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = undefined;
        w.resolve(JSON.parse(msg.events) as ClusterEvent[]);
      } else {
        this.ready.push(msg.events);
        this.pool.readyBytes += msg.events.length;
      }
      this.pump();
    } else if (!this.ended) {
      this.ended = true;
      this.stats = msg.stats;
      if (msg.error) this.error = toLensError(msg.error);
    }
    if (this.ended && this.ready.length === 0 && this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve(undefined);
    }
    return this.ended && this.inflight === 0;
  }

  fail(err: Error): void {
    if (this.ended && this.inflight === 0) return;
    this.failed = err;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(err);
  }
}

export function toLensError(e: SerialError): LensError {
  return new LensError(e.code ?? 'INPUT_UNREADABLE', e.message, { file: e.file, pointer: e.pointer, reason: e.reason, help: e.help });
}

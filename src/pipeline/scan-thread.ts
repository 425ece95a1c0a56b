// The second core for one thread's parse: a worker thread (scan-worker.ts) reads large plain files
// on ahead and runs the line-scan kernel over their chunks, so that this thread only walks the
// kernel's reports (decodes the lines that may yield events, counts the rest). Reading and scanning
// were ~40% of this thread's time on the benchmark input (docs/design-notes.md, "A scan thread").
//
// The parser decides the format and builds the kernel's plan on this thread, from the file's first
// chunk, as always; the scan thread then goes on from where this thread stopped, on the same open
// file (its descriptor; the FileHandle stays here and is closed here). One scan thread serves every
// file of the process; it keeps the process alive only while this thread waits on it.

import type { FileHandle } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { ScanPlan, WholeScan } from '../core/line-scan.js';
import { startWorker, workerThreads } from './start-worker.js';

/** Files smaller than this are read on this thread (the scan thread takes ~60 ms to load alone). */
export const SCAN_THREAD_MIN_BYTES = 32 * 1024 * 1024;
/**
 * Chunks a file may have scanned ahead and not yet given back: one read and scanned while the
 * parser walks the other. Four a file measured ~4% faster at 4 × 256 MiB (12 pairs, within this
 * machine's noise) for 7 MiB more peak RSS at 4 × 1 GiB (4 pairs: 177 against 170 MiB).
 */
export const SCAN_DEPTH = 2;
/**
 * Bytes the scan thread reads at a time (a slot). Every chunk costs a message each way and a walk
 * set up here: 2 MiB measured 0.94 of 1 MiB's wall time at 4 × 256 MiB (12 pairs), 256 KiB 1.28;
 * 4 MiB 0.97 of 2 MiB's for 16 MiB more peak RSS.
 */
export const SCAN_CHUNK_BYTES = 2 * 1024 * 1024;

/** Main → scan thread. */
export type ScanRequest =
  | {
      kind: 'open';
      id: number;
      fd: number;
      /** Where to read from, and whether a partial line before it is still unfinished. */
      position: number;
      carry: boolean;
      signatureLength: number;
      tables: Uint8Array;
      maxLine: number;
      depth: number;
      chunkBytes: number;
    }
  /** The main thread is done with the chunk in `slot`: the next may be read into it. */
  | { kind: 'credit'; id: number; slot: number }
  | { kind: 'close'; id: number };

/**
 * Scan thread → main. First the file's shared memory and where its slots are; then its chunks, each
 * `length` bytes at the start of a slot. A chunk without entries is not to be taken as scanned.
 */
export type ScanReply =
  /** Sent once, when the thread has loaded (files are handed over only then: until then this thread reads on). */
  | { kind: 'ready'; id: -1 }
  | { kind: 'memory'; id: number; memory: SharedArrayBuffer; offsets: number[] }
  | { kind: 'chunk'; id: number; slot: number; length: number; entries?: Int32Array; count?: number; lines?: number }
  | { kind: 'end'; id: number }
  | { kind: 'error'; id: number; message: string; code?: string }
  | { kind: 'closed'; id: number };

/** A chunk of the file: whole lines with the kernel's reports (`scan`), or bytes to push as they are. */
export interface ScannedChunk {
  bytes: Buffer;
  scan?: WholeScan;
  readonly slot: number;
}

/**
 * The scan thread's default: on with two or more cores, on the main thread (a parse worker keeps
 * to its own thread), unless env CATALINA_LENS_SCAN_THREAD is `0`, `false` or `off`.
 */
export function scanThreadDefault(): boolean {
  const v = process.env.CATALINA_LENS_SCAN_THREAD;
  if (v === '0' || v === 'false' || v === 'off') return false;
  return workerThreads().isMainThread && availableParallelism() >= 2;
}

class ScanThread {
  private readonly worker: Worker;
  private readonly streams = new Map<number, ScanStream>();
  private nextId = 0;
  private failure: Error | undefined;
  ready = false;
  private onReady: Array<(ok: boolean) => void> = [];
  /**
   * Waits on the thread (a chunk, or a file let go). The thread keeps the process alive only while
   * one is pending: a stream abandoned unfinished (an iterator dropped without return()) must not.
   */
  private waits = 0;

  constructor() {
    // The kernel's memory and the chunks are outside the JS heap: a small young generation will do.
    this.worker = startWorker('scan-worker', { resourceLimits: { maxYoungGenerationSizeMb: 2 } });
    this.worker.on('message', (msg: ScanReply) => {
      if (msg.kind === 'ready') {
        this.ready = true;
        for (const f of this.onReady.splice(0)) f(true);
      } else this.streams.get(msg.id)?.onReply(msg);
    });
    this.worker.on('error', (err: Error) => this.fail(err));
    this.worker.on('exit', (code: number) => this.fail(new Error(`the scan thread exited with code ${code}`)));
    this.worker.unref();
  }

  open(handle: FileHandle, position: number, plan: ScanPlan, maxLine: number, carry: boolean): ScanStream {
    const id = this.nextId++;
    const stream = new ScanStream(handle, id, {
      post: (msg, transfer) => this.worker.postMessage(msg, transfer ?? []),
      done: () => this.streams.delete(id),
      wait: (delta) => this.wait(delta),
    });
    this.streams.set(id, stream);
    const { signatureLength, tables } = plan;
    this.worker.postMessage({ kind: 'open', id, fd: handle.fd, position, carry, signatureLength, tables, maxLine, depth: SCAN_DEPTH, chunkBytes: SCAN_CHUNK_BYTES } satisfies ScanRequest);
    return stream;
  }

  private wait(delta: 1 | -1): void {
    this.waits += delta;
    if (this.waits === 1 && delta === 1) this.worker.ref();
    else if (this.waits === 0) this.worker.unref();
  }

  /** No file on the thread, and nobody waiting for it to load. */
  get idle(): boolean {
    return this.streams.size === 0 && this.onReady.length === 0;
  }

  /** Terminates the thread; its exit is no failure (the next large file starts another). */
  stop(): void {
    this.worker.removeAllListeners('exit');
    this.worker.terminate().catch(() => {});
  }

  /** Resolves true once ready, false if the thread failed first. */
  whenReady(): Promise<boolean> {
    if (this.ready || this.failure) return Promise.resolve(this.ready && !this.failure);
    this.wait(1);
    return new Promise((resolve) =>
      this.onReady.push((ok) => {
        this.wait(-1);
        resolve(ok);
      }),
    );
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.ready = false;
    for (const f of this.onReady.splice(0)) f(false);
    for (const s of [...this.streams.values()]) s.fail(err);
    this.streams.clear();
    // Files opened later are read on their own thread, as without a scan thread: none is started again.
    if (shared === this) shared = null;
  }
}

/** The process's scan thread: undefined until asked for, null once it failed. */
let shared: ScanThread | undefined | null;

/**
 * Starts the scan thread if it is not running, and says whether it is ready to take a file. Called
 * when a large file is opened, so that the thread loads (~60 ms) while the file's first chunks are
 * parsed here; those go on here until it is ready.
 */
export function scanThreadReady(): boolean {
  if (shared === null) return false;
  shared ??= new ScanThread();
  return shared.ready;
}

/**
 * Ends the scan thread when no file is on it and nothing waits for it to load, and says whether it
 * did. Called when a read is done: the thread's isolate and the kernels it keeps for later files
 * (~20-30 MiB) are given back before the caller builds its results (the peak of `analyze` at
 * 4 GiB, whose snapshot is built then). A later large file starts a new one (~60 ms, on the other
 * core while its first chunks are parsed here).
 */
export function stopIdleScanThread(): boolean {
  if (!shared || !shared.idle) return false;
  const thread = shared;
  shared = undefined;
  thread.stop();
  return true;
}

/** Whether a scan thread is running now (loading or ready). */
export function scanThreadRunning(): boolean {
  return shared !== undefined && shared !== null;
}

/** True once the scan thread has failed: files are read on their own thread from then on. */
export function scanThreadFailed(): boolean {
  return shared === null;
}

/** Starts the scan thread if it is not running; resolves true once it is ready (false if it failed). */
export function whenScanThreadReady(): Promise<boolean> {
  if (shared === null) return Promise.resolve(false);
  shared ??= new ScanThread();
  return shared.whenReady();
}

/**
 * Scans `handle`'s file from `position` on the scan thread, as a kernel with `plan` would; `carry`
 * when a partial line before `position` is unfinished. The stream owns the handle from now on.
 */
export function openScan(handle: FileHandle, position: number, plan: ScanPlan, maxLine: number, carry: boolean): ScanStream {
  if (!shared) throw new Error('openScan: the scan thread is not ready');
  return shared.open(handle, position, plan, maxLine, carry);
}

/** One file's chunks from the scan thread, in order. */
export class ScanStream {
  private readonly replies: ScanReply[] = [];
  private memory: SharedArrayBuffer | undefined;
  private offsets: number[] = [];
  private waiter: (() => void) | undefined;
  private failure: Error | undefined;
  /** Set once the scan thread no longer reads the file (it ended, failed, or was told to close). */
  private letGoOf = false;
  private readonly released: Promise<void>;
  private onReleased!: () => void;
  private fileClosed: Promise<void> | undefined;
  private closing = false;

  constructor(
    private readonly handle: FileHandle,
    private readonly id: number,
    private readonly thread: {
      post(msg: ScanRequest, transfer?: ArrayBuffer[]): void;
      /** The thread no longer reads the file. */
      done(): void;
      /** A wait on the thread begins (1) or ends (-1). */
      wait(delta: 1 | -1): void;
    },
  ) {
    this.released = new Promise<void>((resolve) => (this.onReleased = resolve));
  }

  /** The next chunk, or undefined at the end of the file; throws what the read failed with. */
  async next(): Promise<ScannedChunk | undefined> {
    for (;;) {
      const r = this.replies.shift();
      if (r?.kind === 'chunk') {
        const bytes = Buffer.from(this.memory!, this.offsets[r.slot], r.length);
        const slot = r.slot;
        return r.entries ? { bytes, slot, scan: { entries: r.entries, count: r.count!, lines: r.lines!, ascii: false } } : { bytes, slot };
      }
      if (r?.kind === 'end') return undefined;
      if (r?.kind === 'error') throw Object.assign(new Error(r.message), { code: r.code });
      if (this.failure) throw this.failure;
      this.thread.wait(1);
      await new Promise<void>((resolve) => (this.waiter = resolve));
      this.thread.wait(-1);
    }
  }

  /**
   * The caller is done with `chunk` (the parser copies what it keeps): its slot may be read into
   * again, or, once the file has ended, its kernel serve another file.
   */
  release(chunk: ScannedChunk): void {
    if (!this.closing && this.failure === undefined) this.thread.post({ kind: 'credit', id: this.id, slot: chunk.slot });
  }

  /** Stops reading before the end: the file is closed once the scan thread has let go of it. */
  close(): Promise<void> {
    this.closing = true;
    // Also after the end: the thread then knows that the slots still out will not come back.
    if (this.failure === undefined) this.thread.post({ kind: 'close', id: this.id });
    if (!this.letGoOf) {
      this.thread.wait(1);
      void this.released.then(() => this.thread.wait(-1));
    }
    return this.closeFile();
  }

  onReply(r: ScanReply): void {
    if (r.kind === 'memory') {
      this.memory = r.memory;
      this.offsets = r.offsets;
      return;
    }
    if (r.kind !== 'chunk') this.letGo();
    if (r.kind === 'closed') return;
    this.replies.push(r);
    this.wake();
  }

  fail(err: Error): void {
    this.failure = err;
    this.letGo();
    this.wake();
  }

  private letGo(): void {
    if (this.letGoOf) return;
    this.letGoOf = true;
    this.thread.done();
    this.onReleased();
    void this.closeFile();
  }

  private closeFile(): Promise<void> {
    this.fileClosed ??= this.released.then(() => this.handle.close()).catch(() => {});
    return this.fileClosed;
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}

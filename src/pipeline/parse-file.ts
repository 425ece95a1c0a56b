// Reads one input file through an InputParser, collecting its events and accounting. A file that
// cannot be read, or breaks off (truncated .gz), keeps what was read and carries the error.
//
// `FileEventReader` reads on demand: each `next()` reads chunks until some events are ready, so a
// caller that consumes them as they come (the streaming merge) holds only a batch per file.

import type { Readable } from 'node:stream';
import type { LensError } from '../core/errors.js';
import { InputParser, type InputParserOptions } from '../core/input-parser.js';
import type { ClusterEvent, InputStats } from '../core/types.js';
import { openByteSource, unreadable, type ByteSource } from '../io/byte-source.js';
import type { InputFile } from '../io/inputs.js';
import { openScan, SCAN_THREAD_MIN_BYTES, scanThreadDefault, scanThreadFailed, scanThreadReady, type ScanStream } from './scan-thread.js';

export interface ParsedFile {
  input: InputFile;
  stats: InputStats;
  /**
   * The file's events, in file order. Empty when the events were streamed into the merge instead of
   * kept (`analyze` without `keepEvents`).
   */
  events: ClusterEvent[];
  error?: LensError;
}

export type ParseFileOptions = Omit<InputParserOptions, 'file' | 'node'> & {
  stdin?: Readable;
  /**
   * Scan large plain files on a second thread once the fast path's kernel is in use (scan-thread.ts;
   * default scanThreadDefault()). Results are the same either way.
   */
  scanThread?: boolean;
  /** Files with fewer bytes than this are not handed to the scan thread (default SCAN_THREAD_MIN_BYTES; tests set less). */
  scanThreadMinBytes?: number;
};

/** Source of a file's events in batches: what the merge pulls from, in-process or in a worker. */
export interface EventReader {
  /** The next events (at least one), or undefined at the end of the file. */
  next(): Promise<ClusterEvent[] | undefined>;
  /** The accounting: final once `next()` returned undefined. */
  readonly stats: InputStats;
  /** Set once the end is reached, when the file could not be read to its end. */
  readonly error?: LensError;
  /** Stops reading before the end (the consumer gave up): the file is closed. */
  close(): Promise<void>;
}

export class FileEventReader implements EventReader {
  private readonly parser: InputParser;
  private pending: ClusterEvent[] = [];
  private source: ByteSource | undefined;
  private chunks: AsyncIterator<Buffer> | undefined;
  /** The rest of the file, from the scan thread (once handed over). */
  private scan: ScanStream | undefined;
  private handingOver = false;
  /** A large plain file, and the scan thread allowed. */
  private mayScanAhead = false;
  private ended = false;
  private gzip = false;
  private size = 0;
  private bytesRead = 0;
  error?: LensError;

  /**
   * @param minBatch read until at least this many events are ready (or the end)
   * @param onBytes called with the input's bytes read so far (file bytes: a .gz file counts as
   *   read when it ends)
   */
  constructor(
    readonly input: InputFile,
    private readonly opts: ParseFileOptions,
    private readonly minBatch = 1,
    private readonly onBytes?: (bytesRead: number) => void,
  ) {
    this.parser = new InputParser({ ...opts, file: input.path, node: input.node }, (ev) => this.pending.push(ev));
  }

  get stats(): InputStats {
    return this.parser.stats;
  }

  /** True once the rest of the file comes from the scan thread. */
  get onScanThread(): boolean {
    return this.scan !== undefined;
  }

  private get scanMinBytes(): number {
    return this.opts.scanThreadMinBytes ?? SCAN_THREAD_MIN_BYTES;
  }

  async next(): Promise<ClusterEvent[] | undefined> {
    while (this.pending.length < this.minBatch && !this.ended) await this.step();
    if (this.pending.length === 0) return undefined;
    const out = this.pending;
    this.pending = [];
    return out;
  }

  private async step(): Promise<void> {
    try {
      if (this.scan) {
        await this.stepScanned(this.scan);
        return;
      }
      if (!this.chunks) {
        const source = (this.source = await openByteSource(this.input.path, this.opts.stdin));
        this.gzip = source.gzip;
        this.size = source.size ?? 0;
        // The parser copies what it keeps of a chunk, so the read buffer can be reused; once it scans
        // with its kernel, it lends the kernel's memory to read into, unless the scan thread is to
        // read the file (the slots would only add 2 MiB a file to the peak).
        const into = (size: number, slot: 0 | 1) => (this.mayScanAhead && !scanThreadFailed() ? undefined : this.parser.readBuffer(size, slot));
        this.chunks = source.chunks({ reuse: true, into, keepOpen: () => this.handingOver })[Symbol.asyncIterator]();
        this.mayScanAhead = source.handle !== undefined && this.size >= this.scanMinBytes && (this.opts.scanThread ?? scanThreadDefault());
        if (this.mayScanAhead) scanThreadReady(); // starts it loading
      }
      const r = await this.chunks.next();
      if (this.ended) {
        // Closed meanwhile (an AheadReader parsing ahead, while the file was still being opened):
        // the source's generator has started, so ending it closes the file.
        await this.chunks.return?.();
        return;
      }
      if (r.done) {
        this.finish();
        return;
      }
      this.parser.push(r.value);
      if (!this.gzip) {
        this.bytesRead += r.value.length;
        this.onBytes?.(this.bytesRead);
        await this.maybeHandOver();
      }
    } catch (err) {
      this.error = err instanceof Error && 'code' in err && (err as LensError).name === 'LensError' ? (err as LensError) : unreadable(this.input.path, err);
      this.finish();
    }
  }

  /**
   * Once the parser scans with its kernel, the rest of a large plain file goes to the scan thread:
   * the reads here stop (the one under way lands), and the thread reads on from the same offset.
   */
  private async maybeHandOver(): Promise<void> {
    if (!this.mayScanAhead) return;
    const setup = this.parser.scanSetup;
    const handle = this.source!.handle!;
    if (!setup || this.size - this.bytesRead < this.scanMinBytes / 2 || !scanThreadReady()) return;
    this.handingOver = true;
    await this.chunks!.return?.();
    if (this.ended) {
      await handle.close().catch(() => {}); // closed meanwhile: nobody to read on for
      return;
    }
    this.scan = openScan(handle, this.bytesRead, setup.plan, setup.maxLineBytes, setup.holdingPartial);
  }

  private async stepScanned(scan: ScanStream): Promise<void> {
    const chunk = await scan.next();
    if (this.ended) return; // closed meanwhile
    if (!chunk) {
      this.finish();
      return;
    }
    this.parser.pushScanned(chunk.bytes, chunk.scan);
    scan.release(chunk);
    this.bytesRead += chunk.bytes.length;
    this.onBytes?.(this.bytesRead);
  }

  private finish(): void {
    this.ended = true;
    this.parser.end();
    if (this.gzip && this.size > 0) this.onBytes?.(this.size);
  }

  async close(): Promise<void> {
    this.ended = true;
    if (this.scan) await this.scan.close();
    // Ends the byte source's generator, whose `finally` closes the file (after a read under way).
    else await this.chunks?.return?.();
  }
}

/** Reads `input` to its end, keeping all its events. */
export async function parseFile(input: InputFile, opts: ParseFileOptions, onBytes?: (bytesRead: number) => void): Promise<ParsedFile> {
  const reader = new FileEventReader(input, opts, Number.POSITIVE_INFINITY, onBytes);
  const events = (await reader.next()) ?? [];
  return { input, stats: reader.stats, events, error: reader.error };
}

/** Events an `AheadReader` parses ahead of the merge, at most. */
export const AHEAD_EVENTS = 4096;

/**
 * An in-process reader that parses ahead while the merge waits for another source (a worker's
 * batch): without it, this thread would sit idle until the worker's first events arrive, then parse
 * its own share only as the merge asks. Parses chunk by chunk, yielding to the event loop between
 * chunks (worker replies must get through), and stops at AHEAD_EVENTS waiting events.
 */
export class AheadReader implements EventReader {
  private readonly ready: ClusterEvent[][] = [];
  private readyEvents = 0;
  private ended = false;
  private pumping = false;
  private failure: unknown;
  private waiter: (() => void) | undefined;

  constructor(private readonly inner: FileEventReader) {}

  get stats(): InputStats {
    return this.inner.stats;
  }

  get error(): LensError | undefined {
    return this.inner.error;
  }

  /** Starts parsing ahead (also started by the first `next`). */
  start(): this {
    void this.pump();
    return this;
  }

  async next(): Promise<ClusterEvent[] | undefined> {
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      const b = this.ready.shift();
      if (b) {
        this.readyEvents -= b.length;
        void this.pump();
        return b;
      }
      if (this.ended) return undefined;
      void this.pump();
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.ended && this.readyEvents < AHEAD_EVENTS) {
        const b = await this.inner.next();
        if (b) {
          this.ready.push(b);
          this.readyEvents += b.length;
        } else this.ended = true;
        this.wake();
        await new Promise<void>((resolve) => setImmediate(resolve)); // let worker replies in
      }
    } catch (err) {
      this.failure = err;
      this.wake();
    } finally {
      this.pumping = false;
    }
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  async close(): Promise<void> {
    this.ended = true; // the pump stops after the batch it may be parsing
    await this.inner.close();
  }
}

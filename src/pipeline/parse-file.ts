// Reads one input file through an InputParser, collecting its events and accounting. A file that
// cannot be read, or breaks off (truncated .gz), keeps what was read and carries the error.
//
// `FileEventReader` reads on demand: each `next()` reads chunks until some events are ready, so a
// caller that consumes them as they come (the streaming merge) holds only a batch per file.

import type { Readable } from 'node:stream';
import type { LensError } from '../core/errors.js';
import { InputParser, type InputParserOptions } from '../core/input-parser.js';
import type { ClusterEvent, InputStats } from '../core/types.js';
import { constants } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { openByteSource, READ_CHUNK_BYTES, unreadable } from '../io/byte-source.js';
import type { InputFile } from '../io/inputs.js';

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

export type ParseFileOptions = Omit<InputParserOptions, 'file' | 'node'> & { stdin?: Readable };

/** Source of a file's events in batches: what the merge pulls from, in-process or in a worker. */
export interface EventReader {
  /** The next events (at least one), or undefined at the end of the file. */
  next(): Promise<ClusterEvent[] | undefined>;
  /** The accounting: final once `next()` returned undefined. */
  readonly stats: InputStats;
  /** Set once the end is reached, when the file could not be read to its end. */
  readonly error?: LensError;
}

export class FileEventReader implements EventReader {
  private readonly parser: InputParser;
  private pending: ClusterEvent[] = [];
  private chunks: AsyncIterator<Buffer> | undefined;
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

  async next(): Promise<ClusterEvent[] | undefined> {
    while (this.pending.length < this.minBatch && !this.ended) await this.step();
    if (this.pending.length === 0) return undefined;
    const out = this.pending;
    this.pending = [];
    return out;
  }

  private async step(): Promise<void> {
    try {
      if (!this.chunks) {
        const plain = await openPlainFile(this.input.path);
        if (plain) {
          this.size = plain.size;
          this.chunks = plain.chunks;
        } else {
          const source = await openByteSource(this.input.path, this.opts.stdin);
          this.gzip = source.gzip;
          this.size = source.size ?? 0;
          // The parser copies what it keeps of a chunk, so the read buffer can be reused.
          this.chunks = source.chunks({ reuse: true })[Symbol.asyncIterator]();
        }
      }
      const r = await this.chunks.next();
      if (r.done) {
        this.finish();
        return;
      }
      this.parser.push(r.value);
      if (!this.gzip) {
        this.bytesRead += r.value.length;
        this.onBytes?.(this.bytesRead);
      }
    } catch (err) {
      this.error = err instanceof Error && 'code' in err && (err as LensError).name === 'LensError' ? (err as LensError) : unreadable(this.input.path, err);
      this.finish();
    }
  }

  private finish(): void {
    this.ended = true;
    this.parser.end();
    if (this.gzip && this.size > 0) this.onBytes?.(this.size);
  }
}

/**
 * A regular, uncompressed file read with positioned reads into one reused buffer; undefined for
 * anything else (stdin, FIFOs, devices, .gz: `openByteSource` reads those). openByteSource reads
 * plain files through a ReadStream, which allocates a fresh 1 MiB buffer per chunk: in a worker
 * thread with a small young generation those buffers pile up as external memory until a GC
 * (about 20 MB per worker), so the archive path reads plain files itself.
 */
async function openPlainFile(path: string): Promise<{ size: number; chunks: AsyncIterator<Buffer> } | undefined> {
  if (path === '-') return undefined;
  let handle: FileHandle | undefined;
  try {
    // Only what is a regular file by its path is opened here: opening (and closing) a FIFO's read
    // end would disturb its writer. O_NONBLOCK in case it was replaced by a FIFO in between.
    if (!(await stat(path)).isFile()) return undefined;
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const info = await handle.stat();
    if (!info.isFile()) return undefined;
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    if (bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b) return undefined;
    const h = handle;
    handle = undefined;
    return { size: info.size, chunks: plainChunks(h, path) };
  } catch {
    return undefined; // openByteSource opens it again and reports why it cannot be read
  } finally {
    await handle?.close().catch(() => {});
  }
}

async function* plainChunks(handle: FileHandle, path: string): AsyncGenerator<Buffer> {
  try {
    const buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    let pos = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) return;
      pos += bytesRead;
      yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
    }
  } catch (err) {
    throw unreadable(path, err);
  } finally {
    await handle.close().catch(() => {});
  }
}

/** Reads `input` to its end, keeping all its events. */
export async function parseFile(input: InputFile, opts: ParseFileOptions, onBytes?: (bytesRead: number) => void): Promise<ParsedFile> {
  const reader = new FileEventReader(input, opts, Number.POSITIVE_INFINITY, onBytes);
  const events = (await reader.next()) ?? [];
  return { input, stats: reader.stats, events, error: reader.error };
}

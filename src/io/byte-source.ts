// Reads an input's bytes in large chunks: plain files, gzip (recognised by its magic bytes, not
// its name), FIFOs and stdin.

import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { LensError } from '../core/errors.js';

export const READ_CHUNK_BYTES = 1024 * 1024;

export interface ByteSource {
  /** Bytes as read from disk (compressed size for .gz). */
  readonly size?: number;
  readonly gzip: boolean;
  /**
   * The bytes in chunks. With `reuse`, a plain file is read into the same two buffers again and
   * again: each chunk is valid only until the next is asked for (the parser copies what it keeps),
   * which saves a fresh 1 MiB allocation, its page faults and its garbage collection per chunk.
   */
  chunks(opts?: ChunkOptions): AsyncIterable<Buffer>;
  /**
   * A plain file's handle: with `keepOpen`, ending the chunks early leaves it open for a reader
   * that goes on from where they stopped (the scan thread), which then closes it.
   */
  readonly handle?: FileHandle;
}

export interface ChunkOptions {
  /** Read a plain file into the same two buffers again and again (see `chunks`). */
  reuse?: boolean;
  /**
   * Where to read a plain file's next chunk: a buffer of `size` bytes, or undefined for the usual
   * one. The line-scan kernel lends its own memory here, so the bytes are scanned where they land.
   * Two slots alternate: a chunk is read into one while the chunk in the other is parsed.
   */
  into?: (size: number, slot: 0 | 1) => Buffer | undefined;
  /** Asked when the chunks end early: true leaves a plain file's `handle` open (see ByteSource). */
  keepOpen?: () => boolean;
}

/** How long a FIFO without a writer is waited for before it is reported unreadable. */
export const FIFO_WRITER_WAIT_MS = 2000;

/** Opens `path` ('-' for stdin). Throws `INPUT_UNREADABLE` with the reason when it cannot be read. */
export async function openByteSource(path: string, stdin?: Readable): Promise<ByteSource> {
  // process.stdin only when asked for: its getter sets up a stream on fd 0 (~2 ms at every start).
  if (path === '-') return streamSource(stdin ?? process.stdin, false);
  let handle: FileHandle | undefined;
  try {
    // One open for the probe and the read: a file removed or replaced in between cannot slip in.
    // O_NONBLOCK: opening a FIFO that has no writer must not block (a blocked open cannot be undone).
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const info = await handle.stat();
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (info.isFIFO()) {
      const fifo = handle;
      handle = undefined;
      return { gzip: false, chunks: () => fifoChunks(fifo, path) };
    }
    let gzip = false;
    let size: number | undefined;
    if (info.isFile()) {
      size = info.size;
      const head = Buffer.alloc(2);
      const { bytesRead } = await handle.read(head, 0, 2, 0);
      gzip = bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
    }
    if (info.isFile() && !gzip) {
      const file = handle;
      handle = undefined; // fileSource closes it when read to the end
      return fileSource(file, path, info.size);
    }
    if (!info.isFile()) {
      // A character device or socket: read it in blocking mode like any reader would.
      await handle.close();
      handle = await open(path, 'r');
    }
    const raw = handle.createReadStream({ start: info.isFile() ? 0 : undefined, highWaterMark: READ_CHUNK_BYTES });
    handle = undefined; // the stream owns it now (autoClose)
    if (!gzip) return { ...streamSource(raw, false), size };
    // Loaded here, not at start: most inputs are not gzip.
    const { createGunzip } = await import('node:zlib');
    const gunzip = createGunzip({ chunkSize: READ_CHUNK_BYTES });
    raw.on('error', (err) => gunzip.destroy(err));
    raw.pipe(gunzip);
    return { ...streamSource(gunzip, true), size };
  } catch (err) {
    throw unreadable(path, err);
  } finally {
    await handle?.close().catch(() => {});
  }
}

/**
 * A FIFO opened without blocking: read() gives EAGAIN while a writer is connected but silent, and
 * 0 when no writer is connected. Before the first writer shows up, wait for one (bounded); after
 * that, 0 is the end of the input.
 */
async function* fifoChunks(handle: FileHandle, path: string): AsyncGenerator<Buffer> {
  const buf = Buffer.allocUnsafe(64 * 1024);
  const deadline = Date.now() + FIFO_WRITER_WAIT_MS;
  let writerSeen = false;
  try {
    for (;;) {
      let n: number;
      try {
        n = (await handle.read(buf, 0, buf.length, null)).bytesRead;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        writerSeen = true;
        await sleep(2);
        continue;
      }
      if (n > 0) {
        writerSeen = true;
        yield Buffer.from(buf.subarray(0, n));
      } else if (writerSeen) {
        return;
      } else if (Date.now() >= deadline) {
        throw Object.assign(new Error('no writer'), { code: 'FIFO_NO_WRITER' });
      } else {
        await sleep(20);
      }
    }
  } catch (err) {
    throw unreadable(path, err);
  } finally {
    await handle.close().catch(() => {});
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A regular file, read with positioned reads on the handle that was probed (a ReadStream would
 * allocate a fresh 1 MiB buffer per chunk; in a worker with a small young generation those pile up
 * as external memory until a GC). Each read is under way in the thread pool while the chunk before
 * it is parsed, into the other of two buffers: the kernel's copy from the page cache (~0.15 s per
 * GiB here) then runs on the other core instead of holding up the parser.
 */
export function fileSource(handle: FileHandle, path: string, size: number): ByteSource {
  return {
    gzip: false,
    size,
    handle,
    async *chunks(opts = {}) {
      const own: Array<Buffer | undefined> = [];
      const bufferFor = (slot: 0 | 1): Buffer => {
        const lent = opts.into?.(READ_CHUNK_BYTES, slot);
        if (lent) {
          own[slot] = undefined; // the kernel's memory from now on: 1 MiB less held per file
          return lent;
        }
        return opts.reuse ? (own[slot] ??= Buffer.allocUnsafe(READ_CHUNK_BYTES)) : Buffer.allocUnsafe(READ_CHUNK_BYTES);
      };
      let slot: 0 | 1 = 0;
      let buf = bufferFor(slot);
      let reading: Promise<number> | undefined = readAt(handle, buf, 0);
      let pos = 0;
      try {
        for (;;) {
          const bytesRead = await reading;
          reading = undefined;
          if (bytesRead === 0) break;
          pos += bytesRead;
          const chunk = bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
          // The consumer is done with the other buffer's chunk (it asked for this one): read into it.
          slot = slot === 0 ? 1 : 0;
          buf = bufferFor(slot);
          reading = readAt(handle, buf, pos);
          yield chunk;
        }
      } catch (err) {
        throw unreadable(path, err);
      } finally {
        // Stopped early: the read under way must not fail unheard, nor land after the close.
        await reading?.catch(() => {});
        if (!opts.keepOpen?.()) await handle.close().catch(() => {});
      }
    },
  };
}

/**
 * A read under way. Its failure is marked handled at once: it may come while the chunk before is
 * still with the consumer, before anything awaits this read, and an unhandled rejection would end
 * the process. The error is thrown where the read is awaited.
 */
function readAt(handle: FileHandle, buf: Buffer, pos: number): Promise<number> {
  const read = handle.read(buf, 0, buf.length, pos).then((r) => r.bytesRead);
  read.catch(() => {});
  return read;
}

function streamSource(stream: Readable, gzip: boolean): ByteSource {
  return {
    gzip,
    async *chunks() {
      for await (const chunk of stream) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    },
  };
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file (it may have been removed after it was listed)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  Z_BUF_ERROR: 'the gzip data is truncated',
  Z_DATA_ERROR: 'the gzip data is corrupt',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENXIO: 'no such device',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  FIFO_NO_WRITER: `a FIFO with no writer (waited ${FIFO_WRITER_WAIT_MS / 1000} s)`,
};

/** One clear line: which file, and why. */
export function unreadable(path: string, err: unknown): LensError {
  if (err instanceof LensError) return err;
  const code = (err as NodeJS.ErrnoException)?.code ?? '';
  const reason = REASONS[code] ?? (err instanceof Error ? err.message : String(err));
  return new LensError('INPUT_UNREADABLE', `${path}: ${reason}`, { file: path, reason });
}

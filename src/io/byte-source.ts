// Reads an input's bytes in large chunks: plain files, gzip (recognised by its magic bytes, not
// its name), FIFOs and stdin.

import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { LensError } from '../core/errors.js';

export const READ_CHUNK_BYTES = 1024 * 1024;

export interface ByteSource {
  /** Bytes as read from disk (compressed size for .gz). */
  readonly size?: number;
  readonly gzip: boolean;
  chunks(): AsyncIterable<Buffer>;
}

/** Opens `path` ('-' for stdin). Throws `INPUT_UNREADABLE` with the reason when it cannot be read. */
export async function openByteSource(path: string, stdin: Readable = process.stdin): Promise<ByteSource> {
  if (path === '-') return streamSource(stdin, false);
  let gzip = false;
  let size: number | undefined;
  try {
    const handle = await open(path, 'r');
    try {
      const info = await handle.stat();
      if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      if (info.isFile()) {
        size = info.size;
        const head = Buffer.alloc(2);
        const { bytesRead } = await handle.read(head, 0, 2, 0);
        gzip = bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
      }
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw unreadable(path, err);
  }
  const raw = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  if (!gzip) return { ...streamSource(raw, false), size };
  const gunzip = createGunzip({ chunkSize: READ_CHUNK_BYTES });
  raw.on('error', (err) => gunzip.destroy(err));
  raw.pipe(gunzip);
  return { ...streamSource(gunzip, true), size };
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
};

/** One clear line: which file, and why. */
export function unreadable(path: string, err: unknown): LensError {
  const code = (err as NodeJS.ErrnoException)?.code ?? '';
  const reason = REASONS[code] ?? (err instanceof Error ? err.message : String(err));
  return new LensError('INPUT_UNREADABLE', `${path}: ${reason}`, { file: path, reason });
}

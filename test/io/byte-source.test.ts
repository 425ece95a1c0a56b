// Reading inputs in chunks (src/io/byte-source.ts): a plain file is read one chunk ahead into the
// other of two buffers, so each chunk must still hold its bytes while the next read is under way,
// and stopping early must leave no read behind and no file open.

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import type { FileHandle } from 'node:fs/promises';
import { fileSource, openByteSource, READ_CHUNK_BYTES } from '../../src/io/byte-source.js';
import { PUBLIC } from '../helpers/corpus.js';

const dir = mkdtempSync(join(tmpdir(), 'lens-bytes-'));
// Real lines, repeated past three chunks and a part.
const real = readFileSync(join(PUBLIC, 'isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log'));
const data = Buffer.concat(Array.from({ length: Math.ceil((3.5 * READ_CHUNK_BYTES) / real.length) }, () => real));
const file = join(dir, 'catalina.out');
writeFileSync(file, data);

function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

describe('a plain file', () => {
  test('read into two alternating slots: every chunk holds its bytes while the next one is read', async () => {
    const source = await openByteSource(file);
    const slots = [Buffer.alloc(READ_CHUNK_BYTES), Buffer.alloc(READ_CHUNK_BYTES)];
    const asked: number[] = [];
    let at = 0;
    for await (const chunk of source.chunks({ reuse: true, into: (size, slot) => (asked.push(slot), slots[slot].subarray(0, size)) })) {
      // Give the read of the next chunk time to land before this one is looked at.
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(chunk.equals(data.subarray(at, at + chunk.length))).toBe(true);
      at += chunk.length;
    }
    expect(at).toBe(data.length);
    expect(asked.slice(0, 4)).toEqual([0, 1, 0, 1]);
  });

  test('without `into` or `reuse`, each chunk is a buffer of its own', async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of (await openByteSource(file)).chunks()) chunks.push(chunk);
    expect(new Set(chunks.map((c) => c.buffer)).size).toBe(chunks.length);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
  });

  test('stopping after the first chunk (a read ahead under way) closes the file', async () => {
    const before = openFds();
    const source = await openByteSource(file);
    for await (const chunk of source.chunks({ reuse: true })) {
      expect(chunk.length).toBe(READ_CHUNK_BYTES);
      break;
    }
    expect(openFds()).toBe(before);
  });
});

test('a read ahead that fails while the chunk before is still being parsed is one clear error, not an unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const note = (err: unknown): void => void unhandled.push(err);
  process.on('unhandledRejection', note);
  let reads = 0;
  let closed = false;
  // A stand-in handle: the first read gives a chunk, the second fails (the disk went away).
  const handle = {
    read: async (buf: Buffer) => {
      if (++reads > 1) throw Object.assign(new Error('i/o error'), { code: 'EIO' });
      buf.fill(0x61);
      return { bytesRead: buf.length, buffer: buf };
    },
    close: async () => void (closed = true),
  } as unknown as FileHandle;
  try {
    const chunks = fileSource(handle, 'node1/catalina.out', 2 * READ_CHUNK_BYTES).chunks({ reuse: true })[Symbol.asyncIterator]();
    expect((await chunks.next()).value.length).toBe(READ_CHUNK_BYTES);
    await new Promise((resolve) => setTimeout(resolve, 20)); // the consumer is busy; the failed read lands
    await expect(chunks.next()).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', message: 'node1/catalina.out: input/output error' });
    expect(closed).toBe(true);
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', note);
  }
});

test('a .gz file is recognised by its bytes and read inflated', async () => {
  const gz = join(dir, 'catalina.out.1');
  writeFileSync(gz, gzipSync(data));
  const source = await openByteSource(gz);
  expect(source.gzip).toBe(true);
  const chunks: Buffer[] = [];
  for await (const chunk of source.chunks({ reuse: true, into: () => undefined })) chunks.push(Buffer.from(chunk));
  expect(Buffer.concat(chunks).equals(data)).toBe(true);
});

test('a directory or a missing file is one clear error', async () => {
  await expect(openByteSource(dir)).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', message: `${dir}: is a directory` });
  await expect(openByteSource(join(dir, 'nope'))).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
});

// Whether an input will be parsed on the byte path with the line-scan kernel (OneLineFormatter
// logs: ~1 GiB/s a core here) or decoded line by line (JUL SimpleFormatter, JSON, prefixed lines,
// gzip to inflate: ~100-200 MiB/s a core), judged before parsing from the file's first lines as the
// parser's own detection judges them. parallel.ts uses it: a worker thread pays on slow inputs
// (1 GiB of JUL took 0.64 of one thread's time with one) but not on fast ones on two cores.

import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { createStartMatcher } from '../core/cluster-prefilter.js';
import { detectFormat, detectPrefix } from '../core/format-detect.js';
import type { CompiledFormat } from '../core/format-grammar.js';
import { isBom } from '../core/line-framer.js';
import { fastPathDefault, lineScanDefault } from '../core/input-parser.js';
import { DEFAULT_DETECT_LINES } from '../core/record-assembler.js';
import { isUtf8Encoding } from '../core/text-encoding.js';

/** Bytes read from the start of a file to judge it (the parser decides on its first ~100 lines). */
const HEAD_BYTES = 64 * 1024;

export interface BytePathOptions {
  formats: readonly CompiledFormat[];
  logFormat?: string;
  fastPath?: boolean;
  lineScan?: boolean;
  all?: boolean;
  encoding?: string;
}

/**
 * True when the file at `path` is plain (not gzip) and its first lines are of a format the parser
 * classifies on bytes with the line-scan kernel; false otherwise, and when it cannot be read (the
 * parse reports that).
 */
export async function onBytePath(path: string, opts: BytePathOptions): Promise<boolean> {
  if (!(opts.fastPath ?? fastPathDefault()) || opts.all || !(opts.lineScan ?? lineScanDefault()) || !isUtf8Encoding(opts.encoding)) return false;
  const head = await readHead(path);
  if (!head || (head[0] === 0x1f && head[1] === 0x8b)) return false;
  // The first DEFAULT_DETECT_LINES whole lines only: the head holds several times more.
  let cut = -1;
  for (let n = 0; n < DEFAULT_DETECT_LINES; n++) {
    const nl = head.indexOf(0x0a, cut + 1);
    if (nl < 0) break;
    cut = nl;
  }
  const lines = head
    .toString('utf8', isBom(head, 0, head.length) ? 3 : 0, cut < 0 ? head.length : cut) // as the framer skips it
    .split('\n')
    .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (detectPrefix(lines)) return false; // prefixed lines are decoded
  const fmt = opts.logFormat ? opts.formats.find((f) => f.name === opts.logFormat) : detectFormat(lines, opts.formats).format;
  return fmt !== undefined && createStartMatcher(fmt)?.signature !== undefined;
}

/** The first bytes of a regular file (never of a FIFO: what is read from one is gone for the parse). */
async function readHead(path: string): Promise<Buffer | undefined> {
  try {
    // O_NONBLOCK: opening a FIFO without a writer must not block.
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      if (!(await handle.stat()).isFile()) return undefined;
      const buf = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

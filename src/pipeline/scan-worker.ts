// The scan thread (scan-thread.ts says why and when): reads each file it is given from where the
// main thread stopped, in chunks of 2 MiB, and scans every chunk's whole lines with a line-scan kernel
// built from the parser's own plan. The kernel's memory is shared: a file's chunks are read into
// `depth` slots of it, and the main thread walks the kernel's reports over the bytes where they
// were read, then gives the slot back. No chunk is copied, and memory is bounded by the open files'
// slots (and a few kernels kept for later files), however far ahead this thread could read.

import { isUtf8 } from 'node:buffer';
import { read } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { LineScanKernel, REPORT_INTS, type WholeScan } from '../core/line-scan.js';
import { NEWLINE } from '../core/line-framer.js';
import type { ScanReply, ScanRequest } from './scan-thread.js';

/** A kernel with the plan it was built for: kept for the next file of the same plan. */
interface PlannedKernel {
  readonly kernel: LineScanKernel;
  readonly signatureLength: number;
  readonly tables: Uint8Array;
}

/**
 * Kernels of files that are done, kept to be used again: a kernel's memory is only freed by this
 * thread's garbage collector, which a thread allocating this little seldom runs, so an archive of
 * many large files grew by a kernel (2 MiB) a file.
 */
const spare: PlannedKernel[] = [];
const MAX_SPARE = 8;

interface FileScan {
  readonly fd: number;
  readonly planned: PlannedKernel;
  readonly kernel: LineScanKernel;
  readonly maxLine: number;
  readonly depth: number;
  /** Bytes read at a time (a slot's size). */
  readonly chunkBytes: number;
  /** Read to its end (or a read failed): nothing more is read; the kernel is kept once every slot is back. */
  ended: boolean;
  /** Where the next read starts. */
  pos: number;
  /** The main thread holds a partial line: the next bytes up to a newline go back unscanned. */
  carry: boolean;
  /** Slots of the kernel's memory the main thread is not reading: the next chunks are read into them. */
  readonly free: number[];
  /** A read into one of its slots is under way (one at a time: each starts where the last one's whole lines end). */
  reading: boolean;
  /** The main thread let go of the file while a read was under way: it is retired when the read is back. */
  closing: boolean;
}

const files = new Map<number, FileScan>();

function post(msg: ScanReply, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(msg, transfer);
}

function open(req: Extract<ScanRequest, { kind: 'open' }>): void {
  const { signatureLength, tables } = req;
  const reused = spare.findIndex((k) => k.signatureLength === signatureLength && Buffer.compare(k.tables, tables) === 0);
  let planned: PlannedKernel | undefined = reused >= 0 ? spare.splice(reused, 1)[0] : undefined;
  if (!planned) {
    const kernel = LineScanKernel.create({ signatureLength, tables }, true);
    if (!kernel) {
      post({ kind: 'error', id: req.id, message: 'WebAssembly SIMD is not available in the scan thread' });
      return;
    }
    planned = { kernel, signatureLength, tables };
  }
  const { kernel } = planned;
  const free = Array.from({ length: req.depth }, (_, slot) => slot);
  // All slots now: the memory does not grow later, so the buffer the main thread gets stays whole.
  const slots = free.map((slot) => kernel.readBuffer(req.chunkBytes, slot));
  post({ kind: 'memory', id: req.id, memory: kernel.memory as SharedArrayBuffer, offsets: slots.map((b) => b.byteOffset) });
  const { fd, maxLine, depth, chunkBytes, position: pos, carry } = req;
  const f: FileScan = { fd, planned, kernel, maxLine, depth, chunkBytes, ended: false, pos, carry, free, reading: false, closing: false };
  files.set(req.id, f);
  readNext(req.id, f);
}

/** The file is done with: its kernel is kept for another file once the main thread reads none of its slots. */
function retire(id: number, f: FileScan): void {
  files.delete(id);
  if (f.free.length === f.depth && spare.length < MAX_SPARE) spare.push(f.planned);
}

/** No more reads for the file; retired at once if no chunk of it is still with the main thread. */
function end(id: number, f: FileScan): void {
  f.ended = true;
  if (f.free.length === f.depth) retire(id, f);
}

/**
 * Reads the file's next chunk into a free slot, on libuv's thread pool: the kernel's copy of the
 * bytes (a fifth of this thread's time when it read them itself) goes on there while this thread
 * scans the chunk before.
 */
function readNext(id: number, f: FileScan): void {
  if (f.reading || f.ended || f.closing || f.free.length === 0) return;
  const slot = f.free.pop()!;
  const buf = f.kernel.readBuffer(f.chunkBytes, slot);
  f.reading = true;
  read(f.fd, buf, 0, f.chunkBytes, f.pos, (err, n) => {
    f.reading = false;
    try {
      onRead(id, f, slot, buf, err, n);
    } catch (e) {
      end(id, f);
      post({ kind: 'error', id, message: e instanceof Error ? e.message : String(e) });
    }
  });
}

function onRead(id: number, f: FileScan, slot: number, buf: Buffer, err: NodeJS.ErrnoException | null, n: number): void {
  if (f.closing) {
    close(id, f); // gives every slot back, this read's too
    return;
  }
  if (err) {
    f.free.push(slot);
    end(id, f);
    post({ kind: 'error', id, message: err.message, code: err.code });
    return;
  }
  if (n === 0) {
    f.free.push(slot);
    end(id, f);
    post({ kind: 'end', id });
    return;
  }
  const data = buf.subarray(0, n);
  let length: number;
  let whole = false;
  if (f.carry) {
    // The rest of the main thread's partial line: its own chunk, which the framer finishes.
    const nl = data.indexOf(NEWLINE);
    length = nl < 0 ? n : nl + 1;
    f.carry = nl < 0;
  } else {
    const last = data.lastIndexOf(NEWLINE);
    if (last < 0) {
      length = n; // no line ends here: the framer holds it
      f.carry = true;
    } else {
      length = last + 1; // whole lines; the next read starts at the line after them
      whole = true;
    }
  }
  f.pos += length;
  readNext(id, f);
  let scan: WholeScan | undefined;
  if (whole) {
    f.kernel.loadSlot(f.chunkBytes, slot, length);
    scan = f.kernel.scanAll(f.maxLine);
    // Not UTF-8: the main thread takes the region as the kernel's parser always does (split and framed).
    if (!scan.ascii && !isUtf8(data.subarray(0, length))) scan = undefined;
  }
  if (scan) {
    const entries = scan.entries.slice(0, scan.count * REPORT_INTS);
    post({ kind: 'chunk', id, slot, length, entries, count: scan.count, lines: scan.lines }, [entries.buffer]);
  } else post({ kind: 'chunk', id, slot, length });
}

/** The main thread reads none of the file's slots any more: its kernel may serve another file. */
function close(id: number, f: FileScan): void {
  f.free.splice(0, f.free.length, ...Array.from({ length: f.depth }, (_, slot) => slot));
  retire(id, f);
  post({ kind: 'closed', id });
}

parentPort!.on('message', (req: ScanRequest) => {
  try {
    if (req.kind === 'open') open(req);
    else if (req.kind === 'credit') {
      const f = files.get(req.id);
      if (!f) return;
      f.free.push(req.slot);
      if (f.ended) {
        if (f.free.length === f.depth) retire(req.id, f);
      } else readNext(req.id, f);
    } else {
      // Closed: a read under way finishes first (its slot, and the descriptor the main thread closes next).
      const f = files.get(req.id);
      if (!f) post({ kind: 'closed', id: req.id });
      else if (f.reading) f.closing = true;
      else close(req.id, f);
    }
  } catch (err) {
    post({ kind: 'error', id: req.id, message: err instanceof Error ? err.message : String(err) });
  }
});

post({ kind: 'ready', id: -1 });

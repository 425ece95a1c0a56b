// The archive fast path's bulk line scan: a WebAssembly SIMD kernel (line-scan.wat) goes over a
// region of whole lines, counts them, recognises the OneLineFormatter start lines whose logger
// cannot yield an event (most records of a catalina.out), and reports only those and the lines
// JavaScript must classify itself (possible cluster or lifecycle records, possible starts of another
// format, over-long lines, lines it cannot decide). Every other line continues the current record
// and is accounted for in bulk. The newline search, the hot loop of the per-line path, becomes SIMD
// compares, and the byte-by-byte start test runs as compiled code.
//
// Without WebAssembly SIMD callers keep the per-line path, which gives the same results.

import type { StartSignature } from './cluster-prefilter.js';
import { LINE_SCAN_SHARED_WASM, LINE_SCAN_WASM } from './line-scan-wasm.js';

/** What the kernel is told about the decided format: built once per input (see line-scan.wat). */
export interface ScanPlan {
  readonly signatureLength: number;
  /** The kernel's tables: first-byte bits, lifecycle names, signature, month words, byte classes, second bytes. */
  readonly tables: Uint8Array;
}

/** What may begin another format's start line, by its first two bytes (a HeadTable). */
export interface ForeignStarts {
  /** Non-zero for each first byte another format's start may begin with. */
  readonly firstBytes: Uint8Array;
  /** Per first byte, 32 bytes of bits: the second bytes it may go on with. */
  readonly secondBytes: Uint8Array;
}

/** A report's code: a record start that cannot yield an event (JavaScript only counts it). */
export const SCAN_COUNTED_START = 1;
/** A report's code: a line JavaScript classifies itself (over the cap, or a byte the kernel does not decide). */
export const SCAN_CLASSIFY = 2;
/** A report's code: a record start whose logger may yield an event, with its logger and message located. */
export const SCAN_LOGGER_START = 3;
/** A report's code: no start of the decided format, but its first two bytes may start another format's record. */
export const SCAN_MAYBE_FOREIGN = 4;

/**
 * The reports of one `scan` call, REPORT_INTS each: at `entries[8k]` the line's start, `+1` its
 * newline, `+2` its index within the call, `+3` its code; for a run of counted starts (code 1 with
 * only unreported lines between them) `+4` the further starts, `+5` and `+6` the last one's newline
 * and index (0, and the line's own, when it is alone); for SCAN_LOGGER_START `+4` the logger's
 * start, `+6` its end (before the method's dot), `+7` the message's start. Offsets are the region's.
 */
export interface ScanResult {
  entries: Int32Array;
  count: number;
  /** Region offset of the next line to scan (the region's length when it is done). */
  resume: number;
  /** Lines finished by this call. */
  lines: number;
  /** The call saw no byte >= 0x80 (its lines are ASCII, so valid UTF-8). */
  ascii: boolean;
}

/**
 * A whole region's reports (`LineScanKernel.scanAll`): `count` reports of REPORT_INTS in `entries`,
 * line indexes counted from the region's first line, and the region's line count.
 */
export interface WholeScan {
  entries: Int32Array;
  count: number;
  lines: number;
  /** The region is ASCII (so valid UTF-8); when false it may still be UTF-8. */
  ascii: boolean;
}

// The few WebAssembly API types used here (the ES lib of this project has none; DOM's is not loaded).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmGlobal {
  readonly value: unknown;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

interface KernelExports {
  memory: WasmMemory;
  resume: WasmGlobal;
  lines: WasmGlobal;
  ascii: WasmGlobal;
  scan(s: number, end: number, out: number, cap: number, tbl: number, sigLen: number, maxLine: number, base: number, lineBase: number): number;
}

// Memory layout (line-scan.wat's header): tables, kept logger words, reports, then the data.
const TABLES_AT = 0;
const NAMES_OFFSET = 256;
const SIG_LOW_OFFSET = NAMES_OFFSET + 64 * 256;
const SIG_SPAN_OFFSET = SIG_LOW_OFFSET + 128;
const WORD_OFFSET = SIG_SPAN_OFFSET + 128;
const MAX_WORDS = 64;
const CLASS_OFFSET = WORD_OFFSET + 8 + MAX_WORDS * 4;
const PAIR_OFFSET = CLASS_OFFSET + 256;
const MESSAGE_FIRST_OFFSET = PAIR_OFFSET + 256 * 32;
const MESSAGE_KEYS_OFFSET = MESSAGE_FIRST_OFFSET + 256;
/** Slots of the message key table (a power of two: the kernel's hash keeps 10 bits). */
const MESSAGE_KEY_SLOTS = 1024;
/** Where each key's list of whole prefixes begins (a u16 for each list number; 0 is no list). */
const PREFIX_LISTS_OFFSET = MESSAGE_KEYS_OFFSET + MESSAGE_KEY_SLOTS * 4;
const MAX_PREFIX_LISTS = 256;
const PREFIX_BYTES_OFFSET = PREFIX_LISTS_OFFSET + MAX_PREFIX_LISTS * 2;
/** Room for the lists (the bundled grammars' 158 keyed prefixes take ~6 KB). */
const PREFIX_BYTES = 8192;
const TABLES_SIZE = PREFIX_BYTES_OFFSET + PREFIX_BYTES;
/**
 * After the plan's tables, the kernel's own kept logger words (16 slots of 80 bytes, zero at
 * first): line-scan.wat reads them at this offset from the tables.
 */
const KEPT_WORDS_OFFSET = align(TABLES_SIZE, 16);
const KEPT_WORDS_BYTES = 16 * 80;
/**
 * Where each region of the tables begins, in the order of line-scan.wat's header, which gives the
 * same offsets: the kernel has them as constants in its code (a test compares the three).
 */
export const TABLE_OFFSETS: readonly number[] = [
  TABLES_AT,
  NAMES_OFFSET,
  SIG_LOW_OFFSET,
  SIG_SPAN_OFFSET,
  WORD_OFFSET,
  CLASS_OFFSET,
  PAIR_OFFSET,
  MESSAGE_FIRST_OFFSET,
  MESSAGE_KEYS_OFFSET,
  PREFIX_LISTS_OFFSET,
  PREFIX_BYTES_OFFSET,
  KEPT_WORDS_OFFSET,
];
const MAX_SIGNATURE = 128;
const OUT_AT = align(TABLES_AT + KEPT_WORDS_OFFSET + KEPT_WORDS_BYTES, 16);
/** Reports per call: 4 Ki of 32 bytes. */
const OUT_CAP = 4096;
export const REPORT_INTS = 8;
const DATA_AT = align(OUT_AT + OUT_CAP * REPORT_INTS * 4, 64);
/** Readable bytes after a region: the kernel loads 32 at a time and the logger test reads ahead. */
const SLACK = 64;
/** Regions `load` copies in (up to this size, more grows the memory) go first; `readBuffer`'s slots follow. */
export const COPY_AREA = 64 * 1024;
const SLOTS_AT = align(DATA_AT + COPY_AREA + SLACK, 64);
const PAGE = 64 * 1024;

/** The kernel's byte classes: JavaScript's `\s` on UTF-8 bytes, and the OneLine pattern's punctuation. */
const BYTE_CLASSES = (() => {
  const c = new Uint8Array(256);
  for (let b = 0x09; b <= 0x0d; b++) c[b] = 1;
  c[0x20] = 2;
  c[0x2e] = 3;
  c[0x5b] = 4;
  c[0x5d] = 4;
  for (const lead of [0xc2, 0xe1, 0xe2, 0xe3, 0xef]) c[lead] = 5; // U+00A0, U+1680, U+2000-U+205F, U+3000, U+FEFF
  return c;
})();

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/** Where slot `slot` of `size`-byte read slots begins (each with its slack after it, 64-aligned). */
function slotAt(size: number, slot: number): number {
  return SLOTS_AT + slot * align(size + SLACK, 64);
}

/**
 * The plan for a format's start signature, the bytes that may begin a foreign record, the
 * lifecycle loggers' simple names and the event templates' literal prefixes (a lifecycle logger's
 * record whose message begins with none of them is only counted; without them, every lifecycle
 * logger's record is reported); undefined when the kernel cannot follow the signature (over 128
 * bytes, a range holding the newline, which the kernel relies on to stop at a short line's end, or
 * words it cannot list).
 */
export function createScanPlan(
  sig: StartSignature,
  foreign: ForeignStarts,
  lifecycleNames: readonly Uint8Array[],
  messagePrefixes?: readonly string[],
): ScanPlan | undefined {
  const { ranges, wordAt, words } = sig;
  const length = ranges.length / 2;
  if (length < 1 || ranges.length % 2 !== 0 || length > MAX_SIGNATURE) return undefined;
  for (let k = 0; k < ranges.length; k += 2) {
    if (ranges[k] <= 0x0a && ranges[k] + ranges[k + 1] >= 0x0a) return undefined;
  }
  const wordLen = words.length > 0 ? words[0].length : 0;
  if (words.length > MAX_WORDS || wordLen > 4 || words.some((w) => w.length !== wordLen) || wordAt + wordLen > length) return undefined;
  const tables = new Uint8Array(TABLES_SIZE);
  const low = ranges[0];
  const span = ranges[1];
  for (let b = 0; b < 256; b++) {
    if (b - low >= 0 && b - low <= span) tables[b] |= 1;
    if (foreign.firstBytes[b]) tables[b] |= 2;
  }
  tables[0x0a] = 0; // an empty line starts nothing
  for (const name of lifecycleNames) {
    if (name.length > 0) tables[NAMES_OFFSET + Math.min(name.length, 63) * 256 + name[0]] = 1;
  }
  for (let k = 0; k < MAX_SIGNATURE; k++) {
    tables[SIG_LOW_OFFSET + k] = k < length ? ranges[2 * k] : 0;
    tables[SIG_SPAN_OFFSET + k] = k < length ? ranges[2 * k + 1] : 255;
  }
  const view = new DataView(tables.buffer);
  tables[WORD_OFFSET] = wordAt;
  tables[WORD_OFFSET + 1] = words.length;
  view.setUint32(WORD_OFFSET + 4, wordLen === 4 ? 0xffffffff : 2 ** (8 * wordLen) - 1, true);
  words.forEach((w, k) => tables.set(w, WORD_OFFSET + 8 + k * 4));
  tables.set(BYTE_CLASSES, CLASS_OFFSET);
  tables.set(foreign.secondBytes, PAIR_OFFSET);
  setMessageKeys(tables, view, messagePrefixes);
  return { signatureLength: length, tables };
}

/**
 * The plan for a format without a start signature the kernel can follow (JUL SimpleFormatter's
 * two-line records, whose dates have no fixed width): no line is a start of it to the kernel, which
 * reports only the lines that may begin a record of some format (`starts`: every format's heads,
 * the decided one's too) and the lines over the cap. JavaScript reads those one by one; the others
 * (a stack trace's lines, most of all) it takes in bulk.
 */
export function createHeadsScanPlan(starts: ForeignStarts): ScanPlan {
  const tables = new Uint8Array(TABLES_SIZE);
  for (let b = 0; b < 256; b++) if (starts.firstBytes[b]) tables[b] = 2;
  tables[0x0a] = 0; // an empty line starts nothing
  tables.set(starts.secondBytes, PAIR_OFFSET);
  // No byte has the signature bit, so the kernel never reads a signature, names or message keys.
  return { signatureLength: 1, tables };
}

/**
 * The kernel's message tables (line-scan.wat, $messageMay): the first three characters of each
 * prefix that are printable ASCII as a key, with the list of the whole prefixes that begin so; the
 * first byte of a shorter prefix as one that always goes to JavaScript. A key of another kind needs
 * a message whose first three bytes are not three printable ASCII bytes, which the kernel reports
 * anyway. No prefixes, an empty one, or more keys than half the slots: every message goes to
 * JavaScript (the recogniser's mayMatch decides). A key whose list does not fit (more than 255
 * lists, a prefix over 255 bytes, the lists' room full) gets none: its messages go to JavaScript.
 */
function setMessageKeys(tables: Uint8Array, view: DataView, prefixes: readonly string[] | undefined): void {
  /** Each key's whole prefixes, as the kernel compares them: UTF-8. */
  const keys = new Map<number, Buffer[]>();
  let askAll = prefixes === undefined;
  for (const prefix of prefixes ?? []) {
    if (prefix.length === 0) askAll = true;
    else if (prefix.length < 3) tables[MESSAGE_FIRST_OFFSET + Buffer.from(prefix)[0]] = 1;
    else if (/^[\x21-\x7e]{3}/.test(prefix)) {
      const key = prefix.charCodeAt(0) | (prefix.charCodeAt(1) << 8) | (prefix.charCodeAt(2) << 16);
      const utf8 = Buffer.from(prefix);
      const list = keys.get(key);
      if (list) list.push(utf8);
      else keys.set(key, [utf8]);
    }
  }
  if (askAll || keys.size > MESSAGE_KEY_SLOTS / 2) {
    tables.fill(1, MESSAGE_FIRST_OFFSET, MESSAGE_FIRST_OFFSET + 256);
    return;
  }
  let lists = 0;
  let at = 0;
  for (const [key, list] of keys) {
    let h = Math.imul(key, 0x9e3779b1) >>> 22;
    while (view.getUint32(MESSAGE_KEYS_OFFSET + h * 4, true) !== 0) h = (h + 1) & (MESSAGE_KEY_SLOTS - 1);
    const bytes = list.reduce((n, p) => n + 1 + p.length, 1);
    const fits = lists + 1 < MAX_PREFIX_LISTS && at + bytes <= PREFIX_BYTES && list.every((p) => p.length <= 255);
    if (fits) {
      lists++;
      view.setUint16(PREFIX_LISTS_OFFSET + lists * 2, at, true);
      for (const p of list) {
        tables[PREFIX_BYTES_OFFSET + at++] = p.length;
        tables.set(p, PREFIX_BYTES_OFFSET + at);
        at += p.length;
      }
      tables[PREFIX_BYTES_OFFSET + at++] = 0;
    }
    view.setUint32(MESSAGE_KEYS_OFFSET + h * 4, (key | ((fits ? lists : 0) << 24)) >>> 0, true);
  }
}

/**
 * One parser's kernel: its own WebAssembly instance and memory (the compiled module is shared), so
 * that a file can be read straight into the memory the kernel scans (`readBuffer`): no copy, and
 * reads into WebAssembly memory measured 3-4 times faster than into a 1 MiB Buffer here (see
 * benchmarks/README.md).
 */
export class LineScanKernel {
  private readonly k: KernelExports;
  private readonly result: ScanResult;
  private readonly sigLen: number;
  private regionAt = 0;
  private regionLength = 0;

  private constructor(exports: unknown, plan: ScanPlan) {
    this.k = exports as KernelExports;
    this.grow(DATA_AT + SLACK);
    new Uint8Array(this.k.memory.buffer).set(plan.tables, TABLES_AT);
    this.sigLen = plan.signatureLength;
    this.result = { entries: new Int32Array(this.k.memory.buffer, OUT_AT, OUT_CAP * REPORT_INTS), count: 0, resume: 0, lines: 0, ascii: false };
  }

  /**
   * A kernel for `plan`, or undefined where WebAssembly SIMD is not available. `shared`: its memory
   * is a SharedArrayBuffer (the scan thread's, which the main thread reads chunks from in place).
   */
  static create(plan: ScanPlan, shared = false): LineScanKernel | undefined {
    const variant = shared ? 1 : 0;
    if (compiled[variant] === null) {
      try {
        const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
        compiled[variant] = { wasm, module: new wasm.Module(Buffer.from(shared ? LINE_SCAN_SHARED_WASM : LINE_SCAN_WASM, 'base64')) };
      } catch {
        compiled[variant] = undefined; // no WebAssembly, or no SIMD: the per-line path stays
      }
    }
    const c = compiled[variant];
    if (!c) return undefined;
    return new LineScanKernel(new c.wasm.Instance(c.module, {}).exports, plan);
  }

  /**
   * `size` bytes of the kernel's memory to read input into and then `push`: scanned in place. Two
   * slots (0 and 1) or more, so that the next chunk can be read while this one is scanned; a region
   * copied by `load` (at most COPY_AREA bytes) lands before them. The first call makes room for
   * slots 0 and 1 (and up to `slot`), so as long as `size` stays the same, neither this nor `load`
   * grows the memory (which would detach the slot a read is under way into). Valid until the next
   * call for the same slot.
   */
  readBuffer(size: number, slot = 0): Buffer {
    this.grow(slotAt(size, Math.max(2, slot + 1)));
    return Buffer.from(this.k.memory.buffer, slotAt(size, slot), size);
  }

  /** The kernel's memory (a SharedArrayBuffer for a `shared` kernel); a new one after it grows. */
  get memory(): ArrayBufferLike {
    return this.k.memory.buffer;
  }

  /** Size of the kernel's memory (it grows, never shrinks). */
  get memoryBytes(): number {
    return this.k.memory.buffer.byteLength;
  }

  /** True when `bytes` lie in this kernel's memory (read into `readBuffer`): scanned in place. */
  holds(bytes: Uint8Array): boolean {
    return bytes.buffer === this.k.memory.buffer;
  }

  /**
   * Makes the first `length` bytes of `readBuffer(size, slot)` (whole lines) the region `scan` goes
   * over, where they were read. For a shared memory, use this rather than `load`: V8 gives a shared
   * memory a new `buffer` object some time after it grew (once every thread sharing it has been
   * told), so a slot's Buffer made before then is not `holds()` afterwards, and `load` would copy
   * it over the slots.
   */
  loadSlot(size: number, slot: number, length: number): void {
    this.regionAt = slotAt(size, slot);
    this.regionLength = length;
  }

  /** Makes `region` (whole lines: its last byte is a newline) the one `scan` goes over. */
  load(region: Uint8Array): void {
    const memory = this.k.memory.buffer;
    const at = region.byteOffset;
    if (region.buffer === memory && at >= SLOTS_AT && at + region.length + SLACK <= memory.byteLength) {
      this.regionAt = at; // read into readBuffer(): already in place
    } else {
      this.grow(DATA_AT + region.length + SLACK);
      new Uint8Array(this.k.memory.buffer).set(region, DATA_AT);
      this.regionAt = DATA_AT;
    }
    this.regionLength = region.length;
  }

  /**
   * Scans the loaded region from `from` (a line start). Offsets in the result are region offsets;
   * the result object is reused by the next call.
   */
  scan(from: number, maxLine: number): ScanResult {
    return this.scanFrom(from, maxLine, 0);
  }

  /** `scan`, with `lineBase` added to the reports' line indexes. */
  private scanFrom(from: number, maxLine: number, lineBase: number): ScanResult {
    const k = this.k;
    const r = this.result;
    const base = this.regionAt;
    // The kernel writes region offsets and line indexes as they are to be read.
    const count = k.scan(base + from, base + this.regionLength, OUT_AT, OUT_CAP, TABLES_AT, this.sigLen, maxLine, base, lineBase);
    if (r.entries.buffer !== k.memory.buffer) r.entries = new Int32Array(k.memory.buffer, OUT_AT, OUT_CAP * REPORT_INTS); // grown since
    r.count = count;
    r.resume = (k.resume.value as number) - base;
    r.lines = k.lines.value as number;
    r.ascii = k.ascii.value === 1;
    return r;
  }

  /**
   * Every report of the loaded region in one array of its own (which the scan thread can send
   * away): as `scan` gives them, but line indexes count from the region's first line, not the call's.
   */
  scanAll(maxLine: number): WholeScan {
    let count = 0;
    let lines = 0;
    let ascii = true;
    let r = this.scanFrom(0, maxLine, 0);
    // Room for the first call's reports, twice over when more calls follow.
    let entries = new Int32Array((r.resume >= this.regionLength ? r.count : Math.max(64, 2 * r.count)) * REPORT_INTS);
    for (;;) {
      const n = r.count * REPORT_INTS;
      if ((count + r.count) * REPORT_INTS > entries.length) {
        const more = new Int32Array(Math.max(entries.length * 2, (count + r.count) * REPORT_INTS));
        more.set(entries.subarray(0, count * REPORT_INTS));
        entries = more;
      }
      entries.set(r.entries.subarray(0, n), count * REPORT_INTS);
      count += r.count;
      lines += r.lines;
      ascii &&= r.ascii;
      if (r.resume >= this.regionLength) break;
      // A call that finished no line: the region's last line has no newline (a caller's error),
      // and every further call would stop there too.
      if (r.lines === 0) throw new Error('line scan: the region does not end with a newline');
      r = this.scanFrom(r.resume, maxLine, lines);
    }
    return { entries, count, lines, ascii };
  }

  private grow(bytes: number): void {
    const memory = this.k.memory;
    if (bytes <= memory.buffer.byteLength) return;
    memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
  }
}

/** The compiled module, own memory [0] and shared [1]: null until first asked for, undefined where it cannot load. */
const compiled: Array<{ wasm: WasmApi; module: object } | undefined | null> = [null, null];

// One input's whole parsing path, bytes in, events out: framing → records → events, with the
// accounting that says where every line went. No I/O: archives, stdin, live tails and the
// object-mode stream all feed it bytes.
//
// Fast path: once the format is decided (on decoded lines, as always) and it is one the byte-level
// start matcher follows exactly (cluster-prefilter.ts), lines stay bytes. Each line is classified
// on its bytes: a record start or not, and for a start, whether its logger can yield an event. Only
// the lines of such records are decoded and handed to the record assembler; the other records are
// only counted, with the accounting the assembler would have given them (lines, records,
// recordLines, unparsed). Formats without a logger, prefixed lines, `all` and unknown patterns keep
// the general path.
//
// Bulk scan: on the byte path, whole lines of valid UTF-8 go to the line-scan kernel
// (line-scan.ts), which reports the few lines that can start a record or a foreign record, or are
// over the cap. Only those take the per-line classification; the lines between them are
// continuation lines, added to the current record in bulk (decoded only when the record is one the
// assembler holds). The per-line path remains for everything else and gives the same results.

import { CLUSTER_LOGGER, createStartMatcher, LIFECYCLE_LOGGER, LoggerFilter, START, UNSURE, type StartMatcher } from './cluster-prefilter.js';
import type { CompiledEventGrammar } from './event-grammar.js';
import { sharedEventRecogniser } from './event-recogniser.js';
import { matchInto, reusableMatchFields, type CompiledFormat, type CompiledPattern, type MatchFields } from './format-grammar.js';
import { createRecordAssembler } from './record-assembler.js';
import { isUtf8 } from 'node:buffer';
import { decodeLine, LINE_INVALID_UTF8, LINE_TRUNCATED, LineFramer, lineContentEnd, NEWLINE } from './line-framer.js';
import { COPY_AREA, createHeadsScanPlan, createScanPlan, LineScanKernel, REPORT_INTS, SCAN_COUNTED_START, SCAN_LOGGER_START, SCAN_MAYBE_FOREIGN, type ScanPlan, type WholeScan } from './line-scan.js';
import { isoWithOffset } from './iso-time.js';
import { isAsciiSpace, isSecondLine, JulStarts, secondLineMessage, YES } from './jul-bytes.js';
import { HeadTable } from './start-heads.js';
import { lineDecoder } from './text-encoding.js';
import { emptyInputStats, type ClusterEvent, type InputStats, type Line, type LogRecord } from './types.js';

export interface InputParserOptions {
  file: string;
  node: string;
  formats: CompiledFormat[];
  events: CompiledEventGrammar[];
  /** IANA zone for the logs' zone-less timestamps; default the local zone. */
  tz?: string;
  /** Force a format grammar by name instead of detecting it. */
  logFormat?: string;
  dateOrder?: 'dmy' | 'mdy';
  /** Also emit records that are not cluster events, as type `record`. */
  all?: boolean;
  maxLineBytes?: number;
  /**
   * Classify lines on their bytes and decode only records that can yield an event (default true;
   * env CATALINA_LENS_FAST_PATH=0 turns the default off). Results are the same either way.
   */
  fastPath?: boolean;
  /**
   * On the fast path, find lines with the WebAssembly line-scan kernel where it is available
   * (default true; env CATALINA_LENS_LINE_SCAN=0 turns the default off). Results are the same.
   */
  lineScan?: boolean;
  /**
   * The input's character encoding (a WHATWG label: `windows-1252`, `gbk`, `shift_jis`, ...);
   * default UTF-8. Any other is decoded line by line, without the fast path.
   */
  encoding?: string;
}

/** The fast path's default: on, unless env `CATALINA_LENS_FAST_PATH` is `0`, `false` or `off`. */
export function fastPathDefault(): boolean {
  return !envOff('CATALINA_LENS_FAST_PATH');
}

/** The bulk line scan's default: on, unless env `CATALINA_LENS_LINE_SCAN` is `0`, `false` or `off`. */
export function lineScanDefault(): boolean {
  return !envOff('CATALINA_LENS_LINE_SCAN');
}

function envOff(name: string): boolean {
  const v = typeof process === 'undefined' ? undefined : process.env[name];
  return v === '0' || v === 'false' || v === 'off';
}

/** Bytes of a message decoded to see whether a template can match it. */
const MESSAGE_HEAD = 64;

/** Bytes handed to the framer at a time while the format is not decided yet. */
const DETECT_PIECE = 16 * 1024;

/** Bytes of a chunk read into the kernel's memory handed to it at a time. */
const MAX_REGION = 4 * 1024 * 1024;
/**
 * Bytes of another chunk (gzip, stdin, a live tail) copied into the kernel's memory at a time: the
 * kernel keeps room for this much (a tail may hold a parser per file), before its read slots.
 */
const COPY_REGION = COPY_AREA;

const enum Mode {
  /** Format not decided yet: lines decoded and buffered by the assembler. */
  Detect,
  /** Every line decoded and given to the assembler. */
  General,
  /** Lines classified on their bytes. */
  Bytes,
}

/** On the byte path, who holds the current record. */
const enum Hold {
  /** The assembler (also before the first record: it counts such lines as unparsed). */
  Assembler,
  /** A record that cannot yield an event, counted here. */
  Counted,
  /** No record (a counted one was flushed): non-start lines are unparsed. */
  None,
}

/** A line's bytes kept for a while, and what was read of it. */
interface HeldLine {
  buf: Buffer;
  start: number;
  end: number;
  time: string;
  /** Its logger is a lifecycle logger (else another logger). */
  lifecycle: boolean;
  lineNo: number;
  lineOffset: number;
}

export class InputParser {
  readonly stats: InputStats;
  private readonly framer: LineFramer;
  private readonly assembler: ReturnType<typeof createRecordAssembler>;
  private readonly recognise: (rec: LogRecord, node: string) => ClusterEvent | undefined;
  private readonly mayMatch: (text: string, complete: boolean) => boolean;
  /** The templates' literal prefixes (the recogniser's), for the kernel's message test. */
  private readonly messagePrefixes: readonly string[];

  private mode: Mode;
  private matcher: StartMatcher | undefined;
  /** Which loggers' records may yield events (the fast path only). */
  private readonly loggers: LoggerFilter | undefined;
  private pattern: CompiledPattern | undefined;
  /** On the byte path: the time's width in bytes when it is fixed (the start signature's, less its space), else -1. */
  private timeWidth = -1;
  private hold = Hold.Assembler;
  /** Lines of the counted record so far. */
  private countedLines = 0;
  private readonly probe: MatchFields = reusableMatchFields();
  private decoded = 0;
  private readonly fast: boolean;
  /** Number and offset of the line being classified (from the framer, or from the bulk scan). */
  private lineNo = 0;
  private lineOffset = 0;
  private kernel: LineScanKernel | undefined;
  private plan: ScanPlan | undefined;
  /** Off the byte path: what a start line of any format may begin with (undefined: not known). */
  private anyStart: HeadTable | undefined;
  /** JUL SimpleFormatter record starts that may be only counted, read on bytes (jul-bytes.ts). */
  private jul: JulStarts | undefined;
  /**
   * A JUL header line of another or a lifecycle logger's record read on bytes, waiting for the next
   * line: with a `LEVEL:` line (and, for a lifecycle logger, a message no template fits) its record
   * is counted, else it is decoded and pushed as it would have been. Its
   * bytes are those of the chunk being pushed, copied only if it is still held when `push` returns
   * (the caller may reuse its buffer); one object, reused.
   */
  private readonly julHeader: HeldLine = { buf: Buffer.alloc(0), start: 0, end: 0, time: '', lifecycle: false, lineNo: 0, lineOffset: 0 };
  private julHolding = false;

  constructor(
    private readonly opts: InputParserOptions,
    private readonly onEvent: (ev: ClusterEvent) => void,
  ) {
    this.stats = emptyInputStats(opts.file, opts.node);
    const recogniser = sharedEventRecogniser(opts.events);
    this.recognise = recogniser.recognise.bind(recogniser);
    this.mayMatch = recogniser.mayMatch.bind(recogniser);
    this.messagePrefixes = recogniser.prefixes;
    const decode = lineDecoder(opts.encoding);
    const fast = (this.fast = (opts.fastPath ?? fastPathDefault()) && !opts.all && decode === undefined);
    // The fast path, where lines are decoded anyway (a format without a byte path): the records that
    // cannot yield an event are only counted, as the byte path counts them.
    const loggers = (this.loggers = fast ? new LoggerFilter(opts.events) : undefined);
    const wanted = loggers && ((logger: string | undefined, message: string) => this.mayYield(loggers.kindOfName(logger), message));
    this.assembler = createRecordAssembler(
      { formats: opts.formats, file: opts.file, tz: opts.tz, logFormat: opts.logFormat, dateOrder: opts.dateOrder, wanted },
      { record: (r) => this.onRecord(r), unparsed: () => this.stats.unparsed++, counted: (lines) => this.onCounted(lines) },
    );
    this.mode = fast ? Mode.Detect : Mode.General;
    this.framer = fast
      ? new LineFramer(() => {}, { maxLineBytes: opts.maxLineBytes, raw: (b, s, e, f) => this.onRaw(b, s, e, f) })
      : new LineFramer((line) => this.assembler.push(line), { maxLineBytes: opts.maxLineBytes, decode });
  }

  get format(): string | undefined {
    return this.assembler.format;
  }

  /** Lines decoded into strings so far (every line without the fast path). */
  get decodedLines(): number {
    return this.fast ? this.decoded : this.framer.stats.lines;
  }

  /** True once lines are classified on their bytes. */
  get onBytes(): boolean {
    return this.mode === Mode.Bytes;
  }

  /**
   * True once whole lines go through the line-scan kernel: on the byte path, or, for a format the
   * byte path cannot read (JUL SimpleFormatter), to find the lines that may start a record.
   */
  get scanning(): boolean {
    return this.kernel !== undefined && (this.mode === Mode.Bytes || this.mode === Mode.General);
  }

  /**
   * What a scan thread needs to scan this input's lines as this parser's kernel does: its plan
   * and line cap, and whether a partial line is held (the next bytes finish it, unscanned).
   * Undefined unless whole lines go through the kernel.
   */
  get scanSetup(): { plan: ScanPlan; maxLineBytes: number; holdingPartial: boolean } | undefined {
    // The byte path only: a JUL file on the scan thread took as long (its headers are still read
    // here, line by line) for ~40 MiB more (the thread).
    if (this.kernel === undefined || this.mode !== Mode.Bytes || this.plan === undefined) return undefined;
    return { plan: this.plan, maxLineBytes: this.framer.maxLineBytes, holdingPartial: this.framer.holding };
  }

  /**
   * Where to read the next `size` bytes of input before `push`ing them, when the line-scan kernel
   * is in use: its own memory, so the bytes are scanned where they were read. Undefined otherwise.
   * Two slots: one can be read into while the chunk in the other is pushed. Valid until the next
   * call for the same slot.
   */
  readBuffer(size: number, slot: 0 | 1 = 0): Buffer | undefined {
    return this.scanning ? this.kernel!.readBuffer(size, slot) : undefined;
  }

  push(chunk: Buffer): void {
    let at = 0;
    // Until the format is decided, in small pieces: the rest of the chunk then goes to the kernel
    // (detection takes ~100 lines; the first 1 MiB read holds ~10 000).
    while (this.mode === Mode.Detect && at < chunk.length) {
      const end = Math.min(chunk.length, at + DETECT_PIECE);
      this.framer.push(at === 0 && end === chunk.length ? chunk : chunk.subarray(at, end));
      at = end;
    }
    const rest = at === 0 ? chunk : chunk.subarray(at);
    if (rest.length > 0) {
      if (this.scanning) this.pushBulk(rest);
      else this.framer.push(rest);
    }
    if (this.julHolding) this.ownJulHeader();
    this.syncFramerStats();
  }

  /** For live inputs after an idle period: emit a held partial line and the pending record. */
  flush(): void {
    this.framer.flushPartial();
    if (this.julHolding) this.pushJulHeader();
    this.endCounted(Hold.None);
    this.assembler.flush();
    if (this.mode === Mode.Detect && this.assembler.format !== undefined) this.decided();
    this.syncFramerStats();
  }

  end(): void {
    this.framer.end();
    if (this.julHolding) this.pushJulHeader();
    this.endCounted(Hold.None);
    this.assembler.end();
    this.syncFramerStats();
    this.stats.format = this.assembler.format;
  }

  private syncFramerStats(): void {
    const f = this.framer.stats;
    this.stats.bytes = f.bytes;
    this.stats.lines = f.lines;
    this.stats.invalidUtf8 = f.invalidUtf8;
    this.stats.truncatedLines = f.truncatedLines;
  }

  /** The held JUL header line goes the general way after all (its next line was no `LEVEL:` line). */
  private pushJulHeader(): void {
    const h = this.julHeader;
    this.julHolding = false;
    this.decoded++;
    this.assembler.push(decodeLine(h.buf, h.start, h.end, 0, h.lineNo, h.lineOffset));
  }

  /** The held JUL header outlives the chunk it was read from: its bytes are copied. */
  private ownJulHeader(): void {
    const h = this.julHeader;
    h.buf = Buffer.from(h.buf.subarray(h.start, h.end));
    h.end -= h.start;
    h.start = 0;
  }

  private decode(buf: Buffer, start: number, end: number, flags: number): Line {
    this.decoded++;
    return decodeLine(buf, start, end, flags, this.lineNo, this.lineOffset);
  }

  private onRaw(buf: Buffer, start: number, end: number, flags: number): void {
    this.lineNo = this.framer.stats.lines;
    this.lineOffset = this.framer.lineOffset;
    if (this.mode === Mode.Bytes) this.onBytesLine(buf, start, end, flags);
    else this.onLine(buf, start, end, flags);
  }

  /** A line off the byte path (`lineNo` and `lineOffset` set): while detecting, or in a format it cannot read. */
  private onLine(buf: Buffer, start: number, end: number, flags: number): void {
    if (this.julHolding) {
      // A lifecycle logger's record is wanted where a template may fit its message (as `wanted` asks).
      if (flags === 0 && isSecondLine(buf, start, end) === YES && !(this.julHeader.lifecycle && this.messageMayMatch(buf, secondLineMessage(buf, start, end), end))) {
        this.julHolding = false;
        this.assembler.countStart(this.julHeader.time, 2);
        return;
      }
      this.pushJulHeader();
    }
    if (this.anyStart !== undefined && this.assembler.countingOnly && !this.anyStart.mayStart(buf, start, end)) {
      this.assembler.countLines(1);
      return;
    }
    if (this.jul !== undefined && flags === 0 && this.assembler.mayCountStart) {
      const time = this.jul.headerTime(buf, start, end);
      if (time !== undefined) {
        const h = this.julHeader;
        h.lifecycle = this.jul.lifecycle;
        h.buf = buf;
        h.start = start;
        h.end = end;
        h.time = time;
        h.lineNo = this.lineNo;
        h.lineOffset = this.lineOffset;
        this.julHolding = true;
        return;
      }
    }
    this.assembler.push(this.decode(buf, start, end, flags));
    if (this.mode === Mode.Detect) {
      if (this.assembler.format !== undefined) this.decided();
    } else if (this.assembler.format === undefined) {
      // The fallback was provisional (nothing had matched): a start of another format reopened detection.
      this.mode = Mode.Detect;
      this.anyStart = undefined;
      this.jul = undefined;
      this.kernel = undefined;
      this.plan = undefined;
    }
  }

  /** The format is decided: classify on bytes from now on, when the format allows it exactly. */
  private decided(): void {
    this.mode = Mode.General;
    const fmt = this.opts.formats.find((f) => f.name === this.assembler.format);
    if (!fmt || this.assembler.prefixed) return;
    const matcher = createStartMatcher(fmt);
    if (!matcher) {
      // No byte path for this format: lines are decoded, but not those that only add to a record
      // being counted (they begin no start of this format or another).
      const patterns = this.opts.formats.filter((f) => f === fmt || !f.fallback).flatMap((f) => f.patterns);
      this.anyStart = HeadTable.of(patterns.map((p) => p.heads));
      // JUL's two-line starts of other loggers' records are counted without decoding them.
      this.jul = this.loggers && JulStarts.of(fmt, this.loggers);
      // Its lines that begin no record of any format (a stack trace's) are taken in bulk.
      if (this.jul && this.anyStart && (this.opts.lineScan ?? lineScanDefault())) {
        const plan = createHeadsScanPlan(this.anyStart);
        this.kernel = LineScanKernel.create(plan);
        if (this.kernel) this.plan = plan;
      }
      return;
    }
    this.matcher = matcher;
    this.timeWidth = matcher.signature ? matcher.signature.ranges.length / 2 - 1 : -1;
    this.pattern = fmt.patterns[0];
    this.hold = Hold.Assembler; // the assembler may hold the current record
    this.mode = Mode.Bytes;
    const foreign = this.assembler.foreignHeads;
    if (matcher.signature && foreign && (this.opts.lineScan ?? lineScanDefault())) {
      const plan = createScanPlan(matcher.signature, foreign, this.loggers!.names, this.messagePrefixes);
      if (plan) this.kernel = LineScanKernel.create(plan);
      if (this.kernel) this.plan = plan;
    }
  }

  /** The byte path through the kernel: whole lines of valid UTF-8 in bulk, the rest line by line. */
  private pushBulk(chunk: Buffer): void {
    const window = this.kernel!.holds(chunk) ? MAX_REGION : COPY_REGION;
    let at = 0;
    while (at < chunk.length) {
      if (this.framer.holding) {
        // finish the held line on the per-line path
        const nl = chunk.indexOf(NEWLINE, at);
        const stop = nl === -1 ? chunk.length : nl + 1;
        this.framer.push(chunk.subarray(at, stop));
        at = stop;
        continue;
      }
      const windowEnd = Math.min(chunk.length, at + window);
      const last = chunk.lastIndexOf(NEWLINE, windowEnd - 1);
      if (last < at) {
        this.framer.push(chunk.subarray(at, windowEnd)); // no whole line here: the framer holds it
        at = windowEnd;
        continue;
      }
      this.scanRegion(chunk.subarray(at, last + 1));
      at = last + 1;
    }
  }

  /** Classifies the region's reported lines one by one and its other lines in bulk. */
  private scanRegion(region: Buffer): void {
    const kernel = this.kernel!;
    kernel.load(region);
    const scan = kernel.scanAll(this.framer.maxLineBytes);
    // Lines are decoded as UTF-8 from here on: unless the kernel saw only ASCII, check the region.
    if (!scan.ascii && !isUtf8(region)) {
      this.splitInvalid(region);
      return;
    }
    if (this.mode === Mode.Bytes) this.walkReports(region, scan);
    else this.walkHeads(region, scan);
  }

  /**
   * A region of whole lines of valid UTF-8 that the scan thread has already scanned with this
   * parser's `scanSetup`: what `push` does with it, without scanning it again.
   * Anything else (a region whose bytes are not UTF-8 is not scanned) goes to `push`.
   */
  pushScanned(region: Buffer, scan: WholeScan | undefined): void {
    // The scan thread serves the byte path only (`scanSetup`).
    if (scan === undefined || this.kernel === undefined || this.mode !== Mode.Bytes || this.framer.holding) {
      this.push(region);
      return;
    }
    this.walkReports(region, scan);
    this.syncFramerStats();
  }

  /** The region's reported lines one by one, the unreported ones in bulk, and the framer's accounting of it. */
  private walkReports(region: Buffer, scan: WholeScan): void {
    const max = this.framer.maxLineBytes;
    const baseLine = this.framer.stats.lines;
    const baseOffset = this.framer.stats.bytes;
    const e = scan.entries;
    let truncated = 0;
    /** Region line index and offset of the first line not yet handled. */
    let next = 0;
    let nextAt = 0;
    const n = scan.count * REPORT_INTS;
    for (let i = 0; i < n; i += REPORT_INTS) {
      const start = e[i];
      const nl = e[i + 1];
      const index = e[i + 2];
      if (index > next) this.bulkLines(region, nextAt, start, index - next, baseLine + next, baseOffset);
      if (e[i + 3] === SCAN_COUNTED_START) {
        // A run of records that cannot yield events: each further start closes the record before.
        this.countedStart();
        const last = e[i + 6];
        this.stats.records += e[i + 4];
        this.stats.recordLines += last - index;
        next = last + 1;
        nextAt = e[i + 5] + 1;
        continue;
      }
      next = index + 1;
      nextAt = nl + 1;
      this.lineNo = baseLine + index + 1;
      this.lineOffset = baseOffset + start;
      // The kernel's verdicts on these two are the byte matcher's: no need to match them again.
      const code = e[i + 3];
      if (code === SCAN_LOGGER_START) {
        this.onStartLine(region, start, lineContentEnd(region, start, nl, max), 0, e[i + 4], e[i + 6], e[i + 7]);
        continue;
      }
      if (code === SCAN_MAYBE_FOREIGN) {
        this.onOtherLine(region, start, lineContentEnd(region, start, nl, max), 0, undefined);
        continue;
      }
      let flags = 0;
      if (nl - start > max) {
        flags = LINE_TRUNCATED;
        truncated++;
      }
      this.onBytesLine(region, start, lineContentEnd(region, start, nl, max), flags);
    }
    const lines = scan.lines;
    if (lines > next) this.bulkLines(region, nextAt, region.length, lines - next, baseLine + next, baseOffset);
    this.framer.advance(region.length, lines, truncated);
  }

  /**
   * `walkReports` for a format off the byte path (JUL SimpleFormatter), whose kernel reported the
   * lines that may start a record of some format and those over the cap: each of those goes the
   * per-line way (`onLine`), and so does the line after a held JUL header. The others start
   * nothing: they add to a counted record in bulk, or are decoded into the record being kept.
   */
  private walkHeads(region: Buffer, scan: WholeScan): void {
    const max = this.framer.maxLineBytes;
    const baseLine = this.framer.stats.lines;
    const baseOffset = this.framer.stats.bytes;
    const e = scan.entries;
    let truncated = 0;
    let next = 0;
    let nextAt = 0;
    const n = scan.count * REPORT_INTS;
    for (let i = 0; i <= n; i += REPORT_INTS) {
      if (this.mode !== Mode.General) {
        // Detection reopened (a provisional format, which a JUL one is not): the framer takes the rest.
        this.framer.advance(nextAt, next, truncated);
        this.framer.push(region.subarray(nextAt));
        return;
      }
      const index = i < n ? e[i + 2] : scan.lines;
      if (index > next) this.unreportedLines(region, nextAt, next, index, baseLine, baseOffset);
      if (i === n) break;
      const start = e[i];
      const nl = e[i + 1];
      let flags = 0;
      if (nl - start > max) {
        flags = LINE_TRUNCATED;
        truncated++;
      }
      this.lineNo = baseLine + index + 1;
      this.lineOffset = baseOffset + start;
      this.onLine(region, start, lineContentEnd(region, start, nl, max), flags);
      next = index + 1;
      nextAt = nl + 1;
    }
    this.framer.advance(region.length, scan.lines, truncated);
  }

  /**
   * Lines `[first, end)` of the region (at `from`), which begin no record of any format: what
   * `onLine` does with each, in bulk where it only counts them.
   */
  private unreportedLines(region: Buffer, from: number, first: number, end: number, linesBefore: number, baseOffset: number): void {
    let start = from;
    for (let index = first; index < end; index++) {
      // After a held JUL header the next line tells what it heads (`onLine`); then a counted record
      // takes the rest in bulk, and so does a kept record's stack trace, which no event carries.
      if (!this.julHolding) {
        if (this.assembler.countingOnly) {
          this.assembler.countLines(end - index);
          return;
        }
        if (this.assembler.tracing) {
          this.assembler.countTraceLines(end - index);
          return;
        }
      }
      const nl = region.indexOf(NEWLINE, start);
      this.lineNo = linesBefore + index + 1;
      this.lineOffset = baseOffset + start;
      this.onLine(region, start, lineContentEnd(region, start, nl, Number.POSITIVE_INFINITY), 0);
      start = nl + 1;
    }
  }

  /**
   * A region with bytes that are not UTF-8: halves go back to the scan until the bad lines are
   * within 64 KiB, which the framer takes line by line (it marks the lines that are not UTF-8).
   */
  private splitInvalid(region: Buffer): void {
    const mid = region.length > 64 * 1024 ? region.lastIndexOf(NEWLINE, region.length >> 1) : -1;
    if (mid < 0) {
      this.framer.push(region);
      return;
    }
    this.scanRegion(region.subarray(0, mid + 1));
    this.scanRegion(region.subarray(mid + 1));
  }

  /**
   * `count` lines at `region[from, to)` that start nothing (not reported by the kernel): what
   * `onBytesLine` does with such a line, for all of them at once.
   */
  private bulkLines(region: Buffer, from: number, to: number, count: number, linesBefore: number, baseOffset: number): void {
    if (this.hold === Hold.Counted) this.countedLines += count;
    else if (this.hold === Hold.None) this.stats.unparsed += count;
    else {
      let start = from;
      let lineNo = linesBefore;
      while (start < to) {
        if (this.assembler.tracing) {
          // The rest are lines of the record's stack trace, which no event carries: counted, not decoded.
          this.assembler.countTraceLines(count - (lineNo - linesBefore));
          return;
        }
        // not reported, so not over the cap
        const nl = region.indexOf(NEWLINE, start);
        this.lineNo = ++lineNo;
        this.lineOffset = baseOffset + start;
        this.assembler.push(this.decode(region, start, lineContentEnd(region, start, nl, Number.POSITIVE_INFINITY), 0));
        start = nl + 1;
      }
    }
  }

  private onBytesLine(buf: Buffer, start: number, end: number, flags: number): void {
    const matcher = this.matcher!;
    const verdict = flags & LINE_INVALID_UTF8 ? UNSURE : matcher.match(buf, start, end);
    if (verdict === START) {
      this.onStartLine(buf, start, end, flags, matcher.loggerStart, matcher.loggerEnd, matcher.messageStart);
      return;
    }
    let line: Line | undefined;
    if (verdict === UNSURE) {
      // Not decidable on bytes: ask the regex, as the assembler will.
      line = this.decode(buf, start, end, flags);
      if (matchInto(this.pattern!, line.text, this.probe)) {
        this.onStart(this.mayYield(this.loggers!.kindOfName(this.probe.logger), this.probe.message ?? ''), line);
        return;
      }
    }
    this.onOtherLine(buf, start, end, flags, line);
  }

  /** A start line of the decided format (valid UTF-8), its logger and message located. */
  private onStartLine(buf: Buffer, start: number, end: number, flags: number, loggerStart: number, loggerEnd: number, messageStart: number): void {
    const kind = this.loggers!.kind(buf, loggerStart, loggerEnd);
    const interesting = kind === CLUSTER_LOGGER || (kind === LIFECYCLE_LOGGER && this.messageMayMatch(buf, messageStart, end));
    if (!interesting) {
      this.onStart(false, undefined);
      return;
    }
    const line = this.decode(buf, start, end, flags);
    // An ASCII line (a character a byte) with a fixed-width time: its fields are cut where the
    // matcher found them, not matched again; a cluster logger's record is wanted whatever it says.
    const cut = this.timeWidth >= 0 && line.text.length === end - start;
    this.onStart(true, line, cut ? this.startFields(line.text, loggerStart - start, loggerEnd - start) : undefined, kind === CLUSTER_LOGGER);
  }

  /**
   * The OneLine pattern's fields of `text`, an ASCII start line whose logger begins at `loggerAt`
   * and ends at `dotAt` (the dot before the method), as the pattern's groups read them: the time,
   * the level up to the white space before ` [`, the thread up to the `] ` before the logger, the
   * method up to white space or the end, and the message after that space (empty at the end, where
   * the group is missing: a record reads a missing message as an empty one).
   */
  private startFields(text: string, loggerAt: number, dotAt: number): MatchFields {
    const f = this.probe;
    const w = this.timeWidth;
    let levelEnd = w + 1;
    while (levelEnd < text.length && !isAsciiSpace(text.charCodeAt(levelEnd))) levelEnd++;
    let wordEnd = dotAt + 1;
    while (wordEnd < text.length && !isAsciiSpace(text.charCodeAt(wordEnd))) wordEnd++;
    f.time = text.slice(0, w);
    f.level = text.slice(w + 1, levelEnd);
    f.thread = text.slice(levelEnd + 2, loggerAt - 2);
    f.logger = text.slice(loggerAt, dotAt);
    f.method = text.slice(dotAt + 1, wordEnd);
    f.message = text.slice(wordEnd + 1);
    f.trace = undefined;
    return f;
  }

  /**
   * A start line: an interesting one goes to the assembler (decoded; with `fields`, read already,
   * as `pushStart` takes them, `wanted` as it says), another only begins a counted record.
   */
  private onStart(interesting: boolean, line: Line | undefined, fields?: MatchFields, wanted = false): void {
    if (interesting) {
      this.endCounted(Hold.Assembler);
      this.hold = Hold.Assembler;
      if (!(fields && this.assembler.pushStart(line!, fields, wanted))) this.assembler.push(line!);
    } else this.countedStart();
  }

  /** A line that starts no record of the decided format. */
  private onOtherLine(buf: Buffer, start: number, end: number, flags: number, line: Line | undefined): void {
    if (this.hold !== Hold.Assembler) {
      if (!this.isForeignStart(buf, start, end, flags, line)) {
        if (this.hold === Hold.Counted) this.countedLines++;
        else this.stats.unparsed++;
        return;
      }
      // A start line of another format (a file that mixes formats): the assembler reads its record.
      this.endCounted(Hold.Assembler);
      this.hold = Hold.Assembler;
    }
    this.assembler.push(line ?? this.decode(buf, start, end, flags));
  }

  /**
   * A lifecycle logger's record yields an event only where a template matches its message: decode
   * just the head of the message to see whether one can (most of VersionLoggerListener's lines
   * cannot).
   */
  private messageMayMatch(buf: Buffer, start: number, end: number): boolean {
    const complete = end - start <= MESSAGE_HEAD;
    return this.mayMatch(buf.toString('utf8', start, complete ? end : start + MESSAGE_HEAD), complete);
  }

  private isForeignStart(buf: Buffer, start: number, end: number, flags: number, line: Line | undefined): boolean {
    // No foreign pattern's words begin it (`Caused by` is no `CONFIG`): no regex needed.
    const heads = this.assembler.foreignHeads;
    if (heads !== undefined && !heads.mayStart(buf, start, end)) return false;
    return this.assembler.isForeignStart((line ?? this.decode(buf, start, end, flags)).text);
  }

  /** A start line of a record that cannot yield an event: the record is counted, not assembled. */
  private countedStart(): void {
    if (this.hold === Hold.Assembler) {
      this.assembler.dropHeld(); // this start is no held line's second line
      this.assembler.flush();
    } else this.endCounted(Hold.None);
    this.hold = Hold.Counted;
    this.countedLines = 1;
  }

  /** Closes a counted record, counting it as the assembler would. */
  private endCounted(next: Hold): void {
    if (this.hold !== Hold.Counted) return;
    this.onCounted(this.countedLines);
    this.countedLines = 0;
    this.hold = next;
  }

  /** Whether a record of a logger of `kind` whose message's first line is `message` may yield an event. */
  private mayYield(kind: number, message: string): boolean {
    return kind === CLUSTER_LOGGER || (kind === LIFECYCLE_LOGGER && this.mayMatch(message, true));
  }

  /** One record of `lineCount` lines read, whether built or only counted. */
  private onCounted(lineCount: number): void {
    this.stats.records++;
    this.stats.recordLines += lineCount;
  }

  private onRecord(rec: LogRecord): void {
    this.onCounted(rec.lineCount);
    const ev = this.recognise(rec, this.opts.node);
    if (ev) {
      // Counted for every event, not in a branch: the first unrecognised record, seen only after V8
      // had optimised the parse, deoptimised it (a property access with no type feedback).
      this.stats.unrecognisedCluster += ev.type === 'cluster-other' ? 1 : 0;
      this.count(ev.type);
      this.onEvent(ev);
    } else if (this.opts.all) {
      this.count('record');
      this.onEvent(recordEvent(rec, this.opts.node));
    }
  }

  private count(type: string): void {
    this.stats.events[type] = (this.stats.events[type] ?? 0) + 1;
  }
}

/** A non-cluster record in event shape, for `events --all`. */
function recordEvent(rec: LogRecord, node: string): ClusterEvent {
  const ev: ClusterEvent = { type: 'record', node, file: rec.file, line: rec.line, message: rec.message };
  if (rec.timeMs !== undefined) {
    ev.time = isoWithOffset(rec.timeMs, rec.tzOffsetMin ?? 0);
    ev.timeMs = rec.timeMs;
  }
  if (rec.level) ev.level = rec.level;
  if (rec.logger) ev.logger = rec.logger;
  if (rec.thread) ev.thread = rec.thread;
  return ev;
}

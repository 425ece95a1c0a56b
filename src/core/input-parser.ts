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

import { createStartMatcher, LoggerFilter, NOT_START, START, UNSURE, type StartMatcher } from './cluster-prefilter.js';
import type { CompiledEventGrammar } from './event-grammar.js';
import { createEventRecogniser } from './event-recogniser.js';
import { matchInto, type CompiledFormat, type CompiledPattern, type MatchFields } from './format-grammar.js';
import { createRecordAssembler } from './record-assembler.js';
import { decodeLine, LINE_INVALID_UTF8, LineFramer } from './line-framer.js';
import { isoWithOffset } from './iso-time.js';
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
}

/** The fast path's default: on, unless env `CATALINA_LENS_FAST_PATH` is `0`, `false` or `off`. */
export function fastPathDefault(): boolean {
  const v = typeof process === 'undefined' ? undefined : process.env.CATALINA_LENS_FAST_PATH;
  return !(v === '0' || v === 'false' || v === 'off');
}

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

export class InputParser {
  readonly stats: InputStats;
  private readonly framer: LineFramer;
  private readonly assembler: ReturnType<typeof createRecordAssembler>;
  private readonly recognise: (rec: LogRecord, node: string) => ClusterEvent | undefined;

  private mode: Mode;
  private matcher: StartMatcher | undefined;
  private loggers: LoggerFilter | undefined;
  private pattern: CompiledPattern | undefined;
  private hold = Hold.Assembler;
  /** Lines of the counted record so far. */
  private countedLines = 0;
  private readonly probe: MatchFields = {};
  private decoded = 0;
  private readonly fast: boolean;

  constructor(
    private readonly opts: InputParserOptions,
    private readonly onEvent: (ev: ClusterEvent) => void,
  ) {
    this.stats = emptyInputStats(opts.file, opts.node);
    const recogniser = createEventRecogniser(opts.events);
    this.recognise = recogniser.recognise.bind(recogniser);
    this.assembler = createRecordAssembler(
      { formats: opts.formats, file: opts.file, tz: opts.tz, logFormat: opts.logFormat, dateOrder: opts.dateOrder },
      { record: (r) => this.onRecord(r), unparsed: () => this.stats.unparsed++ },
    );
    const fast = (this.fast = (opts.fastPath ?? fastPathDefault()) && !opts.all);
    this.mode = fast ? Mode.Detect : Mode.General;
    this.framer = fast
      ? new LineFramer(() => {}, { maxLineBytes: opts.maxLineBytes, raw: (b, s, e, f) => this.onRaw(b, s, e, f) })
      : new LineFramer((line) => this.assembler.push(line), { maxLineBytes: opts.maxLineBytes });
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

  push(chunk: Buffer): void {
    this.framer.push(chunk);
    this.syncFramerStats();
  }

  /** For live inputs after an idle period: emit a held partial line and the pending record. */
  flush(): void {
    this.framer.flushPartial();
    this.endCounted(Hold.None);
    this.assembler.flush();
    if (this.mode === Mode.Detect && this.assembler.format !== undefined) this.decided();
    this.syncFramerStats();
  }

  end(): void {
    this.framer.end();
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

  private decode(buf: Buffer, start: number, end: number, flags: number): Line {
    this.decoded++;
    return decodeLine(buf, start, end, flags, this.framer.stats.lines, this.framer.lineOffset);
  }

  private onRaw(buf: Buffer, start: number, end: number, flags: number): void {
    if (this.mode === Mode.Bytes) {
      this.onBytesLine(buf, start, end, flags);
      return;
    }
    this.assembler.push(this.decode(buf, start, end, flags));
    if (this.mode === Mode.Detect && this.assembler.format !== undefined) this.decided();
  }

  /** The format is decided: classify on bytes from now on, when the format allows it exactly. */
  private decided(): void {
    this.mode = Mode.General;
    const fmt = this.opts.formats.find((f) => f.name === this.assembler.format);
    if (!fmt || this.assembler.prefixed) return;
    const matcher = createStartMatcher(fmt);
    if (!matcher) return;
    this.matcher = matcher;
    this.pattern = fmt.patterns[0];
    this.loggers = new LoggerFilter(this.opts.events);
    this.hold = Hold.Assembler; // the assembler may hold the current record
    this.mode = Mode.Bytes;
  }

  private onBytesLine(buf: Buffer, start: number, end: number, flags: number): void {
    const matcher = this.matcher!;
    let line: Line | undefined;
    let verdict = flags & LINE_INVALID_UTF8 ? UNSURE : matcher.match(buf, start, end);
    let interesting = false;
    if (verdict === START) {
      interesting = this.loggers!.interesting(buf, matcher.loggerStart, matcher.loggerEnd);
    } else if (verdict === UNSURE) {
      // Not decidable on bytes: ask the regex, as the assembler will.
      line = this.decode(buf, start, end, flags);
      if (matchInto(this.pattern!, line.text, this.probe)) {
        verdict = START;
        interesting = this.loggers!.interestingName(this.probe.logger);
      } else verdict = NOT_START;
    }
    if (verdict === START) {
      if (interesting) {
        this.endCounted(Hold.Assembler);
        this.hold = Hold.Assembler;
        this.assembler.push(line ?? this.decode(buf, start, end, flags));
      } else {
        if (this.hold === Hold.Assembler) this.assembler.flush();
        else this.endCounted(Hold.None);
        this.hold = Hold.Counted;
        this.countedLines = 1;
      }
      return;
    }
    if (this.hold === Hold.Counted) {
      // A start line of another format is not part of the counted record: unparsed, as the assembler counts it.
      if (this.isForeignStart(buf, start, end, flags, line)) {
        this.endCounted(Hold.None);
        this.stats.unparsed++;
      } else this.countedLines++;
    } else if (this.hold === Hold.Assembler) this.assembler.push(line ?? this.decode(buf, start, end, flags));
    else this.stats.unparsed++;
  }

  private isForeignStart(buf: Buffer, start: number, end: number, flags: number, line: Line | undefined): boolean {
    if (start === end) return false;
    const first = this.assembler.foreignFirstBytes;
    if (first !== undefined && first[buf[start]] === 0) return false;
    return this.assembler.isForeignStart((line ?? this.decode(buf, start, end, flags)).text);
  }

  /** Closes a counted record, counting it as the assembler would. */
  private endCounted(next: Hold): void {
    if (this.hold !== Hold.Counted) return;
    this.stats.records++;
    this.stats.recordLines += this.countedLines;
    this.countedLines = 0;
    this.hold = next;
  }

  private onRecord(rec: LogRecord): void {
    this.stats.records++;
    this.stats.recordLines += rec.lineCount;
    const ev = this.recognise(rec, this.opts.node);
    if (ev) {
      if (ev.type === 'cluster-other') this.stats.unrecognisedCluster++;
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

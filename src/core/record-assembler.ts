// The record assembler: lines in, records out. It detects the input's format from its first lines
// (buffered, then replayed; a record of another format later in the input is read with that one's
// grammar), strips a consistent foreign prefix (docker-compose `name | `), joins
// multi-line records (JUL's two-line records, message continuation lines, stack traces and the blank
// line after them) and reads timestamps and levels. Pure: no I/O, no timers.
//
// Accounting: every line pushed ends up exactly once either inside a record (counted by its
// `lineCount`) or in `sink.unparsed`.
//
// Memory: a record keeps at most MAX_KEPT_LINES message-continuation lines and MAX_KEPT_LINES trace
// lines; further lines are counted in `lineCount` and `omittedLines` but not kept. Trailing blank
// lines (the blank line after a JUL stack trace) are counted, not kept.

import { LensError } from './errors.js';
import { detectFormat, detectPrefix, splitPrefix } from './format-detect.js';
import { matchInto, matchNextInto, reusableMatchFields, type CompiledFormat, type CompiledPattern, type MatchFields } from './format-grammar.js';
import { checkTimeZone, localTimeZone, TimeReader, type DateOrder } from './timestamp.js';
import { HeadTable } from './start-heads.js';
import type { Line, LogRecord } from './types.js';

/** Message-continuation lines and trace lines kept per record (each); the rest are only counted. */
export const MAX_KEPT_LINES = 200;
/** Lines buffered for format detection when `detectLines` is not given. */
export const DEFAULT_DETECT_LINES = 100;
/** Detection stops early once one format has this many start lines and no other format has any. */
const CONFIDENT_SCORE = 20;
/**
 * Start lines another format needs in a detection window to take over from a fallback chosen
 * because nothing matched: one line of a VerbatimFormatter log that quotes a log line is not enough.
 */
const TAKEOVER_SCORE = 2;

export interface RecordAssemblerOptions {
  formats: readonly CompiledFormat[];
  /** The input's name, copied into every record. */
  file: string;
  /** IANA zone for zone-less timestamps; default: the local zone. */
  tz?: string;
  /** Force a format by name (no detection). */
  logFormat?: string;
  /** Day/month order of all-numeric dates (`06/11/2013`); default: from the input's evidence, else dmy. */
  dateOrder?: DateOrder;
  /**
   * Lines buffered for detection; default 100. When none of them starts a record of any format the
   * fallback (VerbatimFormatter) is used, but only until a line starts another format's record:
   * detection then runs again from that line (a catalina.out that opens with a long stack trace or
   * the application's own stdout is not read as VerbatimFormatter to its end).
   */
  detectLines?: number;
  /**
   * Whether a record, by its logger and the first line of its message, is wanted. An unwanted one
   * is only counted (`sink.counted`): no record object, no kept lines, no timestamp where reading
   * it changes nothing later. Default: every record is wanted.
   */
  wanted?: (logger: string | undefined, message: string) => boolean;
}

export interface RecordSink {
  record(r: LogRecord): void;
  unparsed(line: Line): void;
  /** An unwanted record of `lineCount` lines (only with `wanted`). */
  counted?(lineCount: number): void;
}

export interface RecordAssembler {
  push(line: Line): void;
  /**
   * What `push(line)` does when `line` is a start line of the decided format, whose only pattern
   * would read it as `fields` (the caller read them on bytes): the pattern is not matched again, and
   * with `wanted` true the `wanted` test is taken as passed. False, and nothing done, unless the
   * line would go straight to that test (`nextLinePlain`, a one-pattern format of one-line starts).
   */
  pushStart(line: Line, fields: MatchFields, wanted: boolean): boolean;
  /**
   * Emits the pending record now (a live follower calls this after an idle timeout). Before the
   * format is decided it decides on the buffered lines if any of them matches a format (else it
   * keeps buffering). A JUL header still waiting for its second line stays pending. Continuation
   * lines that arrive after their record was flushed have nothing to attach to: they go to unparsed.
   */
  flush(): void;
  /** End of input: decides the format if still undecided, emits everything. */
  end(): void;
  /** The format in use, once decided. */
  readonly format: string | undefined;
  /** Lines carry a foreign prefix that is being stripped. */
  readonly prefixed: boolean;
  /**
   * Whether `text` is a record start of another (non-fallback) format than the decided one: such a
   * line is not a continuation of the record before it (a file that mixes formats).
   */
  isForeignStart(text: string): boolean;
  /**
   * Once decided: what a foreign start line must begin with, on bytes (a prefilter before decoding
   * a line); undefined when not known for every foreign pattern.
   */
  readonly foreignHeads: HeadTable | undefined;
  /**
   * True while the current record is an unwanted one (see `wanted`) and no line is awaited (no JUL
   * header held, no prefix being stripped): a line that starts no record of any format then only
   * adds to its count, and `countLines` may take it undecoded.
   */
  readonly countingOnly: boolean;
  /** Adds `n` lines to the current unwanted record (only while `countingOnly`). */
  countLines(n: number): void;
  /**
   * True while `countingOnly` and no continuation rule of the current record's format could claim
   * the next line: a start of the decided format read on bytes may then go to `countStart` instead
   * of being pushed.
   */
  readonly mayCountStart: boolean;
  /**
   * What pushing the `lineCount` start lines of an unwanted record of the decided format (their
   * start pattern matched, with `time` as its time) does: the record before is emitted, the time read
   * where every time is read, and the new record counted. Only while `mayCountStart`.
   */
  countStart(time: string, lineCount: number): void;
  /**
   * True while a line that starts no record of any format would only go into the current (kept)
   * record's stack trace: its trace has begun, no line is awaited, and no continuation rule applies.
   */
  readonly tracing: boolean;
  /**
   * Adds `n` such lines to the current record's `lineCount` without keeping them (only while
   * `tracing`): for a caller that reads no record's `trace`.
   */
  countTraceLines(n: number): void;
  /**
   * The line after a held first line of a two-line record (another format's, on the byte path) was
   * not pushed here: it was not its second line, so the held line starts nothing.
   */
  dropHeld(): void;
}

export function createRecordAssembler(opts: RecordAssemblerOptions, sink: RecordSink): RecordAssembler {
  return new Assembler(opts, sink);
}

function invalid(name: string, rule: string, got: unknown): LensError {
  return new LensError('INVALID_OPTION', `Invalid option ${name}: ${rule}, got ${JSON.stringify(got)}`);
}

interface Held {
  line: Line;
  text: string;
  prefix: string | undefined;
  pattern: CompiledPattern;
  format: CompiledFormat;
  fields: MatchFields;
}

/** How a format's timestamps are read in this input. */
interface Times {
  reader: TimeReader;
  /**
   * Every timestamp must be read, wanted or not: with several time forms, or a day/month order to
   * learn, each read steers how the next ones are read.
   */
  readAll: boolean;
}

class Assembler implements RecordAssembler {
  private readonly formats: readonly CompiledFormat[];
  private readonly file: string;
  private readonly tz: string;
  private readonly dateOrder: DateOrder | undefined;
  private readonly detectLines: number;
  private readonly forced: CompiledFormat | undefined;
  private readonly sink: RecordSink;

  private decided = false;
  private buffer: Line[] = [];
  private fmt: CompiledFormat | undefined;
  /** Timestamp readers by format: the decided one's, and those of other formats' records met. */
  private readonly times = new Map<CompiledFormat, Times>();
  /** The fallback is in use because no line matched a format yet: a start of another ends it. */
  private provisional = false;
  /** Detecting again after the provisional fallback: a format needs TAKEOVER_SCORE to win. */
  private retrying = false;
  private prefixMode = false;
  private last = 0;
  /** The other non-fallback formats: a start line of one of them is foreign, not a continuation. */
  private others: readonly CompiledFormat[] = [];
  private heads: HeadTable | undefined;

  private cur: LogRecord | undefined;
  /** The format of the current record: the decided one, or another's in a file that mixes formats. */
  private curFormat: CompiledFormat | undefined;
  private curPrefix: string | undefined;
  private msgExtra: string[] | undefined;
  private inTrace = false;
  private blanks = 0;
  private omitted = 0;
  private held: Held | undefined;
  /** Fields of the last start-line match (reused: no allocation per line). */
  private readonly scratch: MatchFields = reusableMatchFields();
  private readonly wanted: RecordAssemblerOptions['wanted'];
  /** `cur` while the current record is unwanted: only its lines are counted (reused). */
  private readonly counting: LogRecord = { file: '', line: 0, lineCount: 0, offset: 0, message: '', format: '', pattern: '' };
  /** The format of the other format's start line last matched by `foreignStart`. */
  private foreignFormat: CompiledFormat | undefined;

  constructor(opts: RecordAssemblerOptions, sink: RecordSink) {
    if (!opts || !Array.isArray(opts.formats)) throw invalid('formats', 'must be an array of compiled format grammars', opts?.formats);
    if (typeof opts.file !== 'string') throw invalid('file', 'must be a string', opts.file);
    if (!sink || typeof sink.record !== 'function' || typeof sink.unparsed !== 'function') {
      throw invalid('sink', 'must have record() and unparsed()', typeof sink);
    }
    this.formats = opts.formats;
    this.file = opts.file;
    this.sink = sink;
    this.tz = opts.tz ?? localTimeZone();
    checkTimeZone(this.tz);
    if (opts.dateOrder !== undefined && opts.dateOrder !== 'dmy' && opts.dateOrder !== 'mdy') {
      throw invalid('dateOrder', "must be 'dmy' or 'mdy'", opts.dateOrder);
    }
    this.dateOrder = opts.dateOrder;
    if (opts.wanted !== undefined && (typeof opts.wanted !== 'function' || typeof sink.counted !== 'function')) {
      throw invalid('wanted', 'must be a function, with a sink that has counted()', typeof opts.wanted);
    }
    this.wanted = opts.wanted;
    const n = opts.detectLines ?? DEFAULT_DETECT_LINES;
    if (!Number.isInteger(n) || n < 1) throw invalid('detectLines', 'must be an integer >= 1', n);
    this.detectLines = n;
    if (opts.logFormat !== undefined) {
      this.forced = this.formats.find((f) => f.name === opts.logFormat);
      if (!this.forced) {
        throw new LensError('INVALID_OPTION', `Invalid option logFormat: no format grammar is named ${JSON.stringify(opts.logFormat)}`, {
          help: `known formats: ${this.formats.map((f) => f.name).join(', ')}`,
        });
      }
    }
  }

  get format(): string | undefined {
    return this.fmt?.name;
  }

  get prefixed(): boolean {
    return this.prefixMode;
  }

  push(line: Line): void {
    if (this.decided) {
      this.process(line);
      return;
    }
    this.buffer.push(line);
    const n = this.buffer.length;
    if (n >= this.detectLines) this.decide(true);
    else if (n % 16 === 0 && n >= CONFIDENT_SCORE) this.decide(false, true);
  }

  pushStart(line: Line, fields: MatchFields, wanted: boolean): boolean {
    const fmt = this.fmt;
    if (!this.decided || fmt === undefined || fmt.patterns.length !== 1 || fmt.patterns[0].nextLine || !this.nextLinePlain) return false;
    this.start(line, undefined, fmt.patterns[0], fields, 1, fmt, wanted);
    return true;
  }

  flush(): void {
    if (!this.decided && this.buffer.length > 0) this.decide(false);
    if (this.decided) this.emit();
  }

  end(): void {
    if (!this.decided) this.decide(true);
    if (this.held) {
      const h = this.held;
      this.held = undefined;
      this.nonStart(h.line, h.text, h.prefix, true);
    }
    this.emit();
  }

  /**
   * Chooses the format from the buffered lines and replays them. `final`: a choice must be made
   * (fallback allowed). `confidentOnly`: commit only when one format clearly wins.
   */
  private decide(final: boolean, confidentOnly = false): void {
    const texts = this.buffer.map((l) => l.text);
    const prefixMode = detectPrefix(texts);
    const stripped = prefixMode ? texts.map((t) => splitPrefix(t)?.[1] ?? t) : texts;
    let fmt = this.forced;
    if (!fmt) {
      const res = detectFormat(stripped, this.formats, { allowFallback: final });
      let chosen = res.format;
      if (this.retrying && chosen && !chosen.fallback && res.scores[0].score < TAKEOVER_SCORE) {
        if (confidentOnly) return;
        // At the end of the input the window is all there is; at an idle flush (a live input) a
        // record is not held back until a second one arrives.
        if (final) chosen = this.formats.find((f) => f.fallback);
      }
      if (!chosen) {
        if (!final) return;
      } else if (confidentOnly && !(res.scores[0]?.score >= CONFIDENT_SCORE && (res.scores[1]?.score ?? 0) === 0)) {
        return;
      }
      fmt = chosen;
    }
    this.retrying = false;
    this.fmt = fmt;
    this.prefixMode = prefixMode;
    this.decided = true;
    this.others = this.formats.filter((f) => f !== fmt && !f.fallback);
    this.heads = HeadTable.of(this.others.flatMap((f) => f.patterns.map((p) => p.heads)));
    this.times.clear();
    const times = fmt && this.timesOf(fmt);
    if (times && fmt!.timestamp!.hasOrder && !this.dateOrder) {
      for (const t of stripped) {
        if (this.matchStart(t) && this.scratch.time !== undefined) times.reader.learn(this.scratch.time);
        if (times.reader.evidence) break;
      }
    }
    const buffered = this.buffer;
    this.buffer = [];
    this.provisional = false; // the buffered lines were judged together: no line of them reopens it
    for (const l of buffered) this.process(l);
    this.provisional = fmt?.fallback === true && !this.forced;
  }

  /**
   * Leaves the provisional fallback at `line`, a start of another format: what came before is
   * emitted as it was read, and detection starts again with this line.
   */
  private detectAgain(line: Line): void {
    this.emit();
    this.decided = false;
    this.provisional = false;
    this.retrying = true;
    this.fmt = undefined;
    this.times.clear();
    this.others = [];
    this.heads = undefined;
    this.last = 0;
    this.buffer = [line];
  }

  /** The pattern whose start line `text` is (its fields in `this.scratch`), or undefined. */
  private matchStart(text: string): CompiledPattern | undefined {
    const ps = this.fmt!.patterns;
    const out = this.scratch;
    const first = ps[this.last];
    if (matchInto(first, text, out)) return first;
    for (let i = 0; i < ps.length; i++) {
      if (i === this.last) continue;
      if (matchInto(ps[i], text, out)) {
        this.last = i;
        return ps[i];
      }
    }
    return undefined;
  }

  private process(line: Line): void {
    let text = line.text;
    let prefix: string | undefined;
    if (this.prefixMode) {
      const sp = splitPrefix(text);
      if (sp) {
        prefix = sp[0];
        text = sp[1];
      }
    }
    const fmt = this.fmt;
    if (!fmt) {
      this.sink.unparsed(line);
      return;
    }
    if (this.provisional && this.isForeignStart(text)) {
      this.detectAgain(line);
      return;
    }
    if (this.held) {
      const h = this.held;
      this.held = undefined;
      if (prefix === h.prefix && matchNextInto(h.pattern, text, h.fields)) {
        this.start(h.line, h.prefix, h.pattern, h.fields, 2, h.format);
        return;
      }
      // No second line: the held line was not a record start after all.
      this.nonStart(h.line, h.text, h.prefix, true);
    }
    const curFormat = this.curFormat;
    if (this.cur && curFormat && curFormat.continuation.length > 0 && prefix === this.curPrefix) {
      for (const re of curFormat.continuation) {
        const m = re.exec(text);
        if (m) {
          this.attach(m.groups?.body ?? text);
          return;
        }
      }
    }
    const hit = this.matchStart(text);
    if (hit) {
      if (hit.nextLine) this.held = { line, text, prefix, pattern: hit, format: fmt, fields: { ...this.scratch } };
      else this.start(line, prefix, hit, this.scratch, 1, fmt);
      return;
    }
    this.nonStart(line, text, prefix, false);
  }

  /** A line that starts no record of the decided format. `unheld`: a held line whose second line did not come. */
  private nonStart(line: Line, text: string, prefix: string | undefined, unheld: boolean): void {
    // A record of another format, in a file that mixes formats (a catalina.out appended to across
    // an upgrade from Tomcat 7's SimpleFormatter to 8.5's OneLineFormatter, or a formatter changed
    // in logging.properties): a record of its own, read with that format's grammar.
    const other = this.foreignStart(text, unheld);
    if (other) {
      const format = this.foreignFormat!;
      if (other.nextLine) {
        // It ends the record before it now, whether its second line comes or not: the byte path
        // counts records the assembler never sees, and closes them at such a line too.
        this.emit();
        this.held = { line, text, prefix, pattern: other, format, fields: { ...this.scratch } };
      } else this.start(line, prefix, other, this.scratch, 1, format);
      return;
    }
    if (this.cur && prefix === this.curPrefix) this.attach(text);
    else {
      if (this.cur) this.emit();
      this.sink.unparsed(line);
    }
  }

  /**
   * The pattern of another format whose start line `text` is (its fields in `this.scratch`, its
   * format in `foreignFormat`), or undefined. `single`: only patterns of one line.
   */
  private foreignStart(text: string, single: boolean): CompiledPattern | undefined {
    // One table lookup rules out most lines (a stack trace's tab) before every other pattern is tried.
    if (text === '' || (this.heads !== undefined && !this.heads.mayStartText(text))) return undefined;
    for (const f of this.others) {
      for (const p of f.patterns) {
        if (single && p.nextLine) continue;
        if (matchInto(p, text, this.scratch)) {
          this.foreignFormat = f;
          return p;
        }
      }
    }
    return undefined;
  }

  /** How `format`'s timestamps are read here (undefined when it has none). */
  private timesOf(format: CompiledFormat): Times | undefined {
    const ts = format.timestamp;
    if (!ts) return undefined;
    let t = this.times.get(format);
    if (!t) {
      t = { reader: new TimeReader(ts, { tz: this.tz, dateOrder: this.dateOrder }), readAll: ts.hasOrder || ts.formats.length > 1 };
      this.times.set(format, t);
    }
    return t;
  }

  get foreignHeads(): HeadTable | undefined {
    return this.heads;
  }

  get countingOnly(): boolean {
    return this.cur === this.counting && this.held === undefined && !this.prefixMode;
  }

  countLines(n: number): void {
    this.counting.lineCount += n;
  }

  /**
   * `process` would take the next line straight to its start test and then to the current record:
   * no line held, no prefix to strip, no provisional format, no continuation rule of the current
   * record's format (a foreign one's, in a file that mixes formats).
   */
  private get nextLinePlain(): boolean {
    return this.held === undefined && !this.prefixMode && !this.provisional && (this.curFormat?.continuation.length ?? 0) === 0;
  }

  get tracing(): boolean {
    // Then `attach` keeps a line that starts nothing in the trace.
    return this.inTrace && this.cur !== undefined && this.cur !== this.counting && this.nextLinePlain;
  }

  countTraceLines(n: number): void {
    this.cur!.lineCount += n;
  }

  get mayCountStart(): boolean {
    return this.cur === this.counting && this.fmt !== undefined && this.nextLinePlain;
  }

  countStart(time: string, lineCount: number): void {
    // `start` for an unwanted record, its fields only its time.
    this.emit();
    const fmt = this.fmt!;
    this.curFormat = fmt;
    this.countRecord(this.timesOf(fmt), time, lineCount, undefined);
  }

  /** The current record is an unwanted one of `lineCount` lines: counted, its time read where every time is. */
  private countRecord(times: Times | undefined, time: string | undefined, lineCount: number, prefix: string | undefined): void {
    if (times?.readAll) times.reader.read(time!);
    this.counting.lineCount = lineCount;
    this.cur = this.counting;
    this.curPrefix = prefix;
  }

  dropHeld(): void {
    const h = this.held;
    if (!h) return;
    this.held = undefined;
    this.nonStart(h.line, h.text, h.prefix, true);
  }

  isForeignStart(text: string): boolean {
    return this.foreignStart(text, false) !== undefined;
  }

  private start(line: Line, prefix: string | undefined, pattern: CompiledPattern, f: MatchFields, lineCount: number, fmt: CompiledFormat, wanted = false): void {
    this.emit();
    const times = f.time !== undefined ? this.timesOf(fmt) : undefined;
    this.curFormat = fmt;
    if (!wanted && this.wanted !== undefined && !this.wanted(f.logger, f.message ?? '')) {
      this.countRecord(times, f.time, lineCount, prefix);
      return;
    }
    const r: LogRecord = {
      file: this.file,
      line: line.line,
      lineCount,
      offset: line.offset,
      message: f.message ?? '',
      format: fmt.name,
      pattern: pattern.name,
    };
    if (times) {
      const t = times.reader.read(f.time!);
      if (!Number.isNaN(t)) {
        r.timeMs = t;
        r.tzOffsetMin = times.reader.offsetMin;
      }
    }
    if (f.level !== undefined) {
      r.levelRaw = f.level;
      const lv = fmt.levels.get(f.level);
      if (lv !== undefined) r.level = lv;
    }
    if (f.thread !== undefined) r.thread = f.thread;
    if (f.logger !== undefined) r.logger = f.logger;
    if (f.method !== undefined) r.method = f.method;
    if (f.trace !== undefined && f.trace.length > 0) {
      if (f.trace.length > MAX_KEPT_LINES) {
        r.trace = f.trace.slice(0, MAX_KEPT_LINES);
        this.omitted = f.trace.length - MAX_KEPT_LINES;
      } else r.trace = f.trace;
      this.inTrace = true;
    }
    if (prefix !== undefined) r.prefix = prefix;
    this.cur = r;
    this.curPrefix = prefix;
  }

  private attach(text: string): void {
    const r = this.cur!;
    r.lineCount++;
    if (r === this.counting) return;
    if (text === '') {
      this.blanks++;
      return;
    }
    if (!this.inTrace) {
      for (const re of this.curFormat!.trace) {
        if (re.test(text)) {
          this.inTrace = true;
          break;
        }
      }
    }
    while (this.blanks > 0) {
      this.blanks--;
      this.keep(r, '');
    }
    this.keep(r, text);
  }

  private keep(r: LogRecord, text: string): void {
    if (this.inTrace) {
      const t = (r.trace ??= []);
      if (t.length < MAX_KEPT_LINES) t.push(text);
      else this.omitted++;
    } else {
      const m = (this.msgExtra ??= []);
      if (m.length < MAX_KEPT_LINES) m.push(text);
      else this.omitted++;
    }
  }

  private emit(): void {
    const r = this.cur;
    if (!r) return;
    if (r === this.counting) {
      this.cur = undefined;
      this.curPrefix = undefined;
      this.sink.counted!(r.lineCount);
      return;
    }
    if (this.msgExtra) r.message = r.message + '\n' + this.msgExtra.join('\n');
    if (this.omitted > 0) r.omittedLines = this.omitted;
    this.cur = undefined;
    this.curPrefix = undefined;
    this.msgExtra = undefined;
    this.inTrace = false;
    this.blanks = 0;
    this.omitted = 0;
    this.sink.record(r);
  }
}

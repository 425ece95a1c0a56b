// JUL SimpleFormatter (Tomcat 6/7) record starts read on bytes, for the records that cannot yield an
// event: a header line `TIME LOGGER METHOD` whose logger is no cluster logger, followed by a
// `LEVEL: message` line (for a lifecycle logger, a message no template's literal prefix fits, as the
// OneLine byte path asks). Such a record is only counted, and its time read (the assembler reads
// every JUL timestamp: with twelve time forms, each read steers the next), so neither line is decoded
// nor matched against the header regex with every locale's dates. Both lines were decoded and matched
// before, which made a JUL file ~3.5 × slower than the same records as OneLineFormatter.
//
// Exactness: built only for the jul_simple grammar's `header` pattern and second line as written (a
// grammar change turns this off, as for the OneLine start matcher). A yes here implies the regexes'
// yes with the same time; where it cannot say yes, the lines go the general way.

import { CLUSTER_LOGGER, LIFECYCLE_LOGGER, type LoggerFilter } from './cluster-prefilter.js';
import type { CompiledFormat } from './format-grammar.js';

/** The jul_simple `header` pattern and its second line, as written in grammars/formats/jul-simple.json. */
export const JUL_HEADER = '^(?<time>%TIME%) (?<logger>[A-Za-z_$][\\w$]*(?:\\.[\\w$]+)+) (?<method>[\\w$<>-]+)$';
export const JUL_SECOND_LINE = '^(?<level>[^\\s:]{1,30}): ?(?<message>.*)$';

const SPACE = 0x20;
const DOT = 0x2e;
const COLON = 0x3a;

/** Byte classes of the header's logger and method (all ASCII: `\w` without the `u` flag is ASCII). */
const WORD = 1; // [\w$]
const METHOD_EXTRA = 2; // [<>-]
const CLASS = new Uint8Array(256);
for (let b = 0; b < 128; b++) {
  const c = String.fromCharCode(b);
  if (/[\w$]/.test(c)) CLASS[b] = WORD;
  else if (/[<>-]/.test(c)) CLASS[b] = METHOD_EXTRA;
}
/** A logger's first character: [A-Za-z_$]. */
const LOGGER_FIRST = new Uint8Array(256);
for (let b = 0; b < 128; b++) if (/[A-Za-z_$]/.test(String.fromCharCode(b))) LOGGER_FIRST[b] = 1;

/** ASCII white space as `\s` reads it (the non-ASCII ones are left to the regex). */
export function isAsciiSpace(b: number): boolean {
  return b === SPACE || (b >= 0x09 && b <= 0x0d);
}

/**
 * Longest time text read here (the longest form, Korean with its AM/PM word, is ~30 bytes): a header
 * with more before its logger goes the general way, as a line that long is not worth a guess.
 */
const MAX_TIME_BYTES = 64;

/**
 * A header's ` LOGGER METHOD` end met before (without the space), and its logger's kind: the next
 * header that ends so needs neither the logger's check nor its kind.
 */
interface Tail {
  bytes: Buffer;
  kind: number;
}

/** Tails kept (then the table starts over). */
const MAX_TAILS = 4096;

export class JulStarts {
  /** The last header's time: its bytes and text (headers of one second share it). */
  private readonly lastTime = Buffer.alloc(MAX_TIME_BYTES);
  private lastTimeLength = -1;
  private lastTimeText = '';
  /** Tails met, by a hash of their method and its length. */
  private readonly tails = new Map<number, Tail[]>();
  private tailCount = 0;

  private constructor(
    /** `%TIME%` alone: the header's time part must be one whole match of it. */
    private readonly time: RegExp,
    private readonly loggers: LoggerFilter,
  ) {}

  /** For a format whose `header` pattern is jul_simple's, as written; undefined for any other. */
  static of(fmt: CompiledFormat, loggers: LoggerFilter): JulStarts | undefined {
    const src = fmt.source.patterns.header;
    if (!src || src.json || src.pattern !== JUL_HEADER || (src.flags ?? '') !== 's') return undefined;
    if (!src.nextLine || src.nextLine.pattern !== JUL_SECOND_LINE || (src.nextLine.flags ?? '') !== 's') return undefined;
    if (!fmt.timestamp || fmt.continuation.length > 0 || !fmt.patterns.some((p) => p.name === 'header' && p.nextLine)) return undefined;
    return new JulStarts(new RegExp(`^(?:${fmt.timestamp.embed})$`, 's'), loggers);
  }

  /** Whether the logger of the header last given a time is a lifecycle logger (else another logger). */
  lifecycle = false;

  /**
   * The time text of `buf[start, end)` when the line is a `header` line (as the pattern reads it)
   * whose logger is no cluster logger (`lifecycle` says which kind it is); undefined otherwise, or
   * when that cannot be told on bytes (then the line is to be decoded and matched).
   */
  headerTime(buf: Buffer, start: number, end: number): string | undefined {
    // METHOD: [\w$<>-]+ after the last space (hashed, to look its tail up)
    let i = end - 1;
    let hash = 0;
    for (; i >= start; i--) {
      const b = buf[i];
      if (CLASS[b] === 0) break;
      hash = (Math.imul(hash, 31) + b) | 0;
    }
    if (i === end - 1 || i < start || buf[i] !== SPACE) return undefined;
    const loggerEnd = i;
    const key = hash ^ ((end - i) << 24);
    const known = this.knownTail(this.tails.get(key), buf, start, end);
    if (known !== undefined) return this.timeOf(known.kind, buf, start, end - known.bytes.length - 1);
    // LOGGER: [A-Za-z_$][\w$]*(?:\.[\w$]+)+ before it, after the space before that
    let dots = 0;
    let j = loggerEnd - 1;
    for (; j >= start; j--) {
      const b = buf[j];
      if (CLASS[b] === WORD) continue;
      if (b !== DOT) break;
      // a dot between two word characters only
      if (j === loggerEnd - 1 || buf[j + 1] === DOT) return undefined;
      dots++;
    }
    if (j < start || buf[j] !== SPACE || dots === 0) return undefined;
    const loggerStart = j + 1;
    if (LOGGER_FIRST[buf[loggerStart]] !== 1) return undefined;
    const kind = this.loggers.kind(buf, loggerStart, loggerEnd);
    this.remember(key, { bytes: Buffer.from(buf.subarray(loggerStart, end)), kind });
    return this.timeOf(kind, buf, start, j);
  }

  private timeOf(kind: number, buf: Buffer, start: number, end: number): string | undefined {
    if (kind === CLUSTER_LOGGER) return undefined;
    this.lifecycle = kind === LIFECYCLE_LOGGER;
    return this.timeText(buf, start, end);
  }

  /** The tail of `key` that `buf[start, end)` ends with, after a space. */
  private knownTail(list: Tail[] | undefined, buf: Buffer, start: number, end: number): Tail | undefined {
    if (list === undefined) return undefined;
    for (const tail of list) {
      const t = tail.bytes;
      const from = end - t.length;
      if (from - 1 < start || buf[from - 1] !== SPACE) continue;
      let k = 0;
      while (k < t.length && buf[from + k] === t[k]) k++;
      if (k === t.length) return tail;
    }
    return undefined;
  }

  private remember(key: number, tail: Tail): void {
    // A log has a few hundred loggers; a hostile one of distinct names starts the table over.
    if (++this.tailCount > MAX_TAILS) {
      this.tails.clear();
      this.tailCount = 1;
    }
    const list = this.tails.get(key);
    if (list) list.push(tail);
    else this.tails.set(key, [tail]);
  }

  /** The text of `buf[start, end)` when it is one whole `%TIME%`, else undefined. */
  private timeText(buf: Buffer, start: number, end: number): string | undefined {
    const n = end - start;
    if (n <= 0 || n > MAX_TIME_BYTES) return undefined;
    if (n === this.lastTimeLength) {
      let k = 0;
      while (k < n && buf[start + k] === this.lastTime[k]) k++;
      if (k === n) return this.lastTimeText;
    }
    const text = buf.toString('utf8', start, end);
    if (!this.time.test(text)) return undefined;
    buf.copy(this.lastTime, 0, start, end);
    this.lastTimeLength = n;
    this.lastTimeText = text;
    return text;
  }
}

/** `isSecondLine` answers. */
export const NO = 0;
export const YES = 1;
export const UNSURE = 2;

/** Where the message of a second line (`isSecondLine` YES) begins: after its `:` and one space. */
export function secondLineMessage(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  while (buf[i] !== COLON) i++;
  return i + 1 < end && buf[i + 1] === SPACE ? i + 2 : i + 1;
}

/**
 * Whether `buf[start, end)` is a header's second line, `LEVEL: message` as JUL_SECOND_LINE reads it:
 * one to thirty characters that are neither white space nor `:`, then `:`. UNSURE when a non-ASCII
 * byte comes first (a character's length and `\s` are the regex's to tell).
 */
export function isSecondLine(buf: Uint8Array, start: number, end: number): number {
  const stop = Math.min(end, start + 31);
  for (let i = start; i < stop; i++) {
    const b = buf[i];
    if (b === COLON) return i > start ? YES : NO;
    if (b >= 0x80) return UNSURE;
    if (isAsciiSpace(b)) return NO;
  }
  return NO;
}

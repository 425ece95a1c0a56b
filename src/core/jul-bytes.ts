// JUL SimpleFormatter (Tomcat 6/7) record starts read on bytes, for the records that cannot yield an
// event: a header line `TIME LOGGER METHOD` whose logger is no cluster or lifecycle logger, followed
// by a `LEVEL: message` line. Such a record is only counted, and its time read (the assembler reads
// every JUL timestamp: with twelve time forms, each read steers the next), so neither line is decoded
// nor matched against the header regex with every locale's dates. Both lines were decoded and matched
// before, which made a JUL file ~3.5 × slower than the same records as OneLineFormatter.
//
// Exactness: built only for the jul_simple grammar's `header` pattern and second line as written (a
// grammar change turns this off, as for the OneLine start matcher). A yes here implies the regexes'
// yes with the same time; where it cannot say yes, the lines go the general way.

import { OTHER_LOGGER, type LoggerFilter } from './cluster-prefilter.js';
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
function isAsciiSpace(b: number): boolean {
  return b === SPACE || (b >= 0x09 && b <= 0x0d);
}

/** Longest time text compared byte for byte with the last one (longer ones are decoded each time). */
const TIME_CACHE_BYTES = 64;

export class JulStarts {
  /** The last header's time: its bytes and text (headers of one second share it). */
  private readonly lastTime = Buffer.alloc(TIME_CACHE_BYTES);
  private lastTimeLength = -1;
  private lastTimeText = '';

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

  /**
   * The time text of `buf[start, end)` when the line is a `header` line (as the pattern reads it)
   * whose logger is no cluster or lifecycle logger; undefined otherwise, or when that cannot be told
   * on bytes (then the line is to be decoded and matched).
   */
  otherLoggerTime(buf: Buffer, start: number, end: number): string | undefined {
    // METHOD: [\w$<>-]+ after the last space
    let i = end - 1;
    while (i >= start && CLASS[buf[i]] !== 0) i--;
    if (i === end - 1 || i < start || buf[i] !== SPACE) return undefined;
    const loggerEnd = i;
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
    if (this.loggers.kind(buf, loggerStart, loggerEnd) !== OTHER_LOGGER) return undefined;
    return this.timeText(buf, start, j);
  }

  /** The text of `buf[start, end)` when it is one whole `%TIME%`, else undefined. */
  private timeText(buf: Buffer, start: number, end: number): string | undefined {
    const n = end - start;
    if (n <= 0) return undefined;
    if (n === this.lastTimeLength) {
      let k = 0;
      while (k < n && buf[start + k] === this.lastTime[k]) k++;
      if (k === n) return this.lastTimeText;
    }
    const text = buf.toString('utf8', start, end);
    if (!this.time.test(text)) return undefined;
    if (n <= TIME_CACHE_BYTES) {
      buf.copy(this.lastTime, 0, start, end);
      this.lastTimeLength = n;
      this.lastTimeText = text;
    }
    return text;
  }
}

/** `isSecondLine` answers. */
export const NO = 0;
export const YES = 1;
export const UNSURE = 2;

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

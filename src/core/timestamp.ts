// Timestamps: a grammar's date patterns are compiled once into regexes plus field setters, and read
// with Date.UTC; zone-less times are placed in a zone with @date-fns/tz's tzOffset, cached per hour.
// date-fns `parse` is kept off the hot path (it re-tokenises the pattern on every call).

import { readlinkSync } from 'node:fs';
// The subpath: the package's index loads all eight of its modules (~8 ms at start).
import { tzOffset } from '@date-fns/tz/tzOffset';
import { LensError } from './errors.js';
import { charHeads, headChars, unionHeads, wordHeads, type Heads } from './start-heads.js';

/** Day/month order of an all-numeric date such as `06/11/2013`. */
export type DateOrder = 'dmy' | 'mdy';

/** One date pattern of a grammar: a date-fns/Java-style pattern, with the order it implies when ambiguous. */
export interface TimestampFormatSpec {
  format: string;
  /** Set on numeric day/month patterns that have a swapped twin (`dd/MM/yyyy` and `MM/dd/yyyy`). */
  order?: DateOrder;
}

/** The `timestamp` block of a format grammar. */
export interface TimestampSpec {
  /** Tried in order (the reader then locks on to the last one that worked). Read from the `time` group. */
  formats: (string | TimestampFormatSpec)[];
  /** Month names (any locale) → month number 1-12, used by `MMM`. */
  months?: Record<string, number>;
  /** Day-period words (any locale) used by `a`. */
  ampm?: { am: string[]; pm: string[] };
}

const enum Kind {
  Year4,
  Year2,
  Month,
  MonthName,
  Day,
  Hour24,
  Hour12,
  Minute,
  Second,
  Fraction,
  AmPm,
  Offset,
}

interface Setter {
  kind: Kind;
  /** Capture-group index in the format's own regex. */
  group: number;
}

export interface CompiledTimeFormat {
  format: string;
  order?: DateOrder;
  /** Anchored regex with one capture group per field. */
  regex: RegExp;
  /** The same shape with non-capturing groups, for embedding as `%TIME%` in a line pattern. */
  embed: string;
  setters: Setter[];
  hasOffset: boolean;
  /** What the text begins with (its first element's words or characters), when known. */
  heads?: Heads;
  /** Width of a trailing `<sep>S…` fraction (sep + digits), 0 when the pattern does not end with one. */
  fracTail: number;
}

export interface CompiledTimestamp {
  formats: CompiledTimeFormat[];
  months: Map<string, number>;
  am: Set<string>;
  pm: Set<string>;
  /** Non-capturing alternation of every format, for `%TIME%`. */
  embed: string;
  /** Union of the formats' heads, or undefined when any format can start with anything. */
  heads?: Heads;
  /** Some formats carry a day/month order (the input's order must be resolved). */
  hasOrder: boolean;
}

const DIGITS = '0123456789';

/** A timestamp element that is a run of `min` to `max` digits. */
interface DigitRun {
  min: number;
  max: number;
}

export function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

function alternation(words: Iterable<string>): string {
  return [...new Set(words)]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegex)
    .join('|');
}

/**
 * Compiles a grammar's `timestamp` block. Throws GRAMMAR_BAD_TIMESTAMP (with `pointer`, e.g.
 * `/jul_simple/timestamp/formats/2`) on a letter the compiler does not know.
 */
export function compileTimestamp(spec: TimestampSpec, file?: string, pointer = '/timestamp'): CompiledTimestamp {
  const months = new Map<string, number>(Object.entries(spec.months ?? {}));
  const am = new Set(spec.ampm?.am ?? []);
  const pm = new Set(spec.ampm?.pm ?? []);
  const monthAlt = alternation(months.keys());
  const ampmAlt = alternation([...am, ...pm]);
  const formats: CompiledTimeFormat[] = spec.formats.map((f, i) => {
    const fs: TimestampFormatSpec = typeof f === 'string' ? { format: f } : f;
    return compileTimeFormat(fs, monthAlt, ampmAlt, [...months.keys()], [...am, ...pm], file, `${pointer}/formats/${i}`);
  });
  return {
    formats,
    months,
    am,
    pm,
    embed: formats.length === 1 ? formats[0].embed : `(?:${formats.map((f) => f.embed).join('|')})`,
    heads: unionHeads(formats.map((f) => f.heads)),
    hasOrder: formats.some((f) => f.order !== undefined),
  };
}

function compileTimeFormat(
  spec: TimestampFormatSpec,
  monthAlt: string,
  ampmAlt: string,
  monthNames: string[],
  ampmWords: string[],
  file: string | undefined,
  pointer: string,
): CompiledTimeFormat {
  const fmt = spec.format;
  const bad = (reason: string): LensError =>
    new LensError('GRAMMAR_BAD_TIMESTAMP', `timestamp format ${JSON.stringify(fmt)} cannot be compiled`, {
      file,
      pointer,
      reason,
      help: 'letters: yyyy yy M MM MMM d dd H HH h hh m mm s ss S… a X; quote literal letters with \'…\'',
    });
  let src = '';
  let embed = '';
  const setters: Setter[] = [];
  let heads: Heads | undefined;
  let elements = 0;
  /** The first element is digits that may end after one: what may follow its first digit is known with the second. */
  let firstRun: DigitRun | undefined;
  /**
   * While the elements so far are words and literal text (a month name, then a space): the texts
   * the time may begin with, to be told what follows them (a digit) once an element of another kind
   * comes. So a line beginning with a month word alone (Portuguese `out`, in a JSP error's "out
   * cannot be resolved") is no start on its bytes.
   */
  let lead: string[] | undefined;
  let hasOffset = false;
  let fracTail = 0;
  let i = 0;
  /** `shape`: what the element begins with (undefined: anything), or, for a run of `min` to `max` digits, that run. */
  const add = (kind: Kind | undefined, re: string, shape: Heads | DigitRun | undefined): void => {
    let digits: DigitRun | undefined;
    let starts: Heads | undefined;
    if (shape !== undefined && 'min' in shape) {
      digits = shape;
      starts = charHeads(DIGITS);
    } else starts = shape;
    if (elements === 0) {
      firstRun = digits;
      heads = digits && digits.min >= 2 ? charHeads(DIGITS, DIGITS) : starts;
      lead = digits === undefined && starts !== undefined && starts.chars === '' && starts.words.length > 0 ? [...starts.words] : undefined;
    } else if (lead !== undefined) {
      if (kind === undefined && starts !== undefined && starts.chars === '' && starts.words.length === 1) {
        const literal = starts.words[0];
        lead = lead.map((w) => w + literal);
      } else {
        heads = wordHeads(lead, starts === undefined ? undefined : headChars(starts));
        lead = undefined;
      }
    } else if (elements === 1 && firstRun && firstRun.min < 2) {
      // After a first digit: another (when the run may be longer), or the start of this element.
      heads = starts ? charHeads(DIGITS, (firstRun.max >= 2 ? DIGITS : '') + headChars(starts)) : charHeads(DIGITS);
    }
    elements++;
    if (kind === undefined) {
      src += re;
      embed += re;
      fracTail = 0;
      return;
    }
    setters.push({ kind, group: setters.length + 1 });
    src += `(${re})`;
    embed += `(?:${re})`;
  };
  while (i < fmt.length) {
    const c = fmt[i];
    if (c === "'") {
      const end = fmt.indexOf("'", i + 1);
      if (end < 0) throw bad(`unterminated quote at ${i}`);
      const lit = end === i + 1 ? "'" : fmt.slice(i + 1, end);
      add(undefined, escapeRegex(lit), wordHeads([lit]));
      i = end + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) {
      add(undefined, escapeRegex(c), wordHeads([c]));
      i++;
      continue;
    }
    let n = 1;
    while (fmt[i + n] === c) n++;
    const prev = fmt[i - 1];
    switch (c) {
      case 'y':
        if (n === 4) add(Kind.Year4, '\\d{4}', { min: 4, max: 4 });
        else if (n === 2) add(Kind.Year2, '\\d{2}', { min: 2, max: 2 });
        else throw bad(`y must be yyyy or yy, got ${c.repeat(n)}`);
        break;
      case 'M':
        if (n === 1) add(Kind.Month, '\\d{1,2}', { min: 1, max: 2 });
        else if (n === 2) add(Kind.Month, '\\d{2}', { min: 2, max: 2 });
        else if (n === 3) {
          if (!monthAlt) throw bad('MMM needs "months" in the timestamp block');
          add(Kind.MonthName, monthAlt, wordHeads(monthNames));
        } else throw bad(`unsupported ${c.repeat(n)}`);
        break;
      case 'd':
        if (n > 2) throw bad(`unsupported ${c.repeat(n)}`);
        add(Kind.Day, n === 1 ? '\\d{1,2}' : '\\d{2}', { min: n, max: 2 });
        break;
      case 'H':
      case 'h':
      case 'm':
      case 's': {
        if (n > 2) throw bad(`unsupported ${c.repeat(n)}`);
        const kind = c === 'H' ? Kind.Hour24 : c === 'h' ? Kind.Hour12 : c === 'm' ? Kind.Minute : Kind.Second;
        add(kind, n === 1 ? '\\d{1,2}' : '\\d{2}', { min: n, max: 2 });
        break;
      }
      case 'S': {
        add(Kind.Fraction, `\\d{${n}}`, { min: n, max: n });
        // A fraction right after a one-character separator at the end of the pattern: cacheable tail.
        fracTail = i + n === fmt.length && prev !== undefined && !/[A-Za-z']/.test(prev) ? n + 1 : 0;
        i += n;
        continue;
      }
      case 'a':
        if (!ampmAlt) throw bad('a needs "ampm" in the timestamp block');
        add(Kind.AmPm, ampmAlt, wordHeads(ampmWords));
        break;
      case 'X':
      case 'x':
        hasOffset = true;
        add(Kind.Offset, 'Z|[+-]\\d{2}(?::?\\d{2})?', undefined);
        break;
      default:
        throw bad(`unknown pattern letter ${JSON.stringify(c)} at ${i}`);
    }
    i += n;
    fracTail = 0;
  }
  if (!setters.some((s) => s.kind === Kind.Year4 || s.kind === Kind.Year2)) throw bad('no year (yyyy or yy)');
  if (!setters.some((s) => s.kind === Kind.Month || s.kind === Kind.MonthName)) throw bad('no month (M, MM or MMM)');
  if (!setters.some((s) => s.kind === Kind.Day)) throw bad('no day (d or dd)');
  if (setters.some((s) => s.kind === Kind.Hour12) !== setters.some((s) => s.kind === Kind.AmPm)) {
    throw bad('h (1-12 hour) and a (AM/PM) go together');
  }
  return {
    format: fmt,
    order: spec.order,
    heads,
    regex: new RegExp(`^${src}$`),
    embed,
    setters,
    hasOffset,
    fracTail,
  };
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/**
 * Reads `text` with one format. Returns the wall-clock time as if it were UTC (ms), or NaN when the
 * text does not have this shape or names an impossible date (Feb 30, hour 25). `out[0]` receives the
 * explicit offset in minutes, or NaN when the text has none.
 */
export function parseWithFormat(f: CompiledTimeFormat, ts: CompiledTimestamp, text: string, out: number[]): number {
  const m = f.regex.exec(text);
  if (!m) return NaN;
  let year = NaN;
  let month = NaN;
  let day = NaN;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let pmFlag = -1;
  let offset = NaN;
  let hour12 = false;
  for (const s of f.setters) {
    const v = m[s.group];
    switch (s.kind) {
      case Kind.Year4:
        year = +v;
        break;
      case Kind.Year2:
        year = 2000 + +v;
        break;
      case Kind.Month:
        month = +v;
        break;
      case Kind.MonthName:
        month = ts.months.get(v) ?? NaN;
        break;
      case Kind.Day:
        day = +v;
        break;
      case Kind.Hour24:
        hour = +v;
        break;
      case Kind.Hour12:
        hour = +v;
        hour12 = true;
        break;
      case Kind.Minute:
        minute = +v;
        break;
      case Kind.Second:
        second = +v;
        break;
      case Kind.Fraction:
        ms = v.length === 3 ? +v : Math.floor(+`0.${v}` * 1000);
        break;
      case Kind.AmPm:
        pmFlag = ts.pm.has(v) ? 1 : ts.am.has(v) ? 0 : -1;
        break;
      case Kind.Offset:
        offset = parseOffset(v);
        break;
    }
  }
  if (hour12) {
    if (pmFlag < 0 || hour < 1 || hour > 12) return NaN;
    hour = (hour % 12) + (pmFlag === 1 ? 12 : 0);
  }
  if (!(month >= 1 && month <= 12) || !(day >= 1 && day <= daysInMonth(year, month))) return NaN;
  if (hour > 23 || minute > 59 || second > 60) return NaN;
  out[0] = offset;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

function parseOffset(v: string): number {
  if (v === 'Z') return 0;
  const sign = v[0] === '-' ? -1 : 1;
  const h = +v.slice(1, 3);
  const m = v.length > 3 ? +v.slice(v.length - 2) : 0;
  return sign * (h * 60 + m);
}

/** Zone names that are UTC: read without Intl (its first use loads ICU's zone data, ~25 ms). */
const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/UCT', 'Etc/Universal', 'Etc/Zulu', 'GMT', 'Etc/GMT']);

/** The IANA zone of this process (`TZ`, else the system zone). */
export function localTimeZone(): string {
  // A UTC system (most servers and CI) says so in /etc/localtime: no need to start ICU for that.
  if (process.env.TZ === undefined) {
    try {
      const link = readlinkSync('/etc/localtime');
      const name = /zoneinfo\/(.+)$/.exec(link)?.[1];
      if (name !== undefined && UTC_NAMES.has(name)) return 'UTC';
    } catch {
      // not a link, or no such file: ask Intl
    }
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}

/** A fixed offset from UTC: `+01:00`, `-0530`, `+08` (at most 14 hours, as real zones). */
const FIXED_OFFSET = /^[+-](\d{2})(?::?([0-5]\d))?$/;

/**
 * Throws INVALID_OPTION unless `tz` is an IANA zone name or a fixed offset such as `+01:00`. The one
 * rule for every `tz` option (library and CLI).
 */
export function checkTimeZone(tz: string): void {
  if (UTC_NAMES.has(tz)) return;
  if (typeof tz === 'string' && (tz[0] === '+' || tz[0] === '-')) {
    // An offset only by this rule (tzOffset would also read `+99:99`).
    const fixed = FIXED_OFFSET.exec(tz);
    if (fixed && Number(fixed[1]) <= 14) return;
  } else if (typeof tz === 'string' && tz !== '' && !Number.isNaN(tzOffset(tz, new Date(0)))) return;
  throw new LensError('INVALID_OPTION', `Invalid option tz: must be an IANA time zone or a UTC offset, got ${JSON.stringify(tz)}`, {
    reason: 'tz must be an IANA time zone or a UTC offset',
    help: 'use a name such as "UTC", "Europe/Paris" or "Australia/Sydney", or an offset such as "+01:00"',
  });
}

const HOUR = 3_600_000;

/**
 * Zone offsets of wall-clock times in one zone, cached per wall-clock hour. A wall time in a DST gap
 * (02:30 on a spring-forward night) gets the offset before the change; one in the repeated hour
 * (fall back) gets the first of the two (the summer offset). Never throws.
 */
export class ZoneOffsets {
  private readonly cache = new Map<number, number>();
  readonly fixed: number | undefined;
  constructor(readonly tz: string) {
    this.fixed = UTC_NAMES.has(tz) ? 0 : undefined;
  }
  /** Offset (minutes east of UTC) in force at the wall-clock time `wallMs` (read as if UTC). */
  offsetAt(wallMs: number): number {
    if (this.fixed !== undefined) return this.fixed;
    const key = Math.floor(wallMs / HOUR);
    let off = this.cache.get(key);
    if (off === undefined) {
      if (this.cache.size > 4096) this.cache.clear();
      off = this.compute(key * HOUR + HOUR / 2);
      this.cache.set(key, off);
    }
    return off;
  }
  private compute(wallMs: number): number {
    const tz = this.tz;
    // DST changes are months apart, so the offsets 12 h either side are the only candidates.
    const before = tzOffset(tz, new Date(wallMs - 12 * HOUR));
    const after = tzOffset(tz, new Date(wallMs + 12 * HOUR));
    if (before === after) return before;
    const fits = (off: number): boolean => tzOffset(tz, new Date(wallMs - off * 60_000)) === off;
    const b = fits(before);
    const a = fits(after);
    if (a && b) return Math.max(before, after); // repeated hour: the first pass (summer time)
    if (b) return before;
    if (a) return after;
    return Math.min(before, after); // gap: read with the offset before the change (as java.time does)
  }
}

/** Per-input timestamp reader: locks on to the last format that worked and caches by the seconds part. */
export class TimeReader {
  /** Offset (minutes) used for the last successful read. */
  offsetMin = 0;
  /** The day/month order in use; resolved per input (option, evidence, default dmy). */
  order: DateOrder;
  /** The order was given as an option (evidence never overrides it). */
  readonly forcedOrder: boolean;
  /** Evidence seen so far: a date only one order can read. */
  evidence: DateOrder | undefined;
  private last = 0;
  private readonly cache = new Map<string, number>();
  private readonly out = [NaN];
  private readonly zone: ZoneOffsets;

  constructor(
    private readonly ts: CompiledTimestamp,
    opts: { tz: string; dateOrder?: DateOrder; zone?: ZoneOffsets },
  ) {
    this.zone = opts.zone ?? new ZoneOffsets(opts.tz);
    this.forcedOrder = opts.dateOrder !== undefined;
    this.order = opts.dateOrder ?? 'dmy';
  }

  /** Looks at a timestamp text for day/month evidence only (used on the detection buffer). */
  learn(text: string): void {
    if (!this.ts.hasOrder || this.forcedOrder || this.evidence) return;
    let dmy = false;
    let mdy = false;
    for (const f of this.ts.formats) {
      if (!f.order) continue;
      if (!Number.isNaN(parseWithFormat(f, this.ts, text, this.out))) {
        if (f.order === 'dmy') dmy = true;
        else mdy = true;
      }
    }
    if (dmy !== mdy) this.setEvidence(dmy ? 'dmy' : 'mdy');
  }

  private setEvidence(order: DateOrder): void {
    this.evidence = order;
    if (!this.forcedOrder && this.order !== order) {
      this.order = order;
      this.cache.clear();
    }
  }

  /** UTC epoch ms of `text`, or NaN; sets `offsetMin`. */
  read(text: string): number {
    const f = this.ts.formats[this.last];
    let key: string | undefined;
    let frac = 0;
    if (f.fracTail > 0 && text.length > f.fracTail) {
      key = text.slice(0, text.length - f.fracTail);
      const cached = this.cache.get(key);
      if (cached !== undefined) {
        frac = readDigits(text, text.length - f.fracTail + 1, f.fracTail - 1);
        if (frac >= 0) return this.place(cached + frac, NaN);
      }
    } else if (!f.hasOffset) {
      key = text;
      const cached = this.cache.get(key);
      if (cached !== undefined) return this.place(cached, NaN);
    }
    const wall = this.parseAny(text);
    if (Number.isNaN(wall)) return NaN;
    const off = this.out[0];
    const cur = this.ts.formats[this.last];
    if (Number.isNaN(off) && cur === f && key !== undefined) {
      if (this.cache.size > 4096) this.cache.clear();
      if (f.fracTail > 0) {
        frac = readDigits(text, text.length - f.fracTail + 1, f.fracTail - 1);
        if (frac >= 0) this.cache.set(key, wall - frac);
      } else this.cache.set(key, wall);
    }
    return this.place(wall, off);
  }

  private place(wall: number, explicitOffset: number): number {
    const off = Number.isNaN(explicitOffset) ? this.zone.offsetAt(wall) : explicitOffset;
    this.offsetMin = off;
    return wall - off * 60_000;
  }

  private parseAny(text: string): number {
    const fs = this.ts.formats;
    const tryOne = (i: number): number => {
      const f = fs[i];
      if (f.order && f.order !== this.order) return NaN;
      const v = parseWithFormat(f, this.ts, text, this.out);
      if (!Number.isNaN(v)) this.last = i;
      return v;
    };
    let v = tryOne(this.last);
    if (!Number.isNaN(v)) return v;
    for (let i = 0; i < fs.length; i++) {
      if (i === this.last) continue;
      v = tryOne(i);
      if (!Number.isNaN(v)) return v;
    }
    if (!this.ts.hasOrder) return NaN;
    // Only the other day/month order reads it: that is evidence for this input.
    for (let i = 0; i < fs.length; i++) {
      const f = fs[i];
      if (!f.order || f.order === this.order) continue;
      v = parseWithFormat(f, this.ts, text, this.out);
      if (!Number.isNaN(v)) {
        if (!this.forcedOrder && !this.evidence) this.setEvidence(f.order);
        this.last = i;
        return v;
      }
    }
    return NaN;
  }
}

/** Parses `n` ASCII digits at `at`; -1 if any is not a digit. Scales to milliseconds. */
function readDigits(text: string, at: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(at + i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  if (n === 3) return v;
  return n < 3 ? v * 10 ** (3 - n) : Math.floor(v / 10 ** (n - 3));
}

/** ISO 8601 rendering of an epoch time in a fixed offset: `2026-11-26T15:07:30.490+11:00` (`Z` for 0). */
export function formatIsoWithOffset(timeMs: number, offsetMin: number): string {
  const d = new Date(timeMs + offsetMin * 60_000).toISOString().slice(0, 23);
  if (offsetMin === 0) return `${d}Z`;
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${d}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

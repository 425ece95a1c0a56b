// The archive fast path's byte-level tests: is this line a record start, and could the record be a
// cluster event? Both are answered on the line's bytes, so that the (many) records of other loggers
// are counted without being decoded, matched or timed.
//
// Exactness: a `StartMatcher` answers exactly what the format's start regex would answer on the
// decoded line, or says UNSURE (the caller then decodes the line and asks the regex). It is built
// only for a pattern whose source it knows byte for byte (a grammar change turns the fast path off
// for that format instead of making it wrong), and the timestamp part is compiled from the
// grammar's own timestamp format. The record filter mirrors the event recogniser's logger
// pre-check (`isClusterLogger`, lifecycle logger simple names).

import type { CompiledEventGrammar } from './event-grammar.js';
import { isClusterLogger, simpleName } from './event-recogniser.js';
import type { CompiledFormat } from './format-grammar.js';
import type { CompiledTimeFormat, CompiledTimestamp } from './timestamp.js';

/** `match` results. */
export const NOT_START = 0;
export const START = 1;
/** Not decidable on bytes (non-UTF-8 bytes, ambiguous month names): decode and use the regex. */
export const UNSURE = 2;

export interface StartMatcher {
  /**
   * NOT_START, START (logger at `loggerStart..loggerEnd`, message from `messageStart` to the line's
   * end) or UNSURE, for the line `buf[start, end)`.
   */
  match(buf: Buffer, start: number, end: number): number;
  loggerStart: number;
  loggerEnd: number;
  messageStart: number;
  /** What every start line begins with, when the timestamp has a fixed shape (for the line scan). */
  readonly signature?: StartSignature;
}

/**
 * The fixed-shape beginning of a start line: its bytes lie in `ranges` ((low, span) pairs) and, when
 * the timestamp has a month name, the `words[0].length` bytes at `wordAt` are one of `words`.
 */
export interface StartSignature {
  ranges: Uint8Array;
  wordAt: number;
  words: Buffer[];
}

/**
 * Line patterns the fast path knows, by their source as written in the grammar. Each is matched by a
 * hand-written byte matcher that follows the regex exactly (see `oneLineTail`).
 */
const ONE_LINE =
  '^(?<time>%TIME%) (?<level>\\S+) \\[(?<thread>.*?)\\] (?<logger>[^\\s\\[\\]]+)\\.(?<method>[^\\s.]+)(?: (?<message>.*))?$';

/**
 * A byte-level start matcher for `fmt`, or undefined when the format is not one the fast path can
 * follow exactly: one pattern, of a known shape, no second line, no continuation rules, no JSON,
 * no day/month ambiguity, a fixed-shape timestamp.
 */
export function createStartMatcher(fmt: CompiledFormat): StartMatcher | undefined {
  if (fmt.fallback || fmt.patterns.length !== 1 || fmt.continuation.length > 0) return undefined;
  const p = fmt.patterns[0];
  const src = fmt.source.patterns[p.name];
  if (p.nextLine || p.json || !src || src.nextLine || src.json) return undefined;
  if (src.pattern !== ONE_LINE || (src.flags ?? '') !== 's') return undefined;
  const ts = fmt.timestamp;
  if (!ts || ts.formats.length !== 1 || ts.hasOrder) return undefined;
  const time = compileTimeBytes(ts.formats[0], ts);
  if (!time) return undefined;
  return new OneLineMatcher(time);
}

// ---- timestamps: a fixed sequence of digit runs, literals and word alternations ----------------

type TimeToken = { kind: 'digits'; n: number } | { kind: 'literal'; bytes: Buffer } | { kind: 'words'; words: Buffer[] };

interface TimeBytes {
  tokens: TimeToken[];
  /**
   * When every token has a fixed width and a words token's words all have the same length (no
   * word a prefix of another): one code per byte, DIGIT, WORD (the word's first byte) or the literal
   * byte; `words` holds the packed words. Undefined otherwise (then the token loop is used).
   */
  fixed?: Int16Array;
  wordKeys?: Set<number>;
  wordLen?: number;
}

const DIGIT = -1;
const WORD = -2;
const WORD_REST = -3;

function compileTimeBytes(f: CompiledTimeFormat, ts: CompiledTimestamp): TimeBytes | undefined {
  if (f.hasOffset) return undefined;
  const fmt = f.format;
  const tokens: TimeToken[] = [];
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i];
    if (c === "'") {
      const end = fmt.indexOf("'", i + 1);
      if (end < 0) return undefined;
      tokens.push({ kind: 'literal', bytes: Buffer.from(end === i + 1 ? "'" : fmt.slice(i + 1, end)) });
      i = end + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) {
      tokens.push({ kind: 'literal', bytes: Buffer.from(c) });
      i++;
      continue;
    }
    let n = 1;
    while (fmt[i + n] === c) n++;
    if (c === 'M' && n === 3) {
      const words = [...ts.months.keys()].sort((a, b) => b.length - a.length).map((w) => Buffer.from(w));
      if (words.length === 0) return undefined;
      tokens.push({ kind: 'words', words });
    } else if ((c === 'y' && (n === 4 || n === 2)) || ('MdHms'.includes(c) && n === 2) || c === 'S') {
      tokens.push({ kind: 'digits', n });
    } else {
      return undefined; // variable-width fields (d, H, M), AM/PM, zones: left to the regex
    }
    i += n;
  }
  return { tokens, ...fixedTemplate(tokens) };
}

function fixedTemplate(tokens: TimeToken[]): Pick<TimeBytes, 'fixed' | 'wordKeys' | 'wordLen'> {
  const codes: number[] = [];
  let wordKeys: Set<number> | undefined;
  let wordLen: number | undefined;
  for (const tok of tokens) {
    if (tok.kind === 'digits') for (let k = 0; k < tok.n; k++) codes.push(DIGIT);
    else if (tok.kind === 'literal') for (const b of tok.bytes) codes.push(b);
    else {
      const len = tok.words[0].length;
      if (wordKeys || len > 3 || tok.words.some((w) => w.length !== len)) return {};
      wordKeys = new Set(tok.words.map((w) => packWord(w, 0, len)));
      wordLen = len;
      codes.push(WORD);
      for (let k = 1; k < len; k++) codes.push(WORD_REST);
    }
  }
  return { fixed: Int16Array.from(codes), wordKeys, wordLen };
}

function packWord(buf: Buffer, at: number, len: number): number {
  let v = 0;
  for (let k = 0; k < len; k++) v = (v << 8) | buf[at + k];
  return v;
}

/**
 * The (low, span) byte range of each byte of a fixed template, then `after`: digits 0-9, literals
 * themselves, a word's bytes the range of the words' bytes at that position.
 */
function signatureOf(t: TimeBytes, after: [number, number][]): StartSignature {
  const codes = t.fixed!;
  const out: number[] = [];
  let wordAt = 0;
  const words: Buffer[] = [];
  for (const key of t.wordKeys ?? []) {
    const w = Buffer.alloc(t.wordLen!);
    for (let k = 0; k < w.length; k++) w[k] = (key >> (8 * (w.length - 1 - k))) & 0xff;
    words.push(w);
  }
  for (let k = 0; k < codes.length; k++) {
    const code = codes[k];
    if (code >= 0) out.push(code, 0);
    else if (code === DIGIT) out.push(0x30, 9);
    else {
      if (code === WORD) wordAt = k;
      const at = k - wordAt;
      let lo = 255;
      let hi = 0;
      for (const key of t.wordKeys!) {
        const b = (key >> (8 * (t.wordLen! - 1 - at))) & 0xff;
        lo = Math.min(lo, b);
        hi = Math.max(hi, b);
      }
      out.push(lo, hi - lo);
    }
  }
  for (const [lo, span] of after) out.push(lo, span);
  return { ranges: Uint8Array.from(out), wordAt, words };
}

/** matchTime for a fixed template: the end of the timestamp, or -1. */
function matchFixedTime(t: TimeBytes, buf: Buffer, pos: number, end: number): number {
  const codes = t.fixed!;
  const n = codes.length;
  if (pos + n > end) return -1;
  for (let k = 0; k < n; k++) {
    const code = codes[k];
    const b = buf[pos + k];
    if (code >= 0) {
      if (b !== code) return -1;
    } else if (code === DIGIT) {
      if (b < 0x30 || b > 0x39) return -1;
    } else if (code === WORD) {
      if (!t.wordKeys!.has(packWord(buf, pos + k, t.wordLen!))) return -1;
    }
  }
  return pos + n;
}

/** End of the timestamp at `pos`, -1 when there is none, -2 when more than one reading is possible. */
function matchTime(t: TimeBytes, buf: Buffer, pos: number, end: number): number {
  const tokens = t.tokens;
  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k];
    if (tok.kind === 'digits') {
      const stop = pos + tok.n;
      if (stop > end) return -1;
      for (; pos < stop; pos++) {
        const b = buf[pos];
        if (b < 0x30 || b > 0x39) return -1;
      }
    } else if (tok.kind === 'literal') {
      const bytes = tok.bytes;
      if (pos + bytes.length > end) return -1;
      for (let j = 0; j < bytes.length; j++) if (buf[pos + j] !== bytes[j]) return -1;
      pos += bytes.length;
    } else {
      let found = -1;
      for (const w of tok.words) {
        if (pos + w.length > end) continue;
        let ok = true;
        for (let j = 0; j < w.length; j++) {
          if (buf[pos + j] !== w[j]) {
            ok = false;
            break;
          }
        }
        if (!ok) continue;
        if (found !== -1) return -2; // two names fit here (one a prefix of the other): let the regex decide
        found = pos + w.length;
      }
      if (found === -1) return -1;
      pos = found;
    }
  }
  return pos;
}

// ---- JavaScript's \s on UTF-8 bytes ---------------------------------------------------------

/** Length of the `\s` character at `i` (0 when it is none). The line must be valid UTF-8. */
export function spaceAt(buf: Buffer, i: number, end: number): number {
  const b = buf[i];
  if (b < 0x80) return b === 0x20 || (b >= 0x09 && b <= 0x0d) ? 1 : 0;
  if (b === 0xc2) return i + 1 < end && buf[i + 1] === 0xa0 ? 2 : 0;
  if (b < 0xe1 || i + 2 >= end) return 0;
  const b1 = buf[i + 1];
  const b2 = buf[i + 2];
  switch (b) {
    case 0xe1: // U+1680
      return b1 === 0x9a && b2 === 0x80 ? 3 : 0;
    case 0xe2: // U+2000-200A, U+2028, U+2029, U+202F, U+205F
      if (b1 === 0x80) return (b2 >= 0x80 && b2 <= 0x8a) || b2 === 0xa8 || b2 === 0xa9 || b2 === 0xaf ? 3 : 0;
      return b1 === 0x81 && b2 === 0x9f ? 3 : 0;
    case 0xe3: // U+3000
      return b1 === 0x80 && b2 === 0x80 ? 3 : 0;
    case 0xef: // U+FEFF
      return b1 === 0xbb && b2 === 0xbf ? 3 : 0;
    default:
      return 0;
  }
}

const SPACE = 0x20;
const DOT = 0x2e;
const OPEN = 0x5b;
const CLOSE = 0x5d;

/** Byte classes for the scans: 0 other, 1 ASCII whitespace, 2 dot, 3 bracket, 4 non-ASCII. */
const C_WS = 1;
const C_DOT = 2;
const C_BRACKET = 3;
const C_HIGH = 4;
const CLASS = new Uint8Array(256);
for (let b = 0x09; b <= 0x0d; b++) CLASS[b] = C_WS;
CLASS[SPACE] = C_WS;
CLASS[DOT] = C_DOT;
CLASS[OPEN] = C_BRACKET;
CLASS[CLOSE] = C_BRACKET;
for (let b = 0x80; b < 0x100; b++) CLASS[b] = C_HIGH;

/**
 * `^(?<time>%TIME%) (?<level>\S+) \[(?<thread>.*?)\] (?<logger>[^\s\[\]]+)\.(?<method>[^\s.]+)(?: (?<message>.*))?$`
 * with flag `s`, on bytes. The regex matches when, after the time and one space, the level is the
 * run of non-space characters up to a space followed by `[`; and for some `] ` after that (the lazy
 * thread takes the first that works) the next whitespace-free word W ends the line or is followed by
 * a space, and W's last dot splits it into a non-empty logger without brackets and a non-empty method.
 */
class OneLineMatcher implements StartMatcher {
  loggerStart = 0;
  loggerEnd = 0;
  messageStart = 0;
  readonly signature: StartSignature | undefined;
  constructor(private readonly time: TimeBytes) {
    // the timestamp, then the space before the level
    this.signature = time.fixed && signatureOf(time, [[SPACE, 0]]);
  }

  match(buf: Buffer, start: number, end: number): number {
    const time = this.time;
    const t = time.fixed !== undefined ? matchFixedTime(time, buf, start, end) : matchTime(time, buf, start, end);
    if (t < 0) return t === -1 ? NOT_START : UNSURE;
    if (t >= end || buf[t] !== SPACE) return NOT_START;
    // level: \S+ then " ["
    let i = t + 1;
    const levelStart = i;
    for (; i < end; i++) {
      const k = CLASS[buf[i]];
      if (k === C_WS || (k === C_HIGH && spaceAt(buf, i, end) > 0)) break;
    }
    if (i === levelStart || i + 1 >= end || buf[i] !== SPACE || buf[i + 1] !== OPEN) return NOT_START;
    // thread: the first "] " after which a logger.method word follows
    for (let p = i + 2; p + 1 < end; p++) {
      if (buf[p] !== CLOSE || buf[p + 1] !== SPACE) continue;
      const q = p + 2;
      let lastDot = -1;
      let firstBracket = -1;
      let e = q;
      let asciiSpace = false;
      for (; e < end; e++) {
        const k = CLASS[buf[e]];
        if (k === 0) continue;
        if (k === C_DOT) lastDot = e;
        else if (k === C_WS) {
          asciiSpace = buf[e] === SPACE;
          break;
        } else if (k === C_BRACKET) {
          if (firstBracket === -1) firstBracket = e;
        } else if (spaceAt(buf, e, end) > 0) break;
      }
      if ((e === end || asciiSpace) && lastDot > q && lastDot < e - 1 && (firstBracket === -1 || firstBracket > lastDot)) {
        this.loggerStart = q;
        this.loggerEnd = lastDot;
        this.messageStart = e === end ? end : e + 1; // `(?: (?<message>.*))?$`
        return START;
      }
    }
    return NOT_START;
  }
}

// ---- which records can yield an event -----------------------------------------------------

/** `LoggerFilter.kind` results. */
export const OTHER_LOGGER = 0;
export const LIFECYCLE_LOGGER = 1;
export const CLUSTER_LOGGER = 2;

/** Logger names whose kind `LoggerFilter.kindOfName` keeps. */
const KIND_CACHE = 4096;

/**
 * Whether a record of a logger can become an event: a cluster logger's (`isClusterLogger`) or a
 * lifecycle logger's named by the event grammars (compared by simple name, as the recogniser does).
 */
export class LoggerFilter {
  /** Simple names of the lifecycle loggers. */
  readonly names: readonly Buffer[];
  private readonly lengths = new Set<number>();
  private readonly nameSet: ReadonlySet<string>;
  private readonly kinds = new Map<string, number>();

  constructor(events: readonly CompiledEventGrammar[]) {
    const names = new Set<string>();
    for (const g of events) {
      for (const l of g.loggers) if (!isClusterLogger(l)) names.add(simpleName(l));
    }
    this.nameSet = names;
    this.names = [...names].map((n) => Buffer.from(n));
    for (const n of this.names) this.lengths.add(n.length);
  }

  /**
   * CLUSTER_LOGGER (its records are events, `cluster-other` at least), LIFECYCLE_LOGGER (events
   * only where a template matches the message) or OTHER_LOGGER (never events).
   */
  kind(buf: Buffer, start: number, end: number): number {
    if (clusterLoggerBytes(buf, start, end)) return CLUSTER_LOGGER;
    return this.lifecycle(buf, start, end) ? LIFECYCLE_LOGGER : OTHER_LOGGER;
  }

  /** `kind` of a decoded logger name; no logger is tried on every template, as a lifecycle logger. */
  kindOfName(logger: string | undefined): number {
    if (logger === undefined || logger === '') return LIFECYCLE_LOGGER;
    // Decoded formats ask this for every record, and a log has a few hundred loggers at most: the
    // answers are kept (up to KIND_CACHE names, then the cache starts over, so a hostile log of
    // distinct names costs only the regex it would have cost anyway).
    let kind = this.kinds.get(logger);
    if (kind === undefined) {
      kind = isClusterLogger(logger) ? CLUSTER_LOGGER : this.nameSet.has(simpleName(logger)) ? LIFECYCLE_LOGGER : OTHER_LOGGER;
      if (this.kinds.size >= KIND_CACHE) this.kinds.clear();
      this.kinds.set(logger, kind);
    }
    return kind;
  }

  private lifecycle(buf: Buffer, start: number, end: number): boolean {
    let s = end - 1;
    while (s >= start && buf[s] !== DOT) s--;
    s++;
    const len = end - s;
    if (!this.lengths.has(len)) return false;
    for (const n of this.names) {
      if (n.length !== len) continue;
      let j = 0;
      while (j < len && buf[s + j] === n[j]) j++;
      if (j === len) return true;
    }
    return false;
  }
}

const o = 0x6f;
const a = 0x61;
const c = 0x63;

function word(buf: Buffer, i: number, end: number, w: string): boolean {
  if (i + w.length > end) return false;
  for (let j = 0; j < w.length; j++) if (buf[i + j] !== w.charCodeAt(j)) return false;
  return true;
}

/** `o(rg)?.` / `a(pache)?.` / `c(atalina)?.`: the position after it, or -1. */
function segment(buf: Buffer, i: number, end: number, first: number, rest: string): number {
  if (i >= end || buf[i] !== first) return -1;
  i++;
  if (i < end && buf[i] === DOT) return i + 1;
  if (word(buf, i, end, rest) && i + rest.length < end && buf[i + rest.length] === DOT) return i + rest.length + 1;
  return -1;
}

const HA_SUBPACKAGES = ['authenticator', 'backend', 'context', 'deploy', 'jmx', 'session', 'tcp'];

/** The recogniser's CLUSTER_LOGGER_RE on the bytes of a logger name. */
export function clusterLoggerBytes(buf: Buffer, start: number, end: number): boolean {
  if (end - start < 8 || buf[start] !== o) return false;
  let i = segment(buf, start, end, o, 'rg');
  if (i < 0) return false;
  i = segment(buf, i, end, a, 'pache');
  if (i < 0) return false;
  i = segment(buf, i, end, c, 'atalina');
  if (i < 0) return false;
  if (word(buf, i, end, 'ha.') || word(buf, i, end, 'tribes.') || word(buf, i, end, 't.')) return true;
  if (!word(buf, i, end, 'h.')) return false;
  i += 2;
  if (i + 1 < end && buf[i + 1] === DOT && 'abcdjst'.includes(String.fromCharCode(buf[i]))) return true;
  for (const w of HA_SUBPACKAGES) if (word(buf, i, end, w) && i + w.length < end && buf[i + w.length] === DOT) return true;
  return false;
}

// Format grammars (grammars/formats/*.json, lnav style) compiled once into regexes, a timestamp
// reader spec, a level map and the multi-line rules the record assembler follows.
//
// A pattern may use two placeholders, expanded at compile time from the grammar's own data:
//   %TIME%    a non-capturing alternation of every `timestamp.formats` entry (months, AM/PM words included)
//   %LEVELS%  an alternation of the `level` map's keys, factored by common prefixes (`FINE(?:ST|R)?`):
//             it matches what the plain alternation, longest first, would, and keeps the automaton
//             recheck builds for the safety check small (the plain list takes it seconds)

import { LensError } from './errors.js';
import { compileTimestamp, escapeRegex, type CompiledTimestamp, type TimestampSpec } from './timestamp.js';
import { LEVELS, type Level } from './types.js';
import { charHeads, headChars, wordHeads, type Heads } from './start-heads.js';

/** Named groups a pattern may capture. `source` (logback's file name) is read but not kept. */
export const FIELD_NAMES = ['time', 'level', 'thread', 'logger', 'method', 'message', 'source'] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

/** The JSON shape of one pattern. */
export interface FormatPatternJson {
  pattern: string;
  flags?: string;
  description?: string;
  /** The record's second physical line (JUL SimpleFormatter): without it the first line is no record start. */
  nextLine?: { pattern: string; flags?: string };
  /** The line is one JSON object; `pattern` is only a cheap pre-check. Maps record fields to JSON keys. */
  json?: Partial<Record<'time' | 'level' | 'thread' | 'logger' | 'method' | 'message' | 'trace', string>>;
}

export interface FormatSampleJson {
  line: string;
  description?: string;
  expect?: {
    pattern?: string;
    level?: Level;
    levelRaw?: string;
    thread?: string;
    logger?: string;
    method?: string;
    message?: string;
    /** ISO 8601 in UTC, read with tz UTC. `null`: the record must have no time. */
    time?: string | null;
    lineCount?: number;
    traceLines?: number;
    prefix?: string;
  };
}

/** The JSON shape of one format grammar (the value under its `^\w+$` key). */
export interface FormatGrammarJson {
  title: string;
  description: string;
  /** Only chosen when forced or when no other format matches the input (VerbatimFormatter). */
  fallback?: boolean;
  /** Detection tie-breaker: higher wins on equal scores. Default 0. */
  priority?: number;
  patterns: Record<string, FormatPatternJson>;
  timestamp?: TimestampSpec;
  level?: Record<string, Level>;
  multiline?: {
    /** A following line that matches one of these starts (or continues) the stack trace. */
    trace?: string[];
    /** A line that matches one of these attaches to the current record even if it looks like a start;
     *  its `body` group, if any, is what is kept. */
    continuation?: string[];
  };
  samples: FormatSampleJson[];
}

export interface CompiledPattern {
  name: string;
  regex: RegExp;
  nextLine?: RegExp;
  json?: FormatPatternJson['json'];
  /** Cheap pre-check on the first UTF-16 unit; undefined when any start is possible. */
  firstChars?: Set<number>;
  /** What a match begins with (words or characters); undefined when not known. */
  heads?: Heads;
  /** JSON pointer of the pattern (`/oneline/patterns/std`). */
  pointer: string;
  /** Named groups the regex (and nextLine) capture. */
  groups: Set<string>;
  /** `regex` with its named groups made plain (no `groups` object per match), and where each field is. */
  fast: RegExp;
  slots: Slots;
  nextFast?: RegExp;
  nextSlots?: Slots;
}

/** Capture-group number of each record field in a pattern (0: not captured). */
export interface Slots {
  time: number;
  level: number;
  thread: number;
  logger: number;
  method: number;
  message: number;
}

export interface CompiledFormat {
  name: string;
  file: string;
  title: string;
  description: string;
  fallback: boolean;
  priority: number;
  patterns: CompiledPattern[];
  timestamp?: CompiledTimestamp;
  levels: Map<string, Level>;
  trace: RegExp[];
  continuation: RegExp[];
  samples: FormatSampleJson[];
  /** The grammar as written. */
  source: FormatGrammarJson;
}

/** Fields one start line yields (regex groups, or values read from a JSON line). */
export interface MatchFields {
  time?: string;
  level?: string;
  thread?: string;
  logger?: string;
  method?: string;
  message?: string;
  trace?: string[];
}

/**
 * A MatchFields to fill again and again: every field there from the start, in `fill`'s order, so
 * that writing a string where undefined was (or the reverse) never changes its shape. One made
 * empty and filled on the way deoptimised the parser's hot path ("wrong map") once the fields of
 * another line were written into it.
 */
export function reusableMatchFields(): MatchFields {
  return { time: undefined, level: undefined, thread: undefined, logger: undefined, method: undefined, message: undefined, trace: undefined };
}

export function jsonPointer(...parts: (string | number)[]): string {
  return parts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

const FLAGS = /^[imsu]*$/;

/** Compiles one grammar. Throws LensError (GRAMMAR_SCHEMA, GRAMMAR_INVALID_REGEX, GRAMMAR_BAD_TIMESTAMP) naming `file` and the JSON pointer. */
export function compileFormatGrammar(name: string, json: unknown, file: string): CompiledFormat {
  const ptr = (...parts: (string | number)[]): string => jsonPointer(name, ...parts);
  const schema = (pointer: string, reason: string): LensError =>
    new LensError('GRAMMAR_SCHEMA', `format grammar ${name} is malformed`, {
      file,
      pointer,
      reason,
      help: 'see grammars/schema/format.schema.json',
    });
  if (!/^\w+$/.test(name)) throw schema(ptr(), `the grammar name must match ^\\w+$, got ${JSON.stringify(name)}`);
  if (!isObject(json)) throw schema(ptr(), 'must be an object');
  const g = json as unknown as FormatGrammarJson;
  for (const key of ['title', 'description'] as const) {
    if (typeof g[key] !== 'string') throw schema(ptr(key), `${key} must be a string`);
  }
  if (!isObject(g.patterns) || Object.keys(g.patterns).length === 0) throw schema(ptr('patterns'), 'patterns must be a non-empty object');
  if (!Array.isArray(g.samples)) throw schema(ptr('samples'), 'samples must be an array');
  g.samples.forEach((s, i) => {
    if (!isObject(s) || typeof s.line !== 'string') throw schema(ptr('samples', i, 'line'), 'a sample needs a string "line"');
  });

  const levels = new Map<string, Level>();
  if (g.level !== undefined) {
    if (!isObject(g.level)) throw schema(ptr('level'), 'level must be an object of raw word → level');
    for (const [raw, lv] of Object.entries(g.level)) {
      if (!LEVELS.includes(lv)) throw schema(ptr('level', raw), `must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(lv)}`);
      levels.set(raw, lv);
    }
  }

  let timestamp: CompiledTimestamp | undefined;
  if (g.timestamp !== undefined) {
    if (!isObject(g.timestamp) || !Array.isArray(g.timestamp.formats) || g.timestamp.formats.length === 0) {
      throw schema(ptr('timestamp', 'formats'), 'timestamp.formats must be a non-empty array');
    }
    timestamp = compileTimestamp(g.timestamp, file, ptr('timestamp'));
  }

  const levelAlt = literalAlternation([...levels.keys()]);
  const expand = (src: string, pointer: string): string => {
    if (src.includes('%TIME%')) {
      if (!timestamp) throw schema(pointer, '%TIME% needs a "timestamp" block');
      src = src.split('%TIME%').join(timestamp.embed);
    }
    if (src.includes('%LEVELS%')) {
      if (!levelAlt) throw schema(pointer, '%LEVELS% needs a "level" map');
      src = src.split('%LEVELS%').join(`(?:${levelAlt})`);
    }
    return src;
  };
  const compile = (src: unknown, flags: unknown, pointer: string): RegExp => {
    if (typeof src !== 'string') throw schema(pointer, 'pattern must be a string');
    if (flags !== undefined && (typeof flags !== 'string' || !FLAGS.test(flags))) {
      throw schema(pointer.replace(/\/pattern$/, '/flags'), `flags may only hold i, m, s, u; got ${JSON.stringify(flags)}`);
    }
    const expanded = expand(src, pointer);
    try {
      return new RegExp(expanded, flags as string | undefined);
    } catch (err) {
      throw new LensError('GRAMMAR_INVALID_REGEX', `pattern is not a valid regular expression`, {
        file,
        pointer,
        reason: err instanceof Error ? err.message : String(err),
        help: 'JavaScript RegExp syntax (Node 20: no (?i:...) inline flags; use "flags")',
      });
    }
  };

  const patterns: CompiledPattern[] = [];
  for (const [pname, p] of Object.entries(g.patterns)) {
    const pp = ptr('patterns', pname);
    if (!/^\w+$/.test(pname)) throw schema(pp, `pattern names must match ^\\w+$, got ${JSON.stringify(pname)}`);
    if (!isObject(p)) throw schema(pp, 'must be an object with "pattern"');
    const regex = compile(p.pattern, p.flags, `${pp}/pattern`);
    let nextLine: RegExp | undefined;
    if (p.nextLine !== undefined) {
      if (!isObject(p.nextLine)) throw schema(`${pp}/nextLine`, 'must be an object with "pattern"');
      nextLine = compile(p.nextLine.pattern, p.nextLine.flags, `${pp}/nextLine/pattern`);
    }
    const groups = new Set([...namedGroups(regex.source), ...(nextLine ? namedGroups(nextLine.source) : [])]);
    for (const gname of groups) {
      if (!(FIELD_NAMES as readonly string[]).includes(gname)) {
        throw schema(`${pp}/pattern`, `unknown named group ${JSON.stringify(gname)}; allowed: ${FIELD_NAMES.join(', ')}`);
      }
    }
    if (p.json !== undefined && !isObject(p.json)) throw schema(`${pp}/json`, 'json must map record fields to JSON keys');
    if (groups.has('time') && !timestamp && !p.json) throw schema(`${pp}/pattern`, 'captures "time" but the grammar has no "timestamp" block');
    if (p.json?.time !== undefined && !timestamp) throw schema(`${pp}/json/time`, 'reads "time" but the grammar has no "timestamp" block');
    const fastMain = unnamed(regex);
    const fastNext = nextLine ? unnamed(nextLine) : undefined;
    const heads = p.flags?.includes('i') ? undefined : headsOf(String(p.pattern), timestamp, levels);
    patterns.push({
      name: pname,
      regex,
      nextLine,
      fast: fastMain.regex,
      slots: fastMain.slots,
      nextFast: fastNext?.regex,
      nextSlots: fastNext?.slots,
      json: p.json,
      heads,
      firstChars: heads && new Set([...headChars(heads)].map((c) => c.charCodeAt(0))),
      pointer: pp,
      groups,
    });
  }

  const ml = g.multiline ?? {};
  if (!isObject(ml)) throw schema(ptr('multiline'), 'multiline must be an object');
  const list = (key: 'trace' | 'continuation'): RegExp[] => {
    const v = ml[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw schema(ptr('multiline', key), `${key} must be an array of patterns`);
    return v.map((src, i) => compile(src, undefined, ptr('multiline', key, i)));
  };

  return {
    name,
    file,
    title: g.title,
    description: g.description,
    fallback: g.fallback === true,
    priority: typeof g.priority === 'number' ? g.priority : 0,
    patterns,
    timestamp,
    levels,
    trace: list('trace'),
    continuation: list('continuation'),
    samples: g.samples,
    source: g,
  };
}

/**
 * An alternation of literal words as a prefix tree: `FINE(?:ST|R)?|FEIN`. Where several words match
 * at one place they are tried longest first, as in a longest-first plain alternation.
 */
export function literalAlternation(words: string[]): string {
  // Returns the source and whether it is a top-level alternation (needs a group to be followed).
  const build = (list: string[]): { src: string; alt: boolean } => {
    const byFirst = new Map<string, string[]>();
    let ends = false;
    for (const w of list) {
      if (w === '') {
        ends = true;
        continue;
      }
      const c = String.fromCodePoint(w.codePointAt(0)!);
      const rest = byFirst.get(c) ?? [];
      rest.push(w.slice(c.length));
      byFirst.set(c, rest);
    }
    const alts = [...byFirst].map(([c, rest]) => {
      const sub = build(rest);
      return escapeRegex(c) + (sub.alt ? `(?:${sub.src})` : sub.src);
    });
    if (alts.length === 0) return { src: '', alt: false };
    if (!ends) return { src: alts.join('|'), alt: alts.length > 1 };
    // A word ends here and longer ones go on: the optional rest is tried first (longest first).
    return { src: `(?:${alts.join('|')})?`, alt: false };
  };
  return build([...new Set(words)]).src;
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The same regex with `(?<name>` turned into `(`, plus the group number of each record field.
 * Walks the source: escapes and character classes are skipped, `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`
 * do not capture.
 */
function unnamed(re: RegExp): { regex: RegExp; slots: Slots } {
  const src = re.source;
  const slots: Slots = { time: 0, level: 0, thread: 0, logger: 0, method: 0, message: 0 };
  // The source is copied in slices between named groups (it runs at every start, cold: no per-character concatenation).
  let out = '';
  let from = 0;
  let n = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 0x5c /* \\ */) i++;
    else if (inClass) inClass = c !== 0x5d; /* ] */
    else if (c === 0x5b /* [ */) inClass = true;
    else if (c === 0x28 /* ( */) {
      if (src.charCodeAt(i + 1) !== 0x3f /* ? */) n++;
      else if (src[i + 2] === '<' && src[i + 3] !== '=' && src[i + 3] !== '!') {
        const close = src.indexOf('>', i);
        const name = src.slice(i + 3, close);
        n++;
        if (name in slots) slots[name as keyof Slots] = n;
        out += src.slice(from, i + 1);
        from = close + 1;
        i = close;
      }
    }
  }
  return { regex: new RegExp(out + src.slice(from), re.flags), slots };
}

function namedGroups(source: string): string[] {
  const out: string[] = [];
  const re = /\(\?<([A-Za-z_$][\w$]*)>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(source))) {
    // Skip escaped parens: count the backslashes before it.
    let bs = 0;
    for (let i = m.index - 1; i >= 0 && source[i] === '\\'; i--) bs++;
    if (bs % 2 === 0) out.push(m[1]);
  }
  return out;
}

/**
 * What a pattern's match begins with, derived from the pattern source when it is simple enough to
 * be sure (`^\d`, `^\[`, `^<`, `^\{`, a literal, `^(?<time>%TIME%)`, `^(?<level>%LEVELS%)`); otherwise
 * undefined. Used to skip regexes that cannot match: a pure optimisation, checked by every sample.
 */
function headsOf(src: string, ts: CompiledTimestamp | undefined, levels: Map<string, Level>): Heads | undefined {
  if (!src.startsWith('^')) return undefined;
  let rest = src.slice(1);
  // Step into leading groups only when the group holds no top-level alternation.
  for (;;) {
    const open = /^\((?:\?<[A-Za-z_$][\w$]*>|\?:)/.exec(rest);
    if (!open) break;
    const inner = rest.slice(open[0].length);
    if (inner.startsWith('%TIME%') || inner.startsWith('%LEVELS%')) {
      rest = inner;
      break;
    }
    if (hasTopLevelAlternation(inner)) return undefined;
    rest = inner;
  }
  if (rest.startsWith('%TIME%')) return ts?.heads;
  if (rest.startsWith('%LEVELS%')) return levels.size ? wordHeads(levels.keys()) : undefined;
  const next = rest[1];
  // The first atom must not be optional or repeat-zero.
  const quantified = (len: number): boolean => /^[?*]|^\{0/.test(rest.slice(len));
  if (rest.startsWith('\\d')) return quantified(2) ? undefined : charHeads('0123456789');
  if (rest[0] === '\\' && next !== undefined && /[[\]{}()<>.*+?^$|\\/\-]/.test(next)) return quantified(2) ? undefined : charHeads(next);
  if (rest[0] !== undefined && /[A-Za-z0-9<>"'#@!=:;,\- ]/.test(rest[0])) return quantified(1) ? undefined : charHeads(rest[0]);
  return undefined;
}

function hasTopLevelAlternation(s: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) return false;
      depth--;
    } else if (c === '|' && depth === 0) return true;
  }
  return false;
}

/** Clears `out` and fills it from one match array. */
function fill(m: RegExpExecArray, slots: Slots, out: MatchFields): void {
  out.time = slots.time ? m[slots.time] : undefined;
  out.level = slots.level ? m[slots.level] : undefined;
  out.thread = slots.thread ? m[slots.thread] : undefined;
  out.logger = slots.logger ? m[slots.logger] : undefined;
  out.method = slots.method ? m[slots.method] : undefined;
  out.message = slots.message ? m[slots.message] : undefined;
  out.trace = undefined;
}

/**
 * Hot-path match: fills `out` (reused by the caller, no allocation beyond the match array) and
 * returns true when `text` is a start line of this pattern (its first line, for a nextLine pattern).
 */
export function matchInto(p: CompiledPattern, text: string, out: MatchFields): boolean {
  // An empty line is tested apart: charCodeAt(0) out of range deoptimised the parser's hot path.
  if (p.firstChars !== undefined && (text.length === 0 || !p.firstChars.has(text.charCodeAt(0)))) return false;
  if (p.json) {
    const f = matchPattern(p, text);
    if (!f) return false;
    out.time = f.time;
    out.level = f.level;
    out.thread = f.thread;
    out.logger = f.logger;
    out.method = f.method;
    out.message = f.message;
    out.trace = f.trace;
    return true;
  }
  const m = p.fast.exec(text);
  if (!m) return false;
  fill(m, p.slots, out);
  return true;
}

/** Matches the second line of a nextLine pattern, adding its captured fields to `out`. */
export function matchNextInto(p: CompiledPattern, text: string, out: MatchFields): boolean {
  const m = p.nextFast?.exec(text);
  if (!m) return false;
  const s = p.nextSlots!;
  if (s.time) out.time = m[s.time];
  if (s.level) out.level = m[s.level];
  if (s.thread) out.thread = m[s.thread];
  if (s.logger) out.logger = m[s.logger];
  if (s.method) out.method = m[s.method];
  if (s.message) out.message = m[s.message];
  return true;
}

/**
 * Matches one line against one pattern. Returns its fields, or undefined. For a JSON pattern the line
 * is parsed; a line that is not a JSON object does not match.
 */
export function matchPattern(p: CompiledPattern, text: string): MatchFields | undefined {
  if (p.firstChars !== undefined && (text.length === 0 || !p.firstChars.has(text.charCodeAt(0)))) return undefined;
  const m = p.regex.exec(text);
  if (!m) return undefined;
  if (!p.json) return (m.groups ?? {}) as MatchFields;
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(obj)) return undefined;
  const map = p.json;
  const out: MatchFields = {};
  for (const key of ['time', 'level', 'thread', 'logger', 'method', 'message'] as const) {
    const k = map[key];
    if (k === undefined) continue;
    const v = obj[k];
    if (v !== undefined && v !== null) out[key] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  if (map.trace !== undefined) {
    const t = obj[map.trace];
    if (Array.isArray(t)) out.trace = t.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
    else if (typeof t === 'string') out.trace = t.split('\n');
  }
  if (out.message === undefined) out.message = '';
  return out;
}

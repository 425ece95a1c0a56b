// Turns log records into typed cluster events (DESIGN.md "Events"). Runs on every record, so:
// a logger pre-check before any regex, then a literal-prefix index so each message meets few regexes.

import type { CompiledEventGrammar, CompiledTemplate } from './event-grammar.js';
import { isSpace, matchTemplate, trimEnd } from './event-grammar.js';
import { isoWithOffset } from './iso-time.js';
import type { ClusterEvent, LogRecord } from './types.js';

/**
 * `org.apache.catalina.ha.*` / `.tribes.*` and logback's abbreviations (`o.a.c.h.t.SimpleTcpCluster`,
 * `o.a.c.ha.session.DeltaManager`, `o.a.catalina.tribes...`). A one-letter `h` is ambiguous with
 * `org.apache.coyote.http11`/`http2` (`o.a.c.h.Http11NioProtocol`, `o.a.c.h.u.…`), so it is accepted only
 * before one of the ha sub-packages (authenticator, backend, context, deploy, jmx, session, tcp).
 */
const CLUSTER_LOGGER_RE =
  /^(?:org\.apache\.catalina\.(?:ha|tribes)\.|o(?:rg)?\.a(?:pache)?\.c(?:atalina)?\.(?:ha|tribes|t)\.|o(?:rg)?\.a(?:pache)?\.c(?:atalina)?\.h\.(?:[abcdjst]|authenticator|backend|context|deploy|jmx|session|tcp)\.)/;

/** Messages longer than this (first line) are not matched: real cluster messages are < 2 KB. */
const MAX_MESSAGE = 8192;
/** Index key length: templates are bucketed by the first KEY characters of their literal prefix. */
const KEY = 3;
/**
 * Messages whose match (or lack of one) is remembered; when that many are, all are forgotten
 * (forgetting the oldest one by one made each insertion walk the map's deleted entries: with no
 * repeats at all, recognising took ~1.4 times as long). A day's catalina.out repeats its cluster
 * messages: of the events of the corpus' full-day logs, 63-91% repeat an earlier message's first
 * line word for word (the same members, managers and receivers), and a repeat is a hash lookup
 * instead of a few templates' regexes.
 */
const MEMO_ENTRIES = 1024;
/** Longer messages are matched each time: the memo holds ~1-2 MB of text at most (keys and their lines). */
const MEMO_MAX_LENGTH = 1024;

/** A template that matches a message, with the fields it read from it. */
export type TemplateMatch = { template: CompiledTemplate; fields: Record<string, unknown> };

export interface EventRecogniser {
  /** The event for a record, `cluster-other` for an unrecognised cluster-logger record, else undefined. */
  recognise(rec: LogRecord, node: string): ClusterEvent | undefined;
  /** True for `org.apache.catalina.ha.*` / `.tribes.*` loggers, abbreviated or not. */
  isClusterLogger(logger?: string): boolean;
  /**
   * False when no template can match a message whose first line is `text` (or begins with `text`
   * when `complete` is false): no template's literal prefix fits its start. Lets the fast path count
   * a lifecycle logger's other records without decoding them.
   */
  mayMatch(text: string, complete: boolean): boolean;
  /** Every template that matches a message (first line), with its fields; for sample checks. */
  matchAll(message: string): TemplateMatch[];
  /** The templates' literal prefixes, each once: what `mayMatch` compares a message's start with. */
  readonly prefixes: readonly string[];
}

/** A logger's simple name: `SimpleTcpCluster` of `org.apache.catalina.ha.tcp.SimpleTcpCluster`. */
export function simpleName(logger: string): string {
  return logger.slice(logger.lastIndexOf('.') + 1);
}

/** The first KEY characters of a message with each run of white space as one space (no regex: runs per record). */
function keyOf(message: string): string {
  let key = '';
  let space = false;
  for (let i = 0; i < message.length && key.length < KEY; i++) {
    const c = message.charCodeAt(i);
    if (isSpace(c)) {
      if (!space) key += ' ';
      space = true;
    } else {
      key += message[i];
      space = false;
    }
  }
  return key;
}

/** The first line of a message, without trailing `\r` and leading white space. */
export function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  return trimStartSpaces(trimEnd(nl < 0 ? message : message.slice(0, nl)));
}

function trimStartSpaces(line: string): string {
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 0x20 || line.charCodeAt(i) === 0x09)) i++;
  return i === 0 ? line : line.slice(i);
}

export function isClusterLogger(logger?: string): boolean {
  return logger !== undefined && CLUSTER_LOGGER_RE.test(logger);
}

/**
 * Whether `msg` (its first line, leading white space trimmed) can begin with a template's literal
 * `prefix` (white space runs folded to one space), as matchTemplate reads it: a space there takes a
 * run of white space, every other character itself. When the message is only a head (`complete`
 * false) and ends first, it may still fit.
 */
function prefixFits(msg: string, prefix: string, complete: boolean): boolean {
  let i = 0;
  for (let k = 0; k < prefix.length; k++) {
    if (i >= msg.length) return !complete;
    if (prefix.charCodeAt(k) === 0x20) {
      if (!isSpace(msg.charCodeAt(i))) return false;
      while (i < msg.length && isSpace(msg.charCodeAt(i))) i++;
    } else if (msg.charCodeAt(i++) !== prefix.charCodeAt(k)) return false;
  }
  return true;
}

const shared = new WeakMap<readonly CompiledEventGrammar[], EventRecogniser>();

/**
 * One recogniser per grammar set, for all the inputs parsed with it (it holds no state of its own
 * input). A new one per file re-created its closures, and V8 optimised each anew: in a run of four
 * files the second file's first thousands of records were recognised several times slower.
 */
export function sharedEventRecogniser(grammars: CompiledEventGrammar[]): EventRecogniser {
  let r = shared.get(grammars);
  if (!r) shared.set(grammars, (r = createEventRecogniser(grammars)));
  return r;
}

export function createEventRecogniser(grammars: CompiledEventGrammar[]): EventRecogniser {
  const byKey = new Map<string, CompiledTemplate[]>();
  /** Templates whose literal prefix is shorter than KEY: tried when the message starts with it. */
  const short: CompiledTemplate[] = [];
  const lifecycle = new Set<string>();
  for (const g of grammars) {
    for (const l of g.loggers) if (!CLUSTER_LOGGER_RE.test(l)) lifecycle.add(simpleName(l));
    for (const t of g.templates) {
      if (t.prefix.length >= KEY) {
        const k = t.prefix.slice(0, KEY);
        const list = byKey.get(k);
        if (list) list.push(t);
        else byKey.set(k, [t]);
      } else {
        short.push(t);
      }
    }
  }

  const bySpecificity = (a: CompiledTemplate, b: CompiledTemplate): number => b.specificity - a.specificity;
  for (const list of byKey.values()) list.sort(bySpecificity);
  short.sort(bySpecificity);
  /** The distinct literal prefixes of each key's templates (Tomcat versions and families share most). */
  const prefixesByKey = new Map([...byKey].map(([k, list]) => [k, [...new Set(list.map((t) => t.prefix))]]));

  const none: CompiledTemplate[] = [];
  function candidates(msg: string): CompiledTemplate[] {
    const keyed = byKey.get(keyOf(msg)) ?? none;
    let extra: CompiledTemplate[] | undefined;
    for (const t of short) if (msg.startsWith(t.prefix)) (extra ??= []).push(t);
    return extra === undefined ? keyed : [...keyed, ...extra];
  }

  /** matchFirst's results by message: null where no template matched. */
  const memo = new Map<string, TemplateMatch | null>();

  /**
   * matchFirst, remembered: its result depends on the message alone. `whole`: `msg` is its record's
   * whole message (one line), so keeping it keeps nothing more than its line.
   */
  function matchFirstMemo(msg: string, whole: boolean): TemplateMatch | undefined {
    if (msg.length > MEMO_MAX_LENGTH) return matchFirst(msg);
    const known = memo.get(msg);
    if (known !== undefined) return known ?? undefined;
    // Otherwise matched on a copy of its own: `msg` is then a slice of the whole message (a stack
    // trace after it), which V8 would keep alive with the key and with the fields cut from it. A
    // slice of a concatenation is cut from a new flat string: the copy.
    const key = whole ? msg : `${msg} `.slice(0, -1);
    const hit = matchFirst(key);
    if (memo.size >= MEMO_ENTRIES) memo.clear();
    memo.set(key, hit ?? null);
    return hit;
  }

  function matchFirst(msg: string): TemplateMatch | undefined {
    if (msg.length > MAX_MESSAGE) return undefined;
    const list = candidates(msg);
    // `none` is an array of another elements kind: iterated, it deoptimised this and `recognise`.
    if (list === none) return undefined;
    for (const t of list) {
      if (!msg.includes(t.needle)) continue; // cheaper than the template's regexes
      const fields = matchTemplate(t, msg);
      if (fields) return { template: t, fields };
    }
    return undefined;
  }

  function matchAll(message: string): TemplateMatch[] {
    const msg = firstLine(message);
    const out: TemplateMatch[] = [];
    if (msg.length > MAX_MESSAGE) return out;
    for (const t of candidates(msg)) {
      const fields = matchTemplate(t, msg);
      if (fields) out.push({ template: t, fields });
    }
    return out;
  }

  function recognise(rec: LogRecord, node: string): ClusterEvent | undefined {
    const logger = rec.logger;
    let cluster = false;
    if (logger !== undefined && logger !== '') {
      cluster = CLUSTER_LOGGER_RE.test(logger);
      if (!cluster && !lifecycle.has(simpleName(logger))) return undefined;
    }
    const first = firstLine(rec.message);
    const hit = matchFirstMemo(first, first.length === rec.message.length);
    if (!hit && !cluster) return undefined;
    const ev: ClusterEvent = {
      type: hit ? hit.template.type : 'cluster-other',
      node,
      file: rec.file,
      line: rec.line,
      message: rec.message,
    };
    if (rec.timeMs !== undefined) {
      ev.time = isoWithOffset(rec.timeMs, rec.tzOffsetMin ?? 0);
      ev.timeMs = rec.timeMs;
    }
    const level = rec.level ?? hit?.template.level;
    if (level) ev.level = level;
    if (logger) ev.logger = logger;
    if (rec.thread !== undefined) ev.thread = rec.thread;
    if (hit) {
      ev.grammar = hit.template.id;
      // A remembered match's fields serve every event with its message: an object among them (a
      // member) is copied, so that no two events share one.
      const fields = hit.fields;
      for (const k in fields) {
        const v = fields[k];
        ev[k] = typeof v !== 'object' || v === null ? v : Array.isArray(v) ? [...v] : { ...v };
      }
    }
    return ev;
  }

  function mayMatch(text: string, complete: boolean): boolean {
    let msg = complete ? firstLine(text) : trimStartSpaces(text);
    // A head cut inside a character decodes to U+FFFD there: compare only what came whole.
    if (!complete) while (msg.endsWith('\ufffd')) msg = msg.slice(0, -1);
    const key = keyOf(msg);
    if (!complete && key.length < KEY) return true; // the head may be too short to tell
    const prefixes = prefixesByKey.get(key);
    // The whole literal prefix, not only its key: "Server built:" is no "Server version name:".
    if (prefixes) for (const prefix of prefixes) if (prefixFits(msg, prefix, complete)) return true;
    for (const t of short) if (msg.startsWith(t.prefix)) return true;
    return false;
  }

  const prefixes = [...new Set(grammars.flatMap((g) => g.templates.map((t) => t.prefix)))];
  return { recognise, isClusterLogger, mayMatch, matchAll, prefixes };
}

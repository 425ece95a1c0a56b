// Event grammars: Tomcat's own message templates, with named and typed arguments, compiled into
// anchored regexes (DESIGN.md "Grammars"). Pure: the caller reads the file and parses the JSON.
//
//   "member-added": { "fields": { "member": "member" },
//                     "templates": [ { "template": "Replication member added:[{member}]", "family": "C" } ] }
//
// Template syntax, as in LocalStrings.properties but with names: `{name}` (typed by `fields`) or
// `{name:type}`; `''` is one `'` (a lone `'` is kept, as Tomcat 6/7 hard-coded strings print it);
// a run of white space matches any run of spaces, tabs, U+00A0 or U+202F. An argument used twice
// (the French sessionReceived bug) must repeat the same text.
//
// A template is matched in three parts: the literal text before its first argument (`head`) from the
// start of the message and the literal text after its last argument (`tail`) from the end, both by a
// plain character walk, then the anchored regex of the arguments and the literal text between them
// (`regex`) on what is left. Every such regex must stay linear on attacker-controlled lines
// (test/core/regex-safety.test.ts proves it with recheck for every bundled template): no two repeats
// may be able to share characters, so a space next to a free-text or date argument is exactly one
// character (the argument gives up white space it took at that edge), and the last argument, when it
// is free text, takes everything left (it cannot fail, so nothing before it is retried). Keeping the
// literal head and tail out of the regex also keeps recheck's automaton small (its cost grows with
// the pattern length, roughly cubed).

import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { LensError } from './errors.js';
import { parseMember } from './member-parser.js';
import { LEVELS, type Level } from './types.js';

export const ARG_TYPES = ['member', 'int', 'grouped-int', 'date', 'text', 'word', 'address'] as const;
export type ArgType = (typeof ARG_TYPES)[number];

export interface TemplateArg {
  name: string;
  type: ArgType;
  /** Its capture: the index among all the template's capture groups, in order (steps capture in turn). */
  group: number;
  /** Text or date argument next to a single-character space: white space it took at that edge is not kept. */
  trimStart?: boolean;
  trimEnd?: boolean;
  /** Groups of the later uses of an argument used twice: the match only counts when they hold the same text. */
  repeats?: Array<{ group: number; trimStart?: boolean; trimEnd?: boolean }>;
}

/**
 * One step of reading a message: literal text (strings, and `' '` for a run of white space), or a
 * regex anchored where the previous step ended. The `end` regex (the core) must take everything up
 * to where the template's tail starts.
 */
export type TemplateStep = { literal: string[]; regex?: undefined } | { regex: RegExp; end: boolean; literal?: undefined };

export interface CompiledTemplate {
  /** Grammar name (its key in the file). */
  grammar: string;
  file: string;
  /** `<file stem>#<event type>`, carried by the events it recognises. */
  id: string;
  type: string;
  template: string;
  /** JSON pointer of the template text. */
  pointer: string;
  family?: string;
  locale?: string;
  level?: Level;
  logger?: string;
  key?: string;
  /** How the message is read from its start, up to the tail. */
  steps: TemplateStep[];
  /** Literal text after the last argument: strings, and `' '` for a white space run. */
  tail: string[];
  /** Every regex of `steps`, the ones run on log text. */
  regexes: RegExp[];
  args: TemplateArg[];
  constants: Record<string, unknown>;
  /** The literal text before the first argument, white space runs folded to one space. */
  prefix: string;
  /**
   * Literal characters in the template. Where two templates of an event both match (the Tomcat 8.5.0
   * `manager {0}` and the 8.5.15+ `manager [{0}]`), the more specific one is tried first.
   */
  specificity: number;
  /**
   * The template's longest literal piece ('' when it has none): a message without it cannot match
   * (literals hold no white space and are compared exactly), so the recogniser skips the template.
   */
  needle: string;
}

export interface EventSample {
  line: string;
  logger?: string;
  description?: string;
  expect: { type: string; [field: string]: unknown };
  /** JSON pointer of the sample. */
  pointer: string;
}

export interface CompiledEventGrammar {
  name: string;
  file: string;
  /** File name without directory and `.json`: `state-transfer.fr`. */
  stem: string;
  title: string;
  description?: string;
  /** Loggers named by the grammar (`loggers` and each template's `logger`). */
  loggers: string[];
  templates: CompiledTemplate[];
  samples: EventSample[];
}

const LEVEL_ENUM = [...LEVELS];

/** JSON Schema (draft-07, ajv 8) of an event grammar file; also written to grammars/schema/events.schema.json. */
export const EVENT_GRAMMAR_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://catalina-lens.invalid/schema/events.schema.json',
  title: 'catalina-lens event grammar',
  description:
    'Maps Tomcat cluster message templates to typed events. One object per grammar, keyed by a ^\\w+$ name.',
  type: 'object',
  properties: { $schema: { type: 'string' } },
  patternProperties: { '^\\w+$': { $ref: '#/definitions/grammar' } },
  additionalProperties: false,
  minProperties: 2,
  definitions: {
    grammar: {
      type: 'object',
      required: ['title', 'events', 'samples'],
      additionalProperties: false,
      properties: {
        title: { type: 'string', minLength: 1 },
        description: { type: 'string' },
        loggers: {
          description: 'Loggers (source classes) whose records these templates come from; simple class names are matched.',
          type: 'array',
          items: { type: 'string', minLength: 1 },
        },
        events: {
          type: 'object',
          minProperties: 1,
          propertyNames: { pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' },
          additionalProperties: { $ref: '#/definitions/event' },
        },
        samples: { type: 'array', items: { $ref: '#/definitions/sample' } },
      },
    },
    event: {
      type: 'object',
      required: ['templates'],
      additionalProperties: false,
      properties: {
        description: { type: 'string' },
        fields: {
          description: 'Type of each named template argument.',
          type: 'object',
          propertyNames: { pattern: '^[A-Za-z_]\\w*$' },
          additionalProperties: { enum: [...ARG_TYPES] },
        },
        constants: {
          description: 'Fields every event of this type carries (e.g. a verdict).',
          type: 'object',
          propertyNames: { pattern: '^[A-Za-z_]\\w*$' },
          additionalProperties: { type: ['string', 'number', 'boolean'] },
        },
        templates: { type: 'array', minItems: 1, items: { $ref: '#/definitions/template' } },
      },
    },
    template: {
      type: 'object',
      required: ['template'],
      additionalProperties: false,
      properties: {
        template: { type: 'string', minLength: 1 },
        family: { description: 'Tomcat version family: A, A′, B, C (tomcat-messages.md §1), or a list like "A,B".', type: 'string' },
        locale: { description: 'Message locale: en, fr, ja, ko, zh_CN, es ...', type: 'string', pattern: '^[a-z]{2}(_[A-Z]{2})?$' },
        level: { enum: LEVEL_ENUM },
        logger: { type: 'string' },
        key: { description: 'LocalStrings key, or HC for a hard-coded string.', type: 'string' },
        versions: { description: 'Tomcat versions that log this text.', type: 'string' },
        constants: {
          description: 'Fields added by this template only, over the event constants (e.g. verdict: alive).',
          type: 'object',
          propertyNames: { pattern: '^[A-Za-z_]\\w*$' },
          additionalProperties: { type: ['string', 'number', 'boolean'] },
        },
        description: { type: 'string' },
      },
    },
    sample: {
      type: 'object',
      required: ['line', 'expect'],
      additionalProperties: false,
      properties: {
        line: { description: 'A real log line, or the message text alone.', type: 'string', minLength: 1 },
        logger: { type: 'string' },
        description: { type: 'string' },
        expect: {
          type: 'object',
          required: ['type'],
          properties: { type: { type: 'string' } },
        },
      },
    },
  },
} as const;

let bodyValidator: ValidateFunction | undefined;

function validateBody(body: unknown): ErrorObject | undefined {
  if (!bodyValidator) {
    const { definitions } = EVENT_GRAMMAR_SCHEMA;
    // Loaded on first use: ajv costs ~100 ms of start-up, and the bundled grammars skip it.
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    bodyValidator = new Ajv({ allErrors: false, strict: false }).compile({ definitions, $ref: '#/definitions/grammar' });
  }
  return bodyValidator(body) ? undefined : (bodyValidator.errors?.[0] ?? undefined);
}

/** Escapes one JSON pointer token. */
export function pointerToken(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** Common event fields (DESIGN.md "Events") that a template argument or constant may not overwrite. */
export const RESERVED = new Set(['type', 'node', 'time', 'timeMs', 'level', 'logger', 'thread', 'file', 'line', 'message', 'grammar']);

const WS = '[ \\t\\u00A0\\u202F]';

const MEMBER_SRC = String.raw`(?:[\w$.]+\[tcp://[^\[\]\n]*\]|tcp://(?:\{[-\d, ]*\}|[^\s\[\]{},;]+):\d+)`;
const ADDRESS_SRC = String.raw`[^\s/\[\]]*/(?:\[[0-9A-Fa-f:.%\w]+\]|[0-9A-Fa-f:.%\w]+?):\d+`;

/**
 * Regex source of an argument, given the literal character that follows it in the template
 * (undefined at the end) and whether it ends the regex (the tail, if any, is matched apart). A free-text
 * or date argument that ends the regex takes every character left (`[\s\S]`: messages are one
 * line, matchTemplate refuses a line break), so the `$` after it never fails and nothing before it is
 * retried; before a `]` it still may not hold a bare `]`.
 */
function argSource(type: ArgType, next: string | undefined, atEnd: boolean): string {
  switch (type) {
    case 'member':
      return MEMBER_SRC;
    case 'int':
      return '-?\\d+';
    case 'grouped-int':
      return "-?\\d+(?:[,.\\u00A0\\u202F ']\\d{3})*";
    case 'address':
      return ADDRESS_SRC;
    case 'word':
      return next === ']' ? '[^\\s\\]]+' : '\\S+';
    case 'date':
      if (next === ']') return '[^\\[\\]\\n]+';
      return atEnd ? '[\\s\\S]+' : '[^\\n]+?';
    case 'text':
      // Before a `]`, allow one level of nested brackets (`StandardManager[/examples]`) but never a
      // bare `]`: linear, where a lazy `.*?` would backtrack polynomially on crafted lines.
      if (next === ']') return String.raw`(?:[^\[\]\n]|\[[^\[\]\n]*\])*`;
      return atEnd ? '[\\s\\S]*' : '[^\\n]*?';
  }
}

/**
 * Whether an argument of this type, matched on its own (greedy), can end only where the template's
 * next piece (and the one after that, when it is a space) can follow: then it is read by its own
 * regex, and no backtracking across it could have found another way.
 *
 * - text and date before `]` stop at the first bare `]`; a word at the first `]` or white space; an
 *   integer at the first character that is no digit (or no group of a grouped integer);
 * - a member (`tcp://host:port`, `Name[tcp://...]`) holds no white space outside `{...}`: two ways
 *   to end it differ by characters that are no `]` and no white space and end in a port digit, so
 *   before `]`, white space, or a literal without digits that white space follows, only the longest
 *   one, the greedy one, fits;
 * - not an address: its host is lazy, the first way found is the shortest.
 */
function fixedEnd(type: string | undefined, next: Piece | undefined, after: Piece | undefined): boolean {
  if (next === undefined) return false;
  const c = next.space ? ' ' : next.literal![0];
  switch (type) {
    case 'text':
    case 'date':
      return c === ']';
    case 'member':
      return c === ']' || c === ' ' || (!/\d/.test(next.literal!) && after?.space === true);
    case 'word':
      return c === ']' || c === ' ';
    case 'int':
      return !/\d/.test(c);
    case 'grouped-int':
      return next.space ? !/^\d/.test(after?.literal ?? '') : !/[\d,.'\u00A0\u202F]/.test(c);
    default:
      return false;
  }
}

interface Piece {
  literal?: string;
  arg?: { name: string; type?: string };
  space?: true;
}

function parseTemplate(text: string, fail: (reason: string) => never): Piece[] {
  // Literal text is taken in slices between the special characters: ~450 templates at every start.
  const pieces: Piece[] = [];
  let lit = '';
  let from = 0;
  const flush = (to: number): void => {
    lit += text.slice(from, to);
    if (lit) pieces.push({ literal: lit });
    lit = '';
  };
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === 0x27 /* ' */ && text.charCodeAt(i + 1) === 0x27) {
      lit += text.slice(from, i + 1);
      i += 2;
      from = i;
    } else if (c === 0x7b /* { */) {
      const m = /^\{([^{}:]*)(?::([^{}]*))?\}/.exec(text.slice(i));
      if (!m) fail(`unbalanced "{" at character ${i + 1}`);
      if (!/^[A-Za-z_]\w*$/.test(m[1])) {
        fail(`argument {${m[1]}} must be named, e.g. {member} or {durationMs:grouped-int}`);
      }
      flush(i);
      pieces.push({ arg: { name: m[1], type: m[2] } });
      i += m[0].length;
      from = i;
    } else if (isSpace(c)) {
      flush(i);
      while (i < text.length && isSpace(text.charCodeAt(i))) i++;
      pieces.push({ space: true });
      from = i;
    } else i++;
  }
  flush(text.length);
  return pieces;
}

function isArgType(s: string): s is ArgType {
  return (ARG_TYPES as readonly string[]).includes(s);
}

function fileStem(file: string): string {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  return base.replace(/\.json$/i, '');
}

interface RawTemplate {
  template: string;
  family?: string;
  locale?: string;
  level?: Level;
  logger?: string;
  key?: string;
  constants?: Record<string, unknown>;
}
interface RawEvent {
  fields?: Record<string, ArgType>;
  constants?: Record<string, unknown>;
  templates: RawTemplate[];
}
interface RawGrammar {
  title: string;
  description?: string;
  loggers?: string[];
  events: Record<string, RawEvent>;
  samples: Array<{ line: string; logger?: string; description?: string; expect: { type: string } }>;
}

/**
 * Compiles one grammar: `name` is its key in the file, `json` its body, `file` the path (for errors and
 * the event's `grammar` id `<file stem>#<type>`). Throws LensError (`GRAMMAR_SCHEMA`,
 * `GRAMMAR_INVALID_REGEX`, `GRAMMAR_DUPLICATE`) with the file and the JSON pointer.
 *
 * `lazy`: each template's regexes are built the first time it is matched, not here (most templates
 * of a run never are: other locales, other Tomcat families). Only for grammars known to compile (the
 * bundled ones, which the tests compile whole): a bad template would fail at its first match
 * instead of at load.
 */
export function compileEventGrammar(
  name: string,
  json: unknown,
  file: string,
  opts: { validate?: boolean; lazy?: boolean } = {},
): CompiledEventGrammar {
  const base = `/${pointerToken(name)}`;
  // `validate: false`: a grammar already checked against the schema (the bundled ones, by the tests).
  const err = opts.validate === false ? undefined : validateBody(json);
  if (err) {
    const extra = err.params && 'additionalProperty' in err.params ? ` (${String(err.params.additionalProperty)})` : '';
    const allowed = err.params && 'allowedValues' in err.params ? `: one of ${JSON.stringify(err.params.allowedValues)}` : '';
    throw new LensError('GRAMMAR_SCHEMA', `event grammar ${name} does not match its schema`, {
      file,
      pointer: base + err.instancePath,
      reason: `${err.instancePath || '/'} ${err.message ?? 'is invalid'}${extra}${allowed}`,
      help: 'see grammars/schema/events.schema.json for the allowed properties',
    });
  }
  const g = json as RawGrammar;
  const stem = fileStem(file);
  const templates: CompiledTemplate[] = [];
  const loggers = new Set(g.loggers ?? []);
  for (const [type, ev] of Object.entries(g.events)) {
    const seen = new Set<string>();
    ev.templates.forEach((t, i) => {
      const pointer = `${base}/events/${pointerToken(type)}/templates/${i}/template`;
      if (seen.has(t.template)) {
        throw new LensError('GRAMMAR_DUPLICATE', `event grammar ${name}: template listed twice for ${type}`, {
          file,
          pointer,
          reason: JSON.stringify(t.template),
        });
      }
      seen.add(t.template);
      if (t.logger) loggers.add(t.logger);
      templates.push(compileTemplate({ grammar: name, file, stem, type, raw: t, ev, pointer }, opts.lazy === true));
    });
  }
  return { name, file, stem, title: g.title, description: g.description, loggers: [...loggers], templates, samples: eventSamplesOf(name, g) };
}

/**
 * What a grammar pack (io/grammar-pack.ts) keeps of a compiled event grammar: each template's index
 * fields, and of each event type what its templates' matchers are built from. No samples: they are
 * read from the grammar file when asked for.
 */
export interface PackedEventGrammar {
  name: string;
  title: string;
  description?: string;
  loggers: string[];
  fields: Record<string, Record<string, ArgType> | undefined>;
  templates: Array<Omit<TemplateIndex, 'grammar' | 'file' | 'id'>>;
}

/** The packed form of `g`, compiled from `json` (its body as written). */
export function packEventGrammar(g: CompiledEventGrammar, json: unknown): PackedEventGrammar {
  const events = (json as RawGrammar).events;
  return {
    name: g.name,
    title: g.title,
    ...(g.description !== undefined ? { description: g.description } : {}),
    loggers: g.loggers,
    fields: Object.fromEntries(Object.entries(events).map(([type, ev]) => [type, ev.fields])),
    templates: g.templates.map((t) => {
      const { type, template, pointer, family, locale, level, logger, key, constants, prefix, specificity, needle } = t;
      return { type, template, pointer, family, locale, level, logger, key, constants, prefix, specificity, needle };
    }),
  };
}

/**
 * A compiled event grammar from its packed form, as compileEventGrammar(lazy) gives it: each
 * template's matcher is built from its text on first match, and `samples` are asked of
 * `readSamples` on first access (they are the largest part of a grammar, and rarely wanted).
 */
export function unpackEventGrammar(p: PackedEventGrammar, file: string, readSamples: () => EventSample[]): CompiledEventGrammar {
  const stem = fileStem(file);
  const templates = p.templates.map((t) => {
    // Every field in compileTemplate's order, absent ones too: one shape for all templates.
    const index: TemplateIndex = {
      grammar: p.name,
      file,
      id: `${stem}#${t.type}`,
      type: t.type,
      template: t.template,
      pointer: t.pointer,
      family: t.family,
      locale: t.locale,
      level: t.level,
      logger: t.logger,
      key: t.key,
      constants: t.constants,
      prefix: t.prefix,
      specificity: t.specificity,
      needle: t.needle,
    };
    return new Template(index, () => {
      const fail = templateFail(p.name, t.type, file, t.pointer);
      return buildMatcher(parseTemplate(t.template, fail), { fields: p.fields[t.type], templates: [] }, fail);
    });
  });
  let samples: EventSample[] | undefined;
  return {
    name: p.name,
    file,
    stem,
    title: p.title,
    description: p.description,
    loggers: p.loggers,
    templates,
    get samples(): EventSample[] {
      return (samples ??= readSamples());
    },
  };
}

/** The samples of grammar `name` whose body (as written) is `json`, each with its JSON pointer. */
export function eventSamplesOf(name: string, json: unknown): EventSample[] {
  return (json as RawGrammar).samples.map((s, i) => ({ ...s, pointer: `/${pointerToken(name)}/samples/${i}` }));
}

interface TemplateSource {
  grammar: string;
  file: string;
  stem: string;
  type: string;
  raw: RawTemplate;
  ev: RawEvent;
  pointer: string;
}

/** The parts of a compiled template that cost regex building: made by buildMatcher, at load or at first use. */
type TemplateMatcher = Pick<CompiledTemplate, 'steps' | 'tail' | 'regexes' | 'args'>;
type TemplateIndex = Omit<CompiledTemplate, keyof TemplateMatcher>;

let matchersBuilt = 0;

/** How many templates have had their regexes built in this thread (start-up checks and tests). */
export function templateMatchersBuilt(): number {
  return matchersBuilt;
}

// Declaration merging: a Template has every index field of CompiledTemplate (assigned in its constructor).
interface Template extends TemplateIndex {}

/**
 * A compiled template whose matcher (steps, tail, regexes, args) is built on first access. A class,
 * so that every template has one shape and the getters stay cheap on the match path.
 */
class Template implements CompiledTemplate {
  #matcher: TemplateMatcher | undefined;
  readonly #build: () => TemplateMatcher;

  constructor(index: TemplateIndex, build: () => TemplateMatcher) {
    Object.assign(this, index);
    this.#build = build;
  }

  private get matcher(): TemplateMatcher {
    return (this.#matcher ??= this.#build());
  }
  get steps(): TemplateStep[] {
    return this.matcher.steps;
  }
  get tail(): string[] {
    return this.matcher.tail;
  }
  get regexes(): RegExp[] {
    return this.matcher.regexes;
  }
  get args(): TemplateArg[] {
    return this.matcher.args;
  }
}

type Fail = (reason: string, code?: 'GRAMMAR_SCHEMA' | 'GRAMMAR_INVALID_REGEX') => never;

/** How a template's problem is thrown: the grammar, event type, file and pointer named. */
function templateFail(grammar: string, type: string, file: string, pointer: string): Fail {
  return (reason, code = 'GRAMMAR_SCHEMA') => {
    throw new LensError(code, `event grammar ${grammar}: bad template for ${type}`, {
      file,
      pointer,
      reason,
      help: `argument types: ${ARG_TYPES.join(', ')}; declare them in "fields" or write {name:type}`,
    });
  };
}

function compileTemplate(o: TemplateSource, lazy: boolean): CompiledTemplate {
  const { raw, ev, pointer, file } = o;
  const fail = templateFail(o.grammar, o.type, file, pointer);
  const pieces = parseTemplate(raw.template, fail);
  for (const c of [...Object.keys(ev.constants ?? {}), ...Object.keys(raw.constants ?? {})]) {
    if (RESERVED.has(c)) fail(`constant ${c} uses a reserved event field name`);
  }
  const firstArg = pieces.findIndex((q) => q.arg !== undefined);
  const head = firstArg < 0 ? pieces : pieces.slice(0, firstArg);
  const template = new Template(
    {
      grammar: o.grammar,
      file,
      id: `${o.stem}#${o.type}`,
      type: o.type,
      template: raw.template,
      pointer,
      family: raw.family,
      locale: raw.locale,
      level: raw.level,
      logger: raw.logger,
      key: raw.key,
      constants: { ...(ev.constants ?? {}), ...(raw.constants ?? {}) },
      // A white-space run is one space piece, and literals hold none: the prefix has its runs folded.
      prefix: head.map((q) => (q.space ? ' ' : (q.literal ?? ''))).join(''),
      specificity: pieces.reduce((n, q) => n + (q.literal !== undefined ? q.literal.length : q.space ? 1 : 0), 0),
      needle: pieces.reduce((best, q) => (q.literal !== undefined && q.literal.length > best.length ? q.literal : best), ''),
    },
    () => buildMatcher(pieces, ev, fail),
  );
  // Eager: a bad argument (no type, unknown type, two arguments in a row) or regex fails at load.
  if (!lazy) void template.steps;
  return template;
}

/** The steps, tail and argument groups of a parsed template (see the file comment for the parts). */
function buildMatcher(pieces: Piece[], ev: RawEvent, fail: Fail): TemplateMatcher {
  matchersBuilt++;
  const args: TemplateArg[] = [];
  const groups = new Map<string, TemplateArg>();
  const argType = (q: Piece | undefined): string | undefined => (q?.arg ? (q.arg.type ?? ev.fields?.[q.arg.name]) : undefined);
  // Free text and dates may hold white space: they give up what they took next to a space.
  const free = (q: Piece | undefined): boolean => argType(q) === 'text' || argType(q) === 'date';
  const argAt = pieces.flatMap((q, i) => (q.arg ? [i] : []));
  const lastArg = argAt.length > 0 ? argAt[argAt.length - 1] : -1;
  // Arguments matched one by one, each by its own small regex: those whose end is fixed by the
  // character after them. From the first other one to the last argument, one regex (the core).
  const coreStart = argAt.find((i) => i === lastArg || !fixedEnd(argType(pieces[i]), pieces[i + 1], pieces[i + 2])) ?? -1;
  const steps: TemplateStep[] = [];
  let walk: string[] = [];
  let src = '';
  let groupNo = 0;
  const addRegex = (source: string, end: boolean): void => {
    try {
      steps.push({ regex: new RegExp(source, 'u'), end });
    } catch (e) {
      fail(`compiled regex is invalid: ${e instanceof Error ? e.message : String(e)}`, 'GRAMMAR_INVALID_REGEX');
    }
  };
  pieces.forEach((p, i) => {
    const inCore = coreStart >= 0 && i >= coreStart && i <= lastArg;
    if (p.literal !== undefined) {
      if (inCore) src += escapeRegex(p.literal);
      else walk.push(p.literal);
    } else if (p.space) {
      // Next to free text or a date, exactly one character: a run could share characters with the
      // argument (polynomial backtracking on a line of spaces); the argument takes any further white
      // space and gives it up (trimStart/trimEnd). Elsewhere a run, as in the head and tail.
      if (inCore) src += free(pieces[i - 1]) || free(pieces[i + 1]) ? WS : `${WS}+`;
      else walk.push(' ');
    } else if (p.arg) {
      const { name } = p.arg;
      const declared = ev.fields?.[name];
      const typeName = p.arg.type ?? declared;
      if (typeName === undefined) fail(`argument {${name}} has no type`);
      if (!isArgType(typeName)) fail(`argument {${name}} has unknown type ${JSON.stringify(typeName)}`);
      if (p.arg.type && declared && p.arg.type !== declared) {
        fail(`argument {${name}} is typed ${p.arg.type} here but ${declared} in fields`);
      }
      if (RESERVED.has(name)) fail(`argument {${name}} uses a reserved event field name`);
      const nextPiece = pieces[i + 1];
      if (nextPiece?.arg) fail(`arguments {${name}} and {${nextPiece.arg.name}} need literal text between them`);
      const next = nextPiece === undefined ? undefined : nextPiece.space ? ' ' : nextPiece.literal![0];
      if (walk.length > 0) steps.push({ literal: walk });
      walk = [];
      // Literal white space outside the core is a whole run, matched greedily: only spaces inside it trim.
      const edges = free(p) && inCore ? { trimStart: i > coreStart && pieces[i - 1].space, trimEnd: i < lastArg && nextPiece?.space } : {};
      const group = groupNo++;
      const prev = groups.get(name);
      // A later use of the same argument is its own group, compared in matchTemplate (a backreference
      // would take the regex out of the class recheck can prove linear).
      if (prev) (prev.repeats ??= []).push({ group, ...edges });
      else {
        const arg: TemplateArg = { name, type: typeName, group, ...edges };
        args.push(arg);
        groups.set(name, arg);
      }
      // A plain group, not a named one: a named group costs a `groups` object per match.
      const argSrc = `(${argSource(typeName, next, i === lastArg)})`;
      if (!inCore) addRegex(`^${argSrc}`, false);
      else {
        src += argSrc;
        if (i === lastArg) addRegex(`^${src}$`, true);
      }
    }
  });
  // After the core, the literal tail is matched from the end of the message (see matchTemplate).
  const tail = lastArg >= 0 ? walk : [];
  if (lastArg < 0 && walk.length > 0) steps.push({ literal: walk });
  return { steps, tail, regexes: steps.flatMap((x) => (x.regex ? [x.regex] : [])), args };
}

/**
 * The message without trailing white space (templates are matched up to their last character). A
 * loop, not `/\s+$/`: that regex retries every start of a long run of spaces that is not at the end
 * (quadratic on a crafted line).
 */
export function trimEnd(message: string): string {
  let j = message.length;
  while (j > 0 && (isSpace(message.charCodeAt(j - 1)) || message.charCodeAt(j - 1) === 0x0d)) j--;
  return j === message.length ? message : message.slice(0, j);
}

function toInt(text: string): number {
  return Number(text.replace(/[^\d-]/g, ''));
}

/**
 * Matches one message (its first line) against one template; returns the typed fields, or
 * undefined when it does not match (including a member argument that does not parse).
 */
export function matchTemplate(t: CompiledTemplate, message: string): Record<string, unknown> | undefined {
  if (message.includes('\n')) return undefined;
  const text = trimEnd(message);
  /** Capture groups of the regex steps, in order (the args' `group` indexes). */
  const caps: Array<string | undefined> = [];
  let pos = 0;
  for (const step of t.steps) {
    if (step.literal) {
      pos = matchHead(step.literal, text, pos);
      if (pos < 0) return undefined;
    } else if (!step.end) {
      const m = step.regex.exec(pos === 0 ? text : text.slice(pos));
      if (!m) return undefined;
      for (let k = 1; k < m.length; k++) caps.push(m[k]);
      pos += m[0].length;
    } else {
      const to = matchTail(t.tail, text, pos);
      if (to < 0) return undefined;
      const m = step.regex.exec(text.slice(pos, to));
      if (!m) return undefined;
      for (let k = 1; k < m.length; k++) caps.push(m[k]);
      pos = text.length;
    }
  }
  if (pos !== text.length) return undefined;
  const out: Record<string, unknown> = { ...t.constants };
  for (const a of t.args) {
    const raw = caps[a.group];
    if (raw === undefined) continue;
    const text = trimmed(raw, a);
    if (a.type === 'date' && text === '') return undefined;
    for (const r of a.repeats ?? []) if (trimmed(caps[r.group] ?? '', r) !== text) return undefined;
    switch (a.type) {
      case 'member': {
        const member = parseMember(text);
        if (!member) return undefined;
        out[a.name] = member;
        break;
      }
      case 'int':
      case 'grouped-int':
        out[a.name] = toInt(text);
        break;
      case 'address': {
        const am = /^([^/]*)\/(.+):(\d+)$/.exec(text);
        if (!am) return undefined;
        out[a.name] = am[2].replace(/^\[|\]$/g, '');
        out.port = Number(am[3]);
        if (am[1]) out.host = am[1];
        break;
      }
      default:
        out[a.name] = text;
    }
  }
  return out;
}

const LEADING_SPACE = /^[ \t\u00A0\u202F]+/;

/** A template's white space: what a space piece of a template (and its literal prefix) takes a run of. */
export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0xa0 || c === 0x202f;
}

/** Where literal text ends when `text` holds it at `i` (a `' '` part takes a whole white space run), else -1. */
function matchHead(head: readonly string[], text: string, i: number): number {
  for (const part of head) {
    if (part === ' ') {
      const start = i;
      while (i < text.length && isSpace(text.charCodeAt(i))) i++;
      if (i === start) return -1;
    } else {
      if (!text.startsWith(part, i)) return -1;
      i += part.length;
    }
  }
  return i;
}

/** Where the literal `tail` starts when `text` ends with it, not before `from`, else -1. */
function matchTail(tail: readonly string[], text: string, from: number): number {
  let j = text.length;
  for (let k = tail.length - 1; k >= 0; k--) {
    const part = tail[k];
    if (part === ' ') {
      const end = j;
      while (j > from && isSpace(text.charCodeAt(j - 1))) j--;
      if (j === end) return -1;
    } else {
      j -= part.length;
      if (j < from || !text.startsWith(part, j)) return -1;
    }
  }
  return j;
}

function trimmed(text: string, edges: { trimStart?: boolean; trimEnd?: boolean }): string {
  if (edges.trimStart) text = text.replace(LEADING_SPACE, '');
  if (edges.trimEnd) text = trimEnd(text);
  return text;
}

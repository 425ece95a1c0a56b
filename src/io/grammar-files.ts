// Loads grammar files: the bundled `grammars/` plus any `--grammar FILE|DIR`. Each user file is
// checked against its JSON Schema, compiled, and its samples run, so a bad grammar fails at load with
// the file, the JSON pointer and the reason.
//
// Start-up: the bundled grammars are only compiled, and their event templates only when first
// matched. Their schema and samples are checked by the test suite and by `catalina-lens grammars
// --test`; checking them again at every start cost ~0.5 s (ajv code generation, every sample through
// every grammar). CATALINA_LENS_CHECK_GRAMMARS=1 restores it. They are read from the build's pack
// (grammar-pack.ts) while it matches the files.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { LensError } from '../core/errors.js';
import { PACKAGE } from '../package-root.js';
import { compileFormatGrammar, type CompiledFormat } from '../core/format-grammar.js';
import { compileEventGrammar, type CompiledEventGrammar } from '../core/event-grammar.js';
import { checkFormatSamples } from '../core/format-samples.js';
import { checkEventSamples } from '../core/event-samples.js';
import { checkRegexSafety, grammarRegexes } from '../core/regex-safety.js';
import { eventSamplesOf, packEventGrammar, unpackEventGrammar } from '../core/event-grammar.js';
import { bundledPackPath, readGrammarPack, writeGrammarPack, type GrammarKind, type PackedFile } from './grammar-pack.js';

export interface Grammars {
  formats: CompiledFormat[];
  events: CompiledEventGrammar[];
  /** Every grammar file read, in load order. */
  files: string[];
}

export const BUNDLED_GRAMMARS = join(PACKAGE.root, 'grammars');

const validators = new Map<GrammarKind, ValidateFunction>();

function validatorFor(kind: GrammarKind): ValidateFunction {
  let v = validators.get(kind);
  if (!v) {
    const schemaFile = join(BUNDLED_GRAMMARS, 'schema', kind === 'format' ? 'format.schema.json' : 'events.schema.json');
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
    delete schema.$schema;
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    v = new Ajv({ allErrors: false, strict: false }).compile(schema);
    validators.set(kind, v);
  }
  return v;
}

let bundled: Grammars | undefined;

/** Synchronous load (grammar files are small); the bundled set is cached. Throws the first problem. */
export function loadGrammarsSync(extraPaths: string[] = []): Grammars {
  if (!bundled) {
    const check = process.env.CATALINA_LENS_CHECK_GRAMMARS === '1';
    const files = listGrammarFiles(BUNDLED_GRAMMARS);
    const packed = check ? undefined : loadPackedGrammars(BUNDLED_GRAMMARS, bundledPackPath(PACKAGE.root), files);
    const set = packed ?? loadFiles(files, !check);
    if (check) checkOrThrow([...checkFormatSamples(set.formats), ...checkEventSamples(set.events)]);
    bundled = set;
  }
  if (extraPaths.length === 0) return bundled;
  const extra = loadFiles(extraPaths.flatMap(listGrammarFiles));
  // User grammars are checked for catastrophic backtracking at load; the bundled ones by the tests.
  checkOrThrow(checkRegexSafety(grammarRegexes(extra.formats, extra.events)));
  const merged = mergeSets(bundled, extra);
  checkOrThrow([...checkFormatSamples(merged.formats), ...checkEventSamples(merged.events)]);
  return merged;
}

/** Loads the bundled grammars and `extraPaths` (files or directories of `.json` grammars). */
export async function loadGrammars(extraPaths: string[] = []): Promise<Grammars> {
  return loadGrammarsSync(extraPaths);
}

export interface GrammarTestResult {
  grammars: Grammars;
  samples: number;
  errors: LensError[];
}

/** Runs every sample of every grammar (bundled and extra) and returns all problems, not just the first. */
export function testGrammars(extraPaths: string[] = [], opts: { checkSafety?: boolean } = {}): GrammarTestResult {
  const base = loadFiles(listGrammarFiles(BUNDLED_GRAMMARS));
  const extra = loadFiles(extraPaths.flatMap(listGrammarFiles));
  const grammars = mergeSets(base, extra);
  const errors = [...checkFormatSamples(grammars.formats), ...checkEventSamples(grammars.events)];
  if (opts.checkSafety) errors.push(...checkRegexSafety(grammarRegexes(grammars.formats, grammars.events)));
  const samples =
    grammars.formats.reduce((n, f) => n + f.samples.length, 0) + grammars.events.reduce((n, g) => n + g.samples.length, 0);
  return { grammars, samples, errors };
}

/** Extra grammars replace bundled ones of the same name; extra formats are tried first. */
function mergeSets(base: Grammars, extra: Grammars): Grammars {
  const formats = [...extra.formats, ...base.formats.filter((f) => !extra.formats.some((e) => e.name === f.name))];
  const events = [...base.events.filter((g) => !extra.events.some((e) => e.name === g.name)), ...extra.events];
  return { formats, events, files: [...base.files, ...extra.files] };
}

function listGrammarFiles(path: string): string[] {
  let info;
  try {
    info = statSync(path);
  } catch {
    throw new LensError('INPUT_NOT_FOUND', `grammar ${path}: no such file or directory`, { file: path });
  }
  if (!info.isDirectory()) return [path];
  const out: string[] = [];
  for (const sub of ['formats', 'events', '.']) {
    const dir = sub === '.' ? path : join(path, sub);
    let names: string[] = [];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
    } catch {
      continue;
    }
    for (const n of names) out.push(join(dir, n));
  }
  return [...new Set(out)];
}

/**
 * `trusted`: the bundled files, already checked against their schemas and compiled whole by the
 * tests: not validated, and their templates compiled lazily.
 */
function loadFiles(files: string[], trusted = false): Grammars {
  const formats: CompiledFormat[] = [];
  const events: CompiledEventGrammar[] = [];
  for (const { file, kind, grammars } of readSources(files, !trusted)) {
    for (const [name, body] of grammars) {
      if (kind === 'format') formats.push(compileFormatGrammar(name, body, file));
      // Trusted templates are built on first match: most are never needed by a run (~20 ms at start).
      else events.push(compileEventGrammar(name, body, file, { validate: !trusted, lazy: trusted }));
    }
  }
  return { formats, events, files };
}

interface GrammarSource {
  file: string;
  /** Absent for other JSON beside the grammars (a JSON Schema). */
  kind?: GrammarKind;
  /** Name and body of each grammar in the file. */
  grammars: Array<[string, unknown]>;
}

/** The grammar files' kinds and grammars; `validate`: each checked against its kind's schema. */
function readSources(files: string[], validate: boolean): GrammarSource[] {
  return files.map((file) => {
    const json = readJson(file);
    const kind = kindOf(file, json);
    if (!kind) return { file, grammars: [] };
    if (validate) {
      const validator = validatorFor(kind);
      if (!validator(json)) throw schemaError(file, validator.errors ?? []);
    }
    return { file, kind, grammars: Object.entries(json as Record<string, unknown>).filter(([name]) => name !== '$schema') };
  });
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new LensError('GRAMMAR_INVALID_JSON', `grammar ${file} is not valid JSON`, {
      file,
      reason: err instanceof Error ? err.message : String(err),
    });
  }
}

/**
 * The grammars of directory `dir` (trusted, as the bundled ones) from the pack `pack` written by
 * packGrammars, or undefined when that pack is missing or no longer matches the directory's files
 * (`files`, its listing). Formats are compiled as from their files; event grammars are as packed.
 */
export function loadPackedGrammars(dir: string, pack: string, files = listGrammarFiles(dir)): Grammars | undefined {
  const packed = readGrammarPack(pack, dir, files);
  return packed && unpack(packed);
}

function unpack(files: PackedFile[]): Grammars {
  const formats: CompiledFormat[] = [];
  const events: CompiledEventGrammar[] = [];
  for (const f of files) {
    for (const { name, body } of f.formats ?? []) formats.push(compileFormatGrammar(name, body, f.path));
    for (const g of f.events ?? []) {
      events.push(unpackEventGrammar(g, f.path, () => eventSamplesOf(g.name, (readJson(f.path) as Record<string, unknown>)[g.name])));
    }
  }
  return { formats, events, files: files.map((f) => f.path) };
}

/** Writes the bundled grammars' pack (see grammar-pack.ts) where loadGrammarsSync looks for it; returns its path. */
export function packBundledGrammars(): string {
  const out = bundledPackPath(PACKAGE.root);
  packGrammars(BUNDLED_GRAMMARS, out);
  return out;
}

/** Writes the pack of grammar directory `dir` to `out`, checking each file against its schema and compiling it whole first. */
export function packGrammars(dir: string, out: string): void {
  const files = readSources(listGrammarFiles(dir), true).map(({ file, kind, grammars }) => {
    if (kind === 'format') return { path: file, kind, formats: grammars.map(([name, body]) => (compileFormatGrammar(name, body, file), { name, body })) };
    if (kind === 'events') return { path: file, kind, events: grammars.map(([name, body]) => packEventGrammar(compileEventGrammar(name, body, file), body)) };
    return { path: file };
  });
  writeGrammarPack(out, dir, files);
}

function kindOf(file: string, json: unknown): GrammarKind | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new LensError('GRAMMAR_SCHEMA', `grammar ${file} must be a JSON object`, { file, pointer: '' });
  }
  const schema = String((json as Record<string, unknown>).$schema ?? '');
  if (/format\.schema\.json$/.test(schema)) return 'format';
  if (/events\.schema\.json$/.test(schema)) return 'events';
  if (/json-schema\.org/.test(schema)) return undefined;
  throw new LensError('GRAMMAR_SCHEMA', `grammar ${basename(file)} does not say which kind of grammar it is`, {
    file,
    pointer: '/$schema',
    reason: `$schema is ${JSON.stringify(schema || undefined)}`,
    help: 'set "$schema" to ".../format.schema.json" for a line format or ".../events.schema.json" for event templates',
  });
}

function schemaError(file: string, errors: ErrorObject[]): LensError {
  const e = errors[0];
  const pointer = e?.instancePath ?? '';
  const extra = e?.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : '';
  return new LensError('GRAMMAR_SCHEMA', `grammar ${basename(file)} does not match its schema`, {
    file,
    pointer,
    reason: `${pointer || '/'} ${e?.message ?? 'is invalid'}${extra}`,
    help: 'see grammars/schema/ for the allowed properties',
  });
}

function checkOrThrow(errors: LensError[]): void {
  if (errors.length > 0) throw errors[0];
}

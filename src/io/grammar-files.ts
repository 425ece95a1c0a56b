// Loads grammar files: the bundled `grammars/` plus any `--grammar FILE|DIR`. Each user file is
// checked against its JSON Schema, compiled, and its samples run, so a bad grammar fails at load with
// the file, the JSON pointer and the reason.
//
// Start-up: the bundled grammars are only compiled, and their event templates only when first
// matched. Their schema and samples are checked by the test suite and by `catalina-lens grammars
// --test`; checking them again at every start cost ~0.5 s (ajv code generation, every sample through
// every grammar). CATALINA_LENS_CHECK_GRAMMARS=1 restores it.

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

export interface Grammars {
  formats: CompiledFormat[];
  events: CompiledEventGrammar[];
  /** Every grammar file read, in load order. */
  files: string[];
}

export const BUNDLED_GRAMMARS = join(PACKAGE.root, 'grammars');

type Kind = 'format' | 'events';
const validators = new Map<Kind, ValidateFunction>();

function validatorFor(kind: Kind): ValidateFunction {
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
    const set = loadFiles(listGrammarFiles(BUNDLED_GRAMMARS), !check);
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
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new LensError('GRAMMAR_INVALID_JSON', `grammar ${file} is not valid JSON`, {
        file,
        reason: err instanceof Error ? err.message : String(err),
      });
    }
    const kind = kindOf(file, json);
    if (!kind) continue; // a JSON Schema file or unrelated JSON beside the grammars
    if (!trusted) {
      const validate = validatorFor(kind);
      if (!validate(json)) throw schemaError(file, validate.errors ?? []);
    }
    for (const [name, body] of Object.entries(json as Record<string, unknown>)) {
      if (name === '$schema') continue;
      if (kind === 'format') formats.push(compileFormatGrammar(name, body, file));
      // Trusted templates are built on first match: most are never needed by a run (~20 ms at start).
      else events.push(compileEventGrammar(name, body, file, { validate: !trusted, lazy: trusted }));
    }
  }
  return { formats, events, files };
}

function kindOf(file: string, json: unknown): Kind | undefined {
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

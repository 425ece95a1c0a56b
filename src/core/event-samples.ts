// lnav-style load checks for event grammars: every grammar has samples; every sample is matched,
// by templates of one event type only, and yields the fields it expects. Errors name file + pointer.

import { LensError } from './errors.js';
import type { CompiledEventGrammar, CompiledTemplate } from './event-grammar.js';
import { createEventRecogniser } from './event-recogniser.js';

type Hit = { template: CompiledTemplate; fields: Record<string, unknown> };

/**
 * The message inside a sample line: the line itself when a template matches it, else the longest
 * suffix starting after a space that does (so a whole OneLineFormatter / SimpleFormatter / logback
 * line can be given verbatim).
 */
function hitsFor(line: string, matchAll: (m: string) => Hit[]): { message: string; hits: Hit[] } {
  const whole = matchAll(line);
  if (whole.length > 0) return { message: line, hits: whole };
  for (let i = 1; i < line.length; i++) {
    if (line[i - 1] !== ' ' || line[i] === ' ') continue;
    const message = line.slice(i);
    const hits = matchAll(message);
    if (hits.length > 0) return { message, hits };
  }
  return { message: line, hits: [] };
}

/** Compares `expected` with `actual`: objects by the expected keys only, `null` meaning absent. */
function partialEqual(expected: unknown, actual: unknown): boolean {
  if (expected === null) return actual === undefined || actual === null;
  if (typeof expected === 'object' && !Array.isArray(expected)) {
    if (typeof actual !== 'object' || actual === null) return false;
    const a = actual as Record<string, unknown>;
    return Object.entries(expected as Record<string, unknown>).every(([k, v]) => partialEqual(v, a[k]));
  }
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && expected.length === actual.length && expected.every((v, i) => partialEqual(v, actual[i]));
  }
  return expected === actual;
}

function fieldMatches(name: string, expected: unknown, actual: unknown): boolean {
  // Shorthand: "member": "tcp://host:port" compares the member's name.
  if (name === 'member' && typeof expected === 'string' && typeof actual === 'object' && actual !== null) {
    return (actual as { name?: unknown }).name === expected;
  }
  return partialEqual(expected, actual);
}

export function checkEventSamples(grammars: CompiledEventGrammar[]): LensError[] {
  const errors: LensError[] = [];
  const { matchAll } = createEventRecogniser(grammars);
  for (const g of grammars) {
    if (g.samples.length === 0) {
      errors.push(
        new LensError('GRAMMAR_NO_SAMPLES', `event grammar ${g.name} has no samples`, {
          file: g.file,
          pointer: `/${g.name}/samples`,
          reason: 'every grammar needs at least one sample line with the event it must yield',
          help: 'add {"line": "<a real log line>", "expect": {"type": "<event type>", ...}} to "samples"',
        }),
      );
      continue;
    }
    for (const s of g.samples) {
      const { hits } = hitsFor(s.line, matchAll);
      if (hits.length === 0) {
        errors.push(
          new LensError('GRAMMAR_SAMPLE_UNMATCHED', `sample of ${g.name} matches no event template`, {
            file: g.file,
            pointer: s.pointer,
            reason: `no template matches ${JSON.stringify(s.line.slice(0, 200))}`,
            help: `expected type ${s.expect.type}; check the template text, its argument types and white space`,
          }),
        );
        continue;
      }
      const types = [...new Set(hits.map((h) => h.template.type))];
      if (types.length > 1) {
        errors.push(
          new LensError('GRAMMAR_SAMPLE_AMBIGUOUS', `sample of ${g.name} is matched by templates of different types`, {
            file: g.file,
            pointer: s.pointer,
            reason: hits.map((h) => `${h.template.file}#${h.template.pointer} (${h.template.type})`).join(', '),
            help: 'templates must match a single type of message; make one of them more specific',
          }),
        );
        continue;
      }
      const hit = hits[0];
      const { type, ...fields } = s.expect;
      const diffs: string[] = [];
      if (hit.template.type !== type) diffs.push(`type is ${hit.template.type}, expected ${type}`);
      for (const [k, v] of Object.entries(fields)) {
        if (!fieldMatches(k, v, hit.fields[k])) {
          diffs.push(`${k} is ${JSON.stringify(hit.fields[k])}, expected ${JSON.stringify(v)}`);
        }
      }
      if (diffs.length > 0) {
        errors.push(
          new LensError('GRAMMAR_SAMPLE_MISMATCH', `sample of ${g.name} does not yield the expected event`, {
            file: g.file,
            pointer: s.pointer,
            reason: `${diffs.join('; ')} (template ${hit.template.pointer} in ${hit.template.file})`,
          }),
        );
      }
    }
  }
  return errors;
}

/** Templates that no sample of any grammar exercises (informational, like lnav's warning). */
export function uncoveredTemplates(grammars: CompiledEventGrammar[]): CompiledTemplate[] {
  const { matchAll } = createEventRecogniser(grammars);
  const covered = new Set<CompiledTemplate>();
  for (const g of grammars) for (const s of g.samples) for (const h of hitsFor(s.line, matchAll).hits) covered.add(h.template);
  return grammars.flatMap((g) => g.templates).filter((t) => !covered.has(t));
}

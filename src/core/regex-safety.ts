// Rejects regexes that can backtrack catastrophically. Log text is attacker-controlled, and a
// pattern that is polynomial or exponential on a crafted 1 MiB line would hang the program.
// The check uses recheck (automaton + fuzz analysis); results are cached per pattern.

import { createRequire } from 'node:module';
import { LensError } from './errors.js';
import type { CompiledEventGrammar } from './event-grammar.js';
import type { CompiledFormat } from './format-grammar.js';

export interface RegexToCheck {
  source: string;
  flags: string;
  file: string;
  /** JSON pointer of the pattern inside its file. */
  pointer: string;
}

const cache = new Map<string, string | undefined>();

/**
 * Time recheck may take over one pattern (wall clock); past it the pattern counts as unsafe. Most
 * bundled regexes are proven in ~50 ms, the slowest (OneLineFormatter's start pattern, the old
 * unbracketed state-transfer templates) in about a second on an idle machine: a pattern that needs
 * more than 5 s is too complex to trust on attacker-controlled lines. The test of the bundled set
 * allows more, as it shares the CPU with the rest of the test run.
 */
export const REGEX_CHECK_TIMEOUT_MS = 5_000;

/**
 * Returns the problem with a pattern (`2nd degree polynomial`, `exponential`, `could not be proven
 * safe (timeout)`), or undefined when recheck proves it safe. Results are cached by flags and source.
 */
export function regexHazard(source: string, flags: string, timeoutMs = REGEX_CHECK_TIMEOUT_MS): string | undefined {
  // Flags that do not change what a pattern matches (global, sticky, indices) are left out.
  const matching = flags.replace(/[gyd]/g, '');
  const key = `${matching}/${source}`;
  if (cache.has(key)) return cache.get(key);
  // Named groups and the flags we use are plain ECMAScript; recheck understands them.
  // Loaded on first use: recheck costs ~200 ms of start-up and is only needed for user grammars.
  const { checkSync } = createRequire(import.meta.url)('recheck') as typeof import('recheck');
  const result = checkSync(source, matching, { timeout: timeoutMs });
  let hazard: string | undefined;
  if (result.status === 'vulnerable') hazard = `${result.complexity.summary} backtracking`;
  else if (result.status === 'unknown') {
    // Not cached: a later call with more time may settle it.
    return `could not be proven safe (${result.error?.kind ?? 'unknown'})`;
  }
  cache.set(key, hazard);
  return hazard;
}

export function checkRegexSafety(regexes: RegexToCheck[], opts: { timeoutMs?: number } = {}): LensError[] {
  const errors: LensError[] = [];
  for (const r of regexes) {
    const hazard = regexHazard(r.source, r.flags, opts.timeoutMs);
    if (hazard) {
      errors.push(
        new LensError('GRAMMAR_UNSAFE_REGEX', `unsafe regular expression in ${r.file}`, {
          file: r.file,
          pointer: r.pointer,
          reason: `/${r.source}/ has ${hazard} on crafted input`,
          help: 'make alternatives and repeats unambiguous, e.g. use [^\\]]* instead of .*? before a literal ]',
        }),
      );
    }
  }
  return errors;
}

/** Every regex a set of grammars runs on log text, with where it is written. */
export function grammarRegexes(formats: readonly CompiledFormat[], events: readonly CompiledEventGrammar[]): RegexToCheck[] {
  const out: RegexToCheck[] = [];
  for (const f of formats) {
    for (const p of f.patterns) {
      out.push({ source: p.regex.source, flags: p.regex.flags, file: f.file, pointer: `${p.pointer}/pattern` });
      if (p.nextLine) out.push({ source: p.nextLine.source, flags: p.nextLine.flags, file: f.file, pointer: `${p.pointer}/next-line` });
    }
    f.trace.forEach((r, i) => out.push({ source: r.source, flags: r.flags, file: f.file, pointer: `/${f.name}/multiline/trace/${i}` }));
    f.continuation.forEach((r, i) =>
      out.push({ source: r.source, flags: r.flags, file: f.file, pointer: `/${f.name}/multiline/continuation/${i}` }),
    );
  }
  for (const g of events) {
    for (const t of g.templates) {
      for (const re of t.regexes) out.push({ source: re.source, flags: re.flags, file: t.file, pointer: t.pointer });
    }
  }
  return out;
}

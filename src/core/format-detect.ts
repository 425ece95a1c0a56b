// Format detection: score the first lines of an input against every format grammar and pick the
// best. A fallback grammar (VerbatimFormatter: it matches anything) is only picked when no other
// grammar matches a single line.

import { matchPattern, type CompiledFormat } from './format-grammar.js';

/** A docker-compose style prefix: `tomcat-node-1    | ` (service name, padding, bar). */
const PREFIX = /^([A-Za-z0-9][\w.-]*) +\| ?/;

/** Splits a foreign prefix off a line: `[serviceName, rest]`, or undefined when the line has none. */
export function splitPrefix(text: string): [string, string] | undefined {
  const m = PREFIX.exec(text);
  return m ? [m[1], text.slice(m[0].length)] : undefined;
}

/**
 * Whether the input's lines carry a consistent foreign prefix: at least 90% of its non-empty lines
 * (and at least one) start with `<service-name> +| `.
 */
export function detectPrefix(texts: readonly string[]): boolean {
  let nonEmpty = 0;
  let prefixed = 0;
  for (const t of texts) {
    if (t === '') continue;
    nonEmpty++;
    if (PREFIX.test(t)) prefixed++;
  }
  return prefixed > 0 && prefixed >= nonEmpty * 0.9;
}

/**
 * How many of `texts` belong to record starts of `format`: one point per start line, two for a
 * start line plus its required second line (JUL SimpleFormatter).
 */
export function scoreFormat(format: CompiledFormat, texts: readonly string[]): number {
  let score = 0;
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i];
    for (const p of format.patterns) {
      if (!matchPattern(p, text)) continue;
      if (p.nextLine) {
        if (i + 1 < texts.length && p.nextLine.test(texts[i + 1])) {
          score += 2;
          i++;
          break;
        }
        continue;
      }
      score++;
      break;
    }
  }
  return score;
}

export interface FormatScore {
  name: string;
  score: number;
}

export interface DetectResult {
  /** The chosen format; undefined when none matched and no fallback was available or allowed. */
  format: CompiledFormat | undefined;
  /** Every non-fallback format's score, best first. */
  scores: FormatScore[];
}

/** Picks the best format for `texts` (already stripped of any foreign prefix). */
export function detectFormat(
  texts: readonly string[],
  formats: readonly CompiledFormat[],
  opts: { allowFallback?: boolean } = {},
): DetectResult {
  let best: CompiledFormat | undefined;
  let bestScore = 0;
  const scores: FormatScore[] = [];
  for (const f of formats) {
    if (f.fallback) continue;
    const score = scoreFormat(f, texts);
    scores.push({ name: f.name, score });
    if (score > bestScore || (score === bestScore && score > 0 && best && f.priority > best.priority)) {
      best = f;
      bestScore = score;
    }
  }
  scores.sort((a, b) => b.score - a.score);
  if (!best && opts.allowFallback !== false) best = formats.find((f) => f.fallback);
  return { format: best, scores };
}

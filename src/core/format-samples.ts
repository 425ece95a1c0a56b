// lnav's load-time checks, applied to format grammars: every grammar has samples, every pattern has
// a sample, each sample's first line is matched by exactly one pattern of its grammar, the sample
// assembles into exactly one record, its timestamp parses, and the fields it expects are the fields
// it yields. Errors name the grammar file and the JSON pointer.

import { LensError } from './errors.js';
import { jsonPointer, matchPattern, type CompiledFormat, type FormatSampleJson } from './format-grammar.js';
import { detectPrefix, splitPrefix } from './format-detect.js';
import { createRecordAssembler } from './record-assembler.js';
import { HeadTable } from './start-heads.js';
import type { Line, LogRecord } from './types.js';

type ExpectKey = keyof NonNullable<FormatSampleJson['expect']>;

/** Runs every check on every grammar; returns the errors found (empty when all is well). */
export function checkFormatSamples(formats: readonly CompiledFormat[]): LensError[] {
  const errors: LensError[] = [];
  const seen = new Map<string, CompiledFormat>();
  for (const f of formats) {
    const prev = seen.get(f.name);
    if (prev) {
      errors.push(
        new LensError('GRAMMAR_DUPLICATE', `two format grammars are named ${f.name}`, {
          file: f.file,
          pointer: jsonPointer(f.name),
          reason: `also defined in ${prev.file}`,
          help: 'rename one of them (a user grammar replaces a bundled one of the same name only when loaded as an override)',
        }),
      );
    }
    seen.set(f.name, f);
    errors.push(...checkOne(f));
  }
  return errors;
}

function checkOne(f: CompiledFormat): LensError[] {
  const errors: LensError[] = [];
  if (f.samples.length === 0) {
    errors.push(
      new LensError('GRAMMAR_NO_SAMPLES', `format grammar ${f.name} has no samples`, {
        file: f.file,
        pointer: jsonPointer(f.name, 'samples'),
        reason: 'every grammar needs at least one real log line as a sample',
        help: 'add {"line": "<a real line>", "expect": {...}} to "samples"',
      }),
    );
    return errors;
  }
  const covered = new Set<string>();
  f.samples.forEach((sample, i) => {
    const at = (...rest: (string | number)[]): string => jsonPointer(f.name, 'samples', i, ...rest);
    // A trailing "\n" is a blank last line (the blank line after a JUL stack trace belongs to the record).
    const texts = sample.line.split('\n');
    const stripped = detectPrefix(texts) ? texts.map((t) => splitPrefix(t)?.[1] ?? t) : texts;
    const first = stripped[0];
    const matched = f.patterns.filter((p) => matchPattern(p, first) && (!p.nextLine || (stripped.length > 1 && p.nextLine.test(stripped[1]))));
    if (matched.length === 0) {
      const notes = f.patterns.map((p) => {
        if (matchPattern(p, first)) return `${p.name}: first line matches, second line does not match nextLine`;
        return `${p.name}: no match`;
      });
      errors.push(
        new LensError('GRAMMAR_SAMPLE_UNMATCHED', `sample ${i} of ${f.name} matches no pattern`, {
          file: f.file,
          pointer: at('line'),
          reason: `${JSON.stringify(first.slice(0, 120))}: ${notes.join('; ')}`,
          help: 'fix the pattern, or the sample if it was not copied verbatim from a real log',
        }),
      );
      return;
    }
    if (matched.length > 1) {
      for (const p of matched) covered.add(p.name);
      errors.push(
        new LensError('GRAMMAR_SAMPLE_AMBIGUOUS', `sample ${i} of ${f.name} is matched by ${matched.length} patterns`, {
          file: f.file,
          pointer: at('line'),
          reason: `matched by ${matched.map((p) => p.name).join(', ')}; regexes must match a single type of log message`,
          help: 'make the patterns mutually exclusive',
        }),
      );
      return;
    }
    const pattern = matched[0];
    covered.add(pattern.name);
    // The byte path skips lines that begin with none of a pattern's heads: each sample must begin with one.
    const bytes = Buffer.from(first);
    if (pattern.heads && !HeadTable.of([pattern.heads])!.mayStart(bytes, 0, bytes.length)) {
      errors.push(
        new LensError('GRAMMAR_SAMPLE_UNMATCHED', `sample ${i} of ${f.name} begins with none of the words its pattern was read to begin with`, {
          file: f.file,
          pointer: at('line'),
          reason: `${JSON.stringify(first.slice(0, 40))} against ${pattern.name}: ${JSON.stringify([...pattern.heads.words, ...pattern.heads.chars].slice(0, 12))}`,
          help: 'a bug in catalina-lens (start-heads.ts), not in the grammar: please report it with this sample',
        }),
      );
    }

    const records: LogRecord[] = [];
    let unparsed = 0;
    const asm = createRecordAssembler(
      { formats: [f], file: f.file, tz: 'UTC', logFormat: f.name },
      { record: (r) => records.push(r), unparsed: () => unparsed++ },
    );
    let offset = 0;
    texts.forEach((text, n) => {
      const line: Line = { text, line: n + 1, offset };
      offset += Buffer.byteLength(text) + 1;
      asm.push(line);
    });
    asm.end();
    if (records.length !== 1 || unparsed !== 0) {
      errors.push(
        new LensError('GRAMMAR_SAMPLE_MISMATCH', `sample ${i} of ${f.name} does not assemble into one record`, {
          file: f.file,
          pointer: at('line'),
          reason: `its ${texts.length} line(s) gave ${records.length} record(s) and ${unparsed} unparsed line(s)`,
          help: 'a sample is one record: its start line plus the lines that attach to it',
        }),
      );
      return;
    }
    const r = records[0];
    const expect = sample.expect ?? {};
    const capturesTime = pattern.groups.has('time') || pattern.json?.time !== undefined;
    if (capturesTime && r.timeMs === undefined && expect.time !== null) {
      errors.push(
        new LensError('GRAMMAR_BAD_TIMESTAMP', `sample ${i} of ${f.name}: the timestamp does not parse`, {
          file: f.file,
          pointer: at('line'),
          reason: `formats tried: ${(f.timestamp?.formats ?? []).map((x) => JSON.stringify(x.format)).join(', ')}`,
          help: 'add a timestamp format (and its month / AM-PM words) that reads this line',
        }),
      );
    }
    const actual: Record<ExpectKey, unknown> = {
      pattern: r.pattern,
      level: r.level,
      levelRaw: r.levelRaw,
      thread: r.thread,
      logger: r.logger,
      method: r.method,
      message: r.message,
      time: r.timeMs === undefined ? null : new Date(r.timeMs).toISOString(),
      lineCount: r.lineCount,
      traceLines: r.trace?.length ?? 0,
      prefix: r.prefix,
    };
    for (const [key, want] of Object.entries(expect) as [ExpectKey, unknown][]) {
      if (!(key in actual)) continue;
      const got = actual[key];
      if (got !== want) {
        errors.push(
          new LensError('GRAMMAR_SAMPLE_MISMATCH', `sample ${i} of ${f.name}: ${key} differs`, {
            file: f.file,
            pointer: at('expect', key),
            reason: `expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`,
            help: 'fix the pattern, the level map or the timestamp formats, or the expectation',
          }),
        );
      }
    }
  });
  for (const p of f.patterns) {
    if (!covered.has(p.name)) {
      errors.push(
        new LensError('GRAMMAR_NO_SAMPLES', `pattern ${p.name} of ${f.name} has no sample`, {
          file: f.file,
          pointer: p.pointer,
          reason: 'no sample is matched by this pattern',
          help: 'add a real line that this pattern (and no other) matches',
        }),
      );
    }
  }
  return errors;
}

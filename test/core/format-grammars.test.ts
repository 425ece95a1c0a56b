// Every bundled format grammar: valid against its JSON Schema, compiles, and passes lnav's sample
// checks. Bad grammars fail with the right code, file and JSON pointer (golden error text).

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { LensError, formatLensError } from '../../src/core/errors.js';
import { compileFormatGrammar, matchInto, matchPattern, type CompiledFormat, type MatchFields } from '../../src/core/format-grammar.js';
import { checkFormatSamples } from '../../src/core/format-samples.js';
import { bundledFormats, formatFiles, ROOT } from './format-test-helpers.js';

const schema = JSON.parse(readFileSync(join(ROOT, 'grammars/schema/format.schema.json'), 'utf8'));
delete schema.$schema;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

const EXPECTED_FORMATS = [
  'debian_rsyslog',
  'debian_systemd',
  'jul_simple',
  'juli_json',
  'juli_oneline',
  'juli_verbatim',
  'logback_embedded',
];

describe('bundled format grammars', () => {
  it('are the expected set', () => {
    expect(bundledFormats().map((f) => f.name).sort()).toEqual(EXPECTED_FORMATS);
  });

  describe.each(formatFiles().map((f) => [basename(f), f]))('%s', (_name, file) => {
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

    it('matches the JSON Schema', () => {
      const ok = validate(json);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    });

    it('points $schema at the format schema and uses ^\\w+$ keys', () => {
      expect(json.$schema).toBe('../schema/format.schema.json');
      for (const k of Object.keys(json)) if (k !== '$schema') expect(k).toMatch(/^\w+$/);
    });

    it('compiles and passes every sample check', () => {
      const formats: CompiledFormat[] = [];
      for (const [name, body] of Object.entries(json)) if (name !== '$schema') formats.push(compileFormatGrammar(name, body, file));
      const errors = checkFormatSamples(formats);
      expect(errors.map(formatLensError)).toEqual([]);
    });
  });

  it('pass the checks together (no duplicate names)', () => {
    expect(checkFormatSamples(bundledFormats()).map(formatLensError)).toEqual([]);
  });

  it('no sample of one grammar is a record start of another non-fallback grammar', () => {
    // Detection relies on the grammars not stealing each other's lines.
    const formats = bundledFormats();
    const clashes: string[] = [];
    for (const f of formats) {
      for (const s of f.samples) {
        const first = s.line.split('\n')[0].replace(/^[A-Za-z0-9][\w.-]* +\| ?/, '');
        for (const g of formats) {
          if (g === f || g.fallback) continue;
          for (const p of g.patterns) {
            if (p.nextLine) continue; // needs its second line as well
            if (matchPattern(p, first)) clashes.push(`${f.name} sample ${JSON.stringify(first.slice(0, 60))} matches ${g.name}/${p.name}`);
          }
        }
      }
    }
    expect(clashes).toEqual([]);
  });

  it('every sample has a description', () => {
    for (const f of bundledFormats()) for (const s of f.samples) expect(s.description, `${f.name}: ${s.line.slice(0, 40)}`).toBeTruthy();
  });
});

const BAD = join(ROOT, 'test/fixtures/bad-grammars');

/** Compile errors throw; sample errors are returned. Either way: the first error. */
function firstError(file: string): LensError {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const formats: CompiledFormat[] = [];
  try {
    for (const [name, body] of Object.entries(json)) if (name !== '$schema') formats.push(compileFormatGrammar(name, body, file));
  } catch (err) {
    if (err instanceof LensError) return err;
    throw err;
  }
  const errors = checkFormatSamples(formats);
  expect(errors.length).toBeGreaterThan(0);
  return errors[0];
}

describe('pattern compilation', () => {
  it('the hot-path regex finds each field where the named regex does', () => {
    const f = compileFormatGrammar(
      'x',
      {
        title: 't',
        description: 'd',
        patterns: {
          p: { pattern: '^(a|b)(?<=[ab])[(\\]]\\((?:x)(?<thread>[^)]*)\\) (?!z)(?<level>\\w+)(?<message>.*)$', flags: 's' },
        },
        samples: [],
      },
      'f.json',
    );
    const p = f.patterns[0];
    const text = 'a](x worker[1] ) INFO rest\u2028of it';
    const out: MatchFields = {};
    expect(matchInto(p, text, out)).toBe(true);
    expect(out).toMatchObject({ thread: ' worker[1] ', level: 'INFO', message: ' rest\u2028of it' });
    expect(matchPattern(p, text)).toMatchObject({ thread: ' worker[1] ', level: 'INFO', message: ' rest\u2028of it' });
    expect(p.slots).toEqual({ time: 0, level: 3, thread: 2, logger: 0, method: 0, message: 4 });
    expect(matchInto(p, 'c](x) y', out)).toBe(false);
  });

  it('skips patterns by their first character only when that is certain', () => {
    const byName = new Map(bundledFormats().map((f) => [f.name, f]));
    const first = (fmt: string, pat: string): string | undefined => {
      const set = byName.get(fmt)!.patterns.find((p) => p.name === pat)!.firstChars;
      return set ? [...set].map((c) => String.fromCharCode(c)).sort().join('') : undefined;
    };
    expect(first('juli_oneline', 'std')).toBe('0123456789');
    expect(first('debian_systemd', 'std')).toBe('<');
    expect(first('logback_embedded', 'std')).toBe('[');
    expect(first('juli_json', 'json')).toBe('{');
    expect(first('juli_verbatim', 'message')).toBeUndefined();
    expect(first('jul_simple', 'bare')).toContain('信');
  });
});

describe('bad grammars', () => {
  const cases: [string, string, string][] = [
    ['invalid-regex', 'GRAMMAR_INVALID_REGEX', '/bad_regex/patterns/std/pattern'],
    ['no-samples', 'GRAMMAR_NO_SAMPLES', '/no_samples/samples'],
    ['unmatched-sample', 'GRAMMAR_SAMPLE_UNMATCHED', '/unmatched/samples/0/line'],
    ['ambiguous-sample', 'GRAMMAR_SAMPLE_AMBIGUOUS', '/ambiguous/samples/0/line'],
    ['bad-timestamp', 'GRAMMAR_BAD_TIMESTAMP', '/bad_time/samples/0/line'],
    ['expect-mismatch', 'GRAMMAR_SAMPLE_MISMATCH', '/mismatch/samples/0/expect/level'],
    ['unknown-time-letter', 'GRAMMAR_BAD_TIMESTAMP', '/bad_letter/timestamp/formats/0'],
    ['unknown-group', 'GRAMMAR_SCHEMA', '/bad_group/patterns/std/pattern'],
  ];

  it('every fixture is covered', () => {
    const names = readdirSync(BAD).filter((n) => n.endsWith('.json')).map((n) => n.replace(/\.json$/, ''));
    expect(names.sort()).toEqual(cases.map((c) => c[0]).sort());
  });

  it.each(cases)('%s fails with %s at %s', (name, code, pointer) => {
    const file = join(BAD, `${name}.json`);
    const err = firstError(file);
    expect(err).toBeInstanceOf(LensError);
    expect(err.code).toBe(code);
    expect(err.file).toBe(file);
    expect(err.pointer).toBe(pointer);
    // Golden lnav-style text, with the path made relative to the repository.
    const text = formatLensError(err).split(file).join(relative(ROOT, file)) + '\n';
    const golden = join(BAD, `${name}.err`);
    expect(existsSync(golden), `missing ${golden}`).toBe(true);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });

  it('reports a sample whose expected fields differ, one error per field', () => {
    const errors = checkFormatSamples([
      compileFormatGrammar('mismatch', JSON.parse(readFileSync(join(BAD, 'expect-mismatch.json'), 'utf8')).mismatch, 'x.json'),
    ]);
    expect(errors.map((e) => e.pointer)).toEqual(['/mismatch/samples/0/expect/level']);
    expect(errors[0].reason).toBe('expected "WARNING", got "INFO"');
  });

  it('reports a duplicate grammar name', () => {
    const f = bundledFormats()[0];
    const errors = checkFormatSamples([f, { ...f, file: 'other.json' }]);
    expect(errors.map((e) => e.code)).toContain('GRAMMAR_DUPLICATE');
  });

  it('rejects structural mistakes with a pointer', () => {
    expect(() => compileFormatGrammar('x', { title: 't', description: 'd', patterns: {}, samples: [] }, 'f.json')).toThrowError(
      expect.objectContaining({ code: 'GRAMMAR_SCHEMA', pointer: '/x/patterns' }),
    );
    expect(() =>
      compileFormatGrammar('x', { title: 't', description: 'd', patterns: { p: { pattern: 'a', flags: 'g' } }, samples: [] }, 'f.json'),
    ).toThrowError(expect.objectContaining({ code: 'GRAMMAR_SCHEMA', pointer: '/x/patterns/p/flags' }));
    expect(() =>
      compileFormatGrammar('x', { title: 't', description: 'd', patterns: { p: { pattern: '^(?<level>%LEVELS%)' } }, samples: [] }, 'f.json'),
    ).toThrowError(expect.objectContaining({ code: 'GRAMMAR_SCHEMA', pointer: '/x/patterns/p/pattern' }));
    expect(() =>
      compileFormatGrammar(
        'x',
        { title: 't', description: 'd', patterns: { p: { pattern: 'a' } }, level: { INFOS: 'INFORMATION' }, samples: [] },
        'f.json',
      ),
    ).toThrowError(expect.objectContaining({ code: 'GRAMMAR_SCHEMA', pointer: '/x/level/INFOS' }));
  });
});

describe('regex cost on crafted lines', () => {
  const KB8 = 8192;
  const fill = (unit: string): string => (unit === '' ? '' : unit.repeat(Math.ceil(KB8 / unit.length)).slice(0, KB8));

  it('every pattern, second-line, trace and continuation regex stays fast on 8 KB near misses', () => {
    let worst = { ms: 0, what: '' };
    const t0 = performance.now();
    for (const f of bundledFormats()) {
      const regexes = [...f.patterns.flatMap((p) => [p.regex, p.fast, ...(p.nextLine ? [p.nextLine] : [])]), ...f.trace, ...f.continuation];
      // Seeds: the first line of every sample, cut after each separator; each is followed by its own
      // text, one separator or a run of white space repeated to 8 KB, then a character that breaks it.
      const lines = f.samples.map((s) => s.line.split('\n')[0]);
      const inputs: string[] = [];
      for (const line of lines) {
        inputs.push(fill(line), `${fill(line)}\n`);
        const cuts = [...line.matchAll(/[ \]\[:.,<>{}"\t-]/g)].map((m) => m.index! + 1).filter((i, k, a) => a.indexOf(i) === k);
        for (const cut of cuts.slice(0, 24)) {
          const head = line.slice(0, cut);
          for (const unit of [line.slice(cut), line[cut - 1], ' ', '\t', '] ', 'a.', 'x', 'Exception.']) inputs.push(`${head}${fill(unit)}\u0001`, `${head}${fill(unit)}\n`);
        }
      }
      for (const input of inputs) {
        // A slow run is timed twice more and the best kept (a GC pause or a busy core is not the regex).
        let ms = Infinity;
        for (let i = 0; i < 3 && ms > 10; i++) {
          const s0 = performance.now();
          for (const re of regexes) re.exec(input);
          ms = Math.min(ms, performance.now() - s0);
        }
        if (ms > worst.ms) worst = { ms, what: `${f.name} on ${JSON.stringify(input.slice(0, 80))}` };
      }
    }
    expect(worst.ms, worst.what).toBeLessThan(50);
    expect(performance.now() - t0).toBeLessThan(30_000);
  });
});

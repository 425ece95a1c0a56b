// Every regex the bundled grammars run on log text (format patterns, multi-line rules, the regexes
// of every event template) must be proven free of catastrophic backtracking by recheck. This is the
// test that fails when someone adds an unsafe pattern or a template shape the compiler turns into one.

import { describe, expect, it } from 'vitest';
import { checkRegexSafety, grammarRegexes, regexHazard, REGEX_CHECK_TIMEOUT_MS, type RegexToCheck } from '../../src/core/regex-safety.js';
import { testGrammars } from '../../src/io/grammar-files.js';

const { grammars } = testGrammars();
const all = grammarRegexes(grammars.formats, grammars.events);

// Many templates share a regex (`^(?<a0>MEMBER)$`): each distinct pattern is checked once.
const unique = new Map<string, RegexToCheck>();
for (const r of all) {
  const key = `${r.flags.replace(/[gyd]/g, '')}/${r.source}`;
  if (!unique.has(key)) unique.set(key, r);
}
const distinct = [...unique.values()];
// Two cases of about equal weight (the format patterns, listed first, are the slowest).
const halves = [distinct.filter((_, i) => i % 2 === 0), distinct.filter((_, i) => i % 2 === 1)];

// recheck's time limit is wall clock: the slowest patterns take ~1 s alone, up to 5 s while the other
// test files run on the same cores, so they get more here than the 5 s a user grammar gets at load.
const BUSY_TIMEOUT_MS = 20_000;
const CASE_TIMEOUT = 150_000;

function describeErrors(list: RegexToCheck[]): string[] {
  return checkRegexSafety(list, { timeoutMs: BUSY_TIMEOUT_MS }).map((e) => `${e.file}#${e.pointer}: ${e.reason}`);
}

describe('bundled grammars: ReDoS check (recheck)', () => {
  it('lists every regex: format patterns, multi-line rules and every event template', () => {
    const templates = grammars.events.flatMap((g) => g.templates);
    expect(templates.length).toBeGreaterThanOrEqual(450);
    for (const t of templates) {
      expect(all.filter((r) => r.file === t.file && r.pointer === t.pointer).length).toBe(t.regexes.length);
    }
    for (const f of grammars.formats) {
      const n = f.patterns.reduce((k, p) => k + 1 + (p.nextLine ? 1 : 0), 0) + f.trace.length + f.continuation.length;
      expect(all.filter((r) => r.file === f.file).length).toBe(n);
    }
    // No backreference or lookaround: those would take recheck off its automaton proof.
    for (const r of all.filter((x) => x.file.includes('/events/'))) expect(r.source, r.pointer).not.toMatch(/\\k<|\(\?<?[=!]/);
  });

  it(`proves half of the ${distinct.length} distinct regexes safe`, { timeout: CASE_TIMEOUT }, () => {
    expect(describeErrors(halves[0])).toEqual([]);
  });

  it('proves the other half safe', { timeout: CASE_TIMEOUT }, () => {
    expect(describeErrors(halves[1])).toEqual([]);
  });
});

describe('regex safety check', () => {
  it('reports exponential and polynomial patterns with their file and JSON pointer', { timeout: 60_000 }, () => {
    const errors = checkRegexSafety([
      { source: '^(a+)+$', flags: '', file: 'grammars/x.json', pointer: '/x/patterns/bad/pattern' },
      { source: '^\\d*\\d*$', flags: 'u', file: 'grammars/y.json', pointer: '/y/events/e/templates/0/template' },
      { source: '^\\d+$', flags: '', file: 'grammars/z.json', pointer: '/z/patterns/ok/pattern' },
    ]);
    expect(errors.map((e) => [e.code, e.file, e.pointer])).toEqual([
      ['GRAMMAR_UNSAFE_REGEX', 'grammars/x.json', '/x/patterns/bad/pattern'],
      ['GRAMMAR_UNSAFE_REGEX', 'grammars/y.json', '/y/events/e/templates/0/template'],
    ]);
    expect(errors[0].reason).toMatch(/exponential backtracking/);
    expect(errors[1].reason).toMatch(/2nd degree polynomial backtracking/);
    expect(errors[0].reason).toContain('/^(a+)+$/');
  });

  it('catches the shapes templates used to compile to', { timeout: 60_000 }, () => {
    const WS = '[ \\t\\u00A0\\u202F]';
    // A lazy argument between two white space runs; two free-text arguments around a literal.
    expect(regexHazard(`^Register${WS}+manager${WS}+(?<a0>[^\\n]*?)${WS}+to${WS}+cluster$`, 'u')).toMatch(/polynomial/);
    expect(regexHazard(`^start${WS}+date${WS}+(?<a0>[^\\n]+?)${WS}+message${WS}+date${WS}+(?<a1>[^\\n]+)$`, 'u')).toMatch(/polynomial/);
  });

  it('gives up after a bounded time, and a timeout is a hazard', { timeout: 60_000 }, () => {
    expect(REGEX_CHECK_TIMEOUT_MS).toBeLessThanOrEqual(5_000);
    // A long literal after a repeat: recheck needs seconds for it, more than 10 ms.
    expect(regexHazard(`^[a-z]*${'does not implement ClusterManager '.repeat(4)}$`, '', 10)).toMatch(/could not be proven safe \(timeout\)/);
  });
});

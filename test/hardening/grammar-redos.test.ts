// A user grammar (--grammar FILE) with a catastrophic regex is refused before any log line is read:
// exit 2, an error naming the file and the JSON pointer of the pattern.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';
import { STEADY_TOMCAT1 } from './helpers/synthesised.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lens-redos-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a pattern with (a+)+ is refused with exit 2, naming the file and the JSON pointer', () => {
  // Based on the invalid-regex fixture (a valid grammar apart from its pattern).
  const grammar = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/bad-grammars/invalid-regex.json'), 'utf8'));
  grammar.$schema = join(ROOT, 'grammars/schema/format.schema.json');
  grammar.bad_regex.patterns.std.pattern = '^(?<time>\\S+ \\S+) (?<level>[A-Z]+) (?<message>(a+)+)$';
  const file = join(dir, 'redos.json');
  writeFileSync(file, JSON.stringify(grammar, null, 2));
  const started = Date.now();
  const r = runCli(['analyze', '--text', '--grammar', file, STEADY_TOMCAT1]);
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines[0]).toBe(`error: unsafe regular expression in ${file}`);
  expect(lines[1]).toMatch(/^reason: .*\(a\+\)\+.* has exponential backtracking/);
  expect(lines).toContain(` --> ${file}#/bad_regex/patterns/std/pattern`);
});

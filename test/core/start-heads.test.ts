// The byte path rules a line out as another format's start when it begins with none of that
// format's heads (start-heads.ts). That must never rule out a real start: checked on every line of
// the corpus, each format in turn as the decided one.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchPattern } from '../../src/core/format-grammar.js';
import { charHeads, HeadTable, unionHeads, wordHeads } from '../../src/core/start-heads.js';
import { loadGrammarsSync } from '../../src/io/grammar-files.js';
import { corpusLogFiles, PUBLIC } from '../helpers/corpus.js';

const { formats } = loadGrammarsSync();

function corpusLines(): string[] {
  return corpusLogFiles().flatMap((file) => readFileSync(file, 'utf8').split('\n'));
}

describe('HeadTable', () => {
  it('rules out a line only when it begins with no word and no character of the heads', () => {
    const t = HeadTable.of([wordHeads(['Apr', 'Aug', 'août']), charHeads('0123456789'), wordHeads(['SEVERE', 'Sep'])])!;
    const ok = (s: string): boolean => t.mayStart(Buffer.from(s), 0, Buffer.byteLength(s));
    expect(ok('Aug 21, 2019')).toBe(true);
    expect(ok('août 21, 2019')).toBe(true);
    expect(ok('7 Sep')).toBe(true);
    expect(ok('SEVERE: x')).toBe(true);
    expect(ok('An error occurred at line: [115]')).toBe(false);
    expect(ok('Syntax error, insert "}"')).toBe(false);
    expect(ok('Au')).toBe(false); // shorter than every word with its first byte
    expect(ok('')).toBe(false);
    expect(ok('Caused by')).toBe(false); // no head begins with C
  });

  it('after a first character, only what can follow it (JSP error lines of public/isaiasa…tomcat0: `1: <%`)', () => {
    const t = HeadTable.of([charHeads('0123456789', '0123456789-'), wordHeads(['1月', '10월'])])!;
    const ok = (s: string): boolean => t.mayStart(Buffer.from(s), 0, Buffer.byteLength(s));
    expect(ok('21-May-2019')).toBe(true);
    expect(ok('1-2')).toBe(true);
    expect(ok('1月 04, 2015')).toBe(true); // a word's second byte joins the followers
    expect(ok('10월')).toBe(true);
    expect(ok('1: <%')).toBe(false);
    expect(ok('2: HttpSession s = request.getSession();')).toBe(false);
    expect(ok('7')).toBe(false); // no date is one character long
    expect(unionHeads([charHeads('0', 'a'), charHeads('1')])?.follow).toBeUndefined();
    expect(unionHeads([charHeads('0', 'a'), charHeads('1', 'b'), wordHeads(['x'])])?.follow).toBe('ab');
  });

  it('the JUL formats: a digit is followed by a digit, a dash or a space; JSP listing lines are ruled out', () => {
    const others = formats.filter((f) => f.name !== 'juli_oneline' && !f.fallback);
    const table = HeadTable.of(others.flatMap((f) => f.patterns.map((p) => p.heads)))!;
    for (const line of ['1: <%', '3: }%>', '4: }%>']) expect(table.mayStart(Buffer.from(line), 0, line.length), line).toBe(false);
  });

  it('is undefined when one pattern may begin with anything, and a character head covers the words of its byte', () => {
    expect(HeadTable.of([wordHeads(['INFO']), undefined])).toBeUndefined();
    expect(unionHeads([wordHeads(['a']), undefined])).toBeUndefined();
    const t = HeadTable.of([wordHeads(['INFO']), charHeads('I')])!;
    expect(t.mayStart(Buffer.from('Ix'), 0, 2)).toBe(true);
  });

  it('never rules out a real start line of any format (every corpus line, each format as the decided one)', () => {
    const lines = corpusLines();
    let ruledOut = 0;
    let starts = 0;
    for (const decided of formats) {
      const others = formats.filter((f) => f !== decided && !f.fallback);
      const table = HeadTable.of(others.flatMap((f) => f.patterns.map((p) => p.heads)));
      if (!table) continue;
      for (const text of lines) {
        const bytes = Buffer.from(text);
        const may = table.mayStart(bytes, 0, bytes.length);
        const isStart = others.some((f) => f.patterns.some((p) => matchPattern(p, text)));
        if (isStart) {
          starts++;
          expect(may, `${decided.name}: ${text.slice(0, 80)}`).toBe(true);
        } else if (!may) ruledOut++;
      }
    }
    expect(starts).toBeGreaterThan(1000);
    expect(ruledOut).toBeGreaterThan(1000);
  });

  it('its second-byte bits (the kernel\'s test) hold wherever mayStart does, and rule most lines out before it', () => {
    const lines = corpusLines().map((text) => Buffer.from(`${text}\n`));
    let ruledOut = 0;
    for (const decided of formats) {
      const table = HeadTable.of(formats.filter((f) => f !== decided && !f.fallback).flatMap((f) => f.patterns.map((p) => p.heads)));
      if (!table) continue;
      const { firstBytes, secondBytes } = table;
      for (const bytes of lines) {
        const pair = firstBytes[bytes[0]] !== 0 && (secondBytes[bytes[0] * 32 + (bytes[1] >> 3)] >> (bytes[1] & 7)) & 1;
        if (table.mayStart(bytes, 0, bytes.length - 1)) expect(pair, bytes.toString().slice(0, 80)).toBe(1);
        else if (firstBytes[bytes[0]] !== 0 && !pair) ruledOut++;
      }
    }
    expect(ruledOut).toBeGreaterThan(1000);
  });

  it('mayStartText, on decoded lines, answers as mayStart does on their bytes (true where unsure on non-ASCII)', () => {
    const lines = corpusLines();
    let ruledOut = 0;
    for (const decided of formats) {
      const table = HeadTable.of(formats.filter((f) => f !== decided && !f.fallback).flatMap((f) => f.patterns.map((p) => p.heads)));
      if (!table) continue;
      for (const text of [...lines, '7', 'A', 'Ap', '十一月 04, 2015', 'août 21, 2019', '1月 04, 2015']) {
        const bytes = Buffer.from(text);
        const onBytes = table.mayStart(bytes, 0, bytes.length);
        const onText = table.mayStartText(text);
        if (onBytes) expect(onText, text.slice(0, 80)).toBe(true);
        else if (/^[\x00-\x7f]*$/.test(text)) expect(onText, text.slice(0, 80)).toBe(false);
        if (!onText) ruledOut++;
      }
    }
    expect(ruledOut).toBeGreaterThan(1000);
  });

  it('knows the words of the JUL two-line format: a month name and its space, then a digit; or a level name first', () => {
    const jul = formats.find((f) => f.name === 'jul_simple')!;
    const words = jul.patterns.flatMap((p) => p.heads?.words ?? []);
    expect(words).toEqual(expect.arrayContaining(['Jan ', 'août ', '十一月 ', 'out ', 'SEVERE', '信息']));
    expect(jul.patterns.find((p) => p.name === 'header')?.heads?.after).toBe('0123456789');
    expect(jul.patterns.find((p) => p.name === 'bare')?.heads?.after).toBeUndefined();
  });

  it('after a word, only what can follow it: a JSP error\'s "out cannot be resolved" is no JUL date (public/isaiasa…tomcat1)', () => {
    const t = HeadTable.of([wordHeads(['out ', 'août '], '0123456789'), wordHeads(['SEVERE'])])!;
    const ok = (s: string): boolean => t.mayStart(Buffer.from(s), 0, Buffer.byteLength(s));
    // Synthesised dates (the corpus has no Portuguese JUL log); the JSP line is the real one.
    for (const [line, may] of [
      ['out 21, 2019 10:15:03 AM org.apache.catalina.startup.Catalina start', true],
      ['août 21, 2019 10:15:03 AM org.apache.catalina.startup.Catalina start', true],
      ['out cannot be resolved to a variable', false],
      ['out ', false], // the line ends where the digit should be
      ['out', false],
      ['SEVERE: x', true], // a word with no `after`: anything may follow
    ] as const) {
      expect(ok(line), line).toBe(may);
      expect(t.mayStartText(line), line).toBe(may);
    }
    const jul = formats.find((f) => f.name === 'jul_simple')!;
    const table = HeadTable.of(jul.patterns.map((p) => p.heads))!;
    const real = readFileSync(join(PUBLIC, 'isaiasa-tomcat8.0.33-tomcat1-catalina.2019-05-21.log'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('out cannot be resolved'));
    expect(real.length).toBeGreaterThan(0);
    for (const line of real) expect(table.mayStart(Buffer.from(line), 0, line.length), line).toBe(false);
    expect(unionHeads([wordHeads(['a '], '1'), wordHeads(['b '], '2'), charHeads('3')])?.after).toBe('12');
    expect(unionHeads([wordHeads(['a '], '1'), wordHeads(['b '])])?.after).toBeUndefined();
  });
});

// JUL SimpleFormatter starts read on bytes (src/core/jul-bytes.ts) must answer what the grammar's
// regexes answer: a time only where the header regex matches with the same time and the logger is
// no cluster logger (and of the kind said), and a second line only where the second-line regex
// matches.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CLUSTER_LOGGER, LIFECYCLE_LOGGER, LoggerFilter, OTHER_LOGGER } from '../../src/core/cluster-prefilter.js';
import { InputParser } from '../../src/core/input-parser.js';
import { isSecondLine, JulStarts, NO, UNSURE, YES } from '../../src/core/jul-bytes.js';
import type { ClusterEvent } from '../../src/core/types.js';
import { loadGrammarsSync } from '../../src/io/grammar-files.js';
import { CORPUS, PUBLIC } from '../helpers/corpus.js';

const grammars = loadGrammarsSync();
const jul = grammars.formats.find((f) => f.name === 'jul_simple')!;
const header = jul.patterns.find((p) => p.name === 'header')!;
const loggers = new LoggerFilter(grammars.events);
const starts = JulStarts.of(jul, loggers)!;

/** Real JUL header lines of the corpus, in every locale and date layout it has. */
const realHeaders = [
  ...['simpleformatter-default', 'simpleformatter-fr', 'simpleformatter-en-AU', 'simpleformatter-ddmmyyyy'].map((d) => join(CORPUS, d, 'tomcat1/catalina.out')),
  join(PUBLIC, 'yanwuyang-tomcat6-zh_CN-2L-JUL.log'),
]
  .flatMap((f) => readFileSync(f, 'utf8').split(/\r?\n/))
  .filter((l) => header.regex.test(l));
const realTimes = [...new Set(realHeaders.map((l) => header.regex.exec(l)!.groups!.time))];

describe('JulStarts', () => {
  test('is made for the bundled jul_simple grammar only', () => {
    expect(starts).toBeDefined();
    for (const f of grammars.formats) if (f !== jul) expect(JulStarts.of(f, loggers)).toBeUndefined();
    const changed = { ...jul, source: { ...jul.source, patterns: { ...jul.source.patterns, header: { ...jul.source.patterns.header, pattern: jul.source.patterns.header.pattern.replace('+)$', '*)$') } } } };
    expect(JulStarts.of(changed, loggers)).toBeUndefined();
  });

  test('the corpus has JUL headers in several layouts', () => {
    expect(realHeaders.length).toBeGreaterThan(50);
    expect(realTimes.some((t) => /[^\x20-\x7e]/.test(t))).toBe(true); // 一月 04, 2015 7:55:30 下午
    expect(realTimes.some((t) => /^\d\d\/\d\d\//.test(t))).toBe(true);
  });

  test('reads the real headers: the time and kind of other and lifecycle loggers, nothing for cluster loggers', () => {
    const seen = [0, 0, 0];
    for (const line of realHeaders) {
      const g = header.regex.exec(line)!.groups!;
      const buf = Buffer.from(line);
      const time = starts.headerTime(buf, 0, buf.length);
      const kind = loggers.kindOfName(g.logger);
      seen[kind]++;
      if (kind === CLUSTER_LOGGER) expect(time).toBeUndefined();
      else {
        expect(time).toBe(g.time);
        expect(starts.lifecycle).toBe(kind === LIFECYCLE_LOGGER);
      }
    }
    expect(seen[OTHER_LOGGER]).toBeGreaterThan(5);
    expect(seen[LIFECYCLE_LOGGER]).toBeGreaterThan(5);
    expect(seen[CLUSTER_LOGGER]).toBeGreaterThan(5);
  });

  test('a header it has read before, changed before its logger, is read again, not taken from memory', () => {
    // Synthesised from the real headers: the space before the logger made another character or two.
    let checked = 0;
    for (const line of realHeaders) {
      const g = header.regex.exec(line)!.groups!;
      if (loggers.kindOfName(g.logger) !== OTHER_LOGGER) continue;
      const at = line.length - g.logger.length - g.method.length - 2;
      for (const variant of [`${line.slice(0, at)}x${line.slice(at + 1)}`, `${line.slice(0, at)}  ${line.slice(at + 1)}`, `${line.slice(0, at)}\t${line.slice(at + 1)}`]) {
        const buf = Buffer.from(line);
        expect(starts.headerTime(buf, 0, buf.length)).toBe(g.time); // read, and remembered
        const vbuf = Buffer.from(variant);
        const time = starts.headerTime(vbuf, 0, vbuf.length);
        // Undefined is always safe (the line goes the general way); a time must be the regex's.
        if (time !== undefined) {
          const m = header.regex.exec(variant);
          expect(m?.groups?.time).toBe(time);
          expect(loggers.kindOfName(m!.groups!.logger)).toBe(starts.lifecycle ? LIFECYCLE_LOGGER : OTHER_LOGGER);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(15);
  });

  test('a time only where the header regex matches with that time, and the logger is no cluster logger', () => {
    const token = (chars: string) => fc.string({ unit: fc.constantFrom(...chars), maxLength: 12 });
    const loggerish = token('abcXYZ019_$.. .<>-:é');
    const line = fc.tuple(fc.constantFrom(...realTimes, 'Nov 26, 2026 3:12:27', '26/11/2026', ''), fc.constantFrom(' ', '  ', '', '\t'), loggerish, fc.constantFrom(' ', '', '.'), loggerish);
    const realLoggers = fc.constantFrom('org.apache.coyote.AbstractProtocol', 'org.apache.catalina.ha.tcp.SimpleTcpCluster', 'org.apache.catalina.startup.Catalina', 'a.b', 'A$1.x_2');
    const built = fc.oneof(
      line.map(([t, s1, l, s2, m]) => `${t}${s1}${l}${s2}${m}`),
      fc.tuple(fc.constantFrom(...realTimes), realLoggers, token('abc_$<>-')).map(([t, l, m]) => `${t} ${l} ${m}`),
    );
    let yes = 0;
    fc.assert(
      fc.property(built, (text) => {
        const buf = Buffer.from(text);
        const time = starts.headerTime(buf, 0, buf.length);
        if (time === undefined) return;
        yes++;
        const m = header.regex.exec(text);
        expect(m?.groups?.time).toBe(time);
        expect(loggers.kindOfName(m!.groups!.logger)).toBe(starts.lifecycle ? LIFECYCLE_LOGGER : OTHER_LOGGER);
      }),
      { numRuns: 3000 },
    );
    expect(yes).toBeGreaterThan(100);
  });
});

describe('isSecondLine', () => {
  const second = header.nextLine!;
  const firstOf = (file: string, re: RegExp) => readFileSync(file, 'utf8').split(/\r?\n/).find((l) => re.test(l))!;
  // Real lines: a JUL second line in English and in Chinese, a stack frame of a Tomcat 8.0 log.
  const real: Array<[string, number]> = [
    [firstOf(join(CORPUS, 'simpleformatter-default/tomcat1/catalina.out'), /^INFO: /), YES],
    [firstOf(join(PUBLIC, 'yanwuyang-tomcat6-zh_CN-2L-JUL.log'), /^信息: /), UNSURE],
    [firstOf(join(PUBLIC, 'isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log'), /^\tat /), NO],
  ];
  // Synthesised edges of the pattern.
  const edges: Array<[string, number]> = [
    ['SEVERE:no space after the colon', YES],
    [': nothing before the colon', NO],
    ['INFO : a space before the colon', NO],
    [`${'X'.repeat(30)}: thirty characters`, YES],
    [`${'X'.repeat(31)}: thirty-one characters`, NO],
    ['no colon at all', NO],
    ['', NO],
  ];
  test.each([...real, ...edges])('%j', (text, answer) => {
    expect(isSecondLine(Buffer.from(text), 0, Buffer.byteLength(text))).toBe(answer);
    if (answer !== UNSURE) expect(second.test(text)).toBe(answer === YES);
  });

  test('answers as the second-line regex does, or UNSURE on a non-ASCII level', () => {
    const text = fc.string({ unit: fc.constantFrom('I', 'N', 'F', 'O', ':', ' ', '\t', '\v', 'é', '信', '\u00a0', 'x'), maxLength: 40 });
    fc.assert(
      fc.property(text, (t) => {
        const answer = isSecondLine(Buffer.from(t), 0, Buffer.byteLength(t));
        if (answer === UNSURE) expect(/[^\x00-\x7f]/.test(t)).toBe(true);
        else expect(second.test(t)).toBe(answer === YES);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the parser with JUL starts on bytes', () => {
  function parse(data: Buffer, fastPath: boolean, chunk = 1 << 20) {
    const events: ClusterEvent[] = [];
    const parser = new InputParser({ file: 'x.log', node: 'n', formats: grammars.formats, events: grammars.events, tz: 'UTC', fastPath }, (ev) => events.push(ev));
    for (let i = 0; i < data.length; i += chunk) parser.push(data.subarray(i, i + chunk));
    parser.end();
    return { parser, events };
  }

  test("other loggers' records still teach the day/month order, as their times are read", () => {
    // Synthesised from a real dd/MM/yyyy JUL log: every date made 05/11/2026 (either order), then
    // two copies of its AbstractProtocol record, the second dated 11/26/2026 (only month/day reads
    // it), then its SimpleTcpCluster record again, dated 05/11/2026: May 11th, read month first.
    const lines = readFileSync(join(CORPUS, 'simpleformatter-ddmmyyyy/tomcat1/catalina.out'), 'utf8').split('\n');
    const dated = lines.map((l) => l.replace(/^\d\d\/\d\d\/\d{4} /, '05/11/2026 '));
    const at = (suffix: string) => dated.findIndex((l) => l.endsWith(suffix));
    const other = at(' org.apache.coyote.AbstractProtocol init');
    const cluster = at(' org.apache.catalina.ha.tcp.SimpleTcpCluster startInternal');
    expect(other).toBeGreaterThan(0);
    expect(cluster).toBeGreaterThan(0);
    const record = (i: number, date: string) => `${dated[i].replace('05/11/2026', date)}\n${dated[i + 1]}\n`;
    const text = `${dated.join('\n')}\n${record(other, '05/11/2026')}${record(other, '11/26/2026')}${record(cluster, '05/11/2026')}`;
    const data = Buffer.from(text);
    const slow = parse(data, false);
    const last = slow.events[slow.events.length - 1];
    expect(last.type).toBe('cluster-starting');
    expect(new Date(last.timeMs!).getUTCMonth()).toBe(4); // May
    for (const chunk of [1 << 20, 97]) {
      const fast = parse(data, true, chunk);
      expect(fast.events).toEqual(slow.events);
      expect(fast.parser.stats).toEqual(slow.parser.stats);
      expect(fast.parser.decodedLines).toBeLessThan(slow.parser.decodedLines);
    }
  });

  test('a header of another logger whose next line is no LEVEL: line is read the general way', () => {
    // Synthesised from a real JUL log: its AbstractProtocol header line, then a stack-trace line of
    // the corpus instead of its INFO line, then the log again.
    const real = readFileSync(join(CORPUS, 'simpleformatter-default/tomcat1/catalina.out'), 'utf8');
    const lines = real.split('\n');
    const headerLine = lines.find((l) => l.endsWith(' org.apache.coyote.AbstractProtocol init'))!;
    const frame = readFileSync(join(PUBLIC, 'isaiasa-tomcat8.0.33-tomcat0-catalina.2019-05-21.log'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('\tat '))!;
    const mixed = [headerLine, frame, headerLine, ':colon first', headerLine];
    const data = Buffer.from(`${real}${mixed.join('\n')}\n${real}${headerLine}\n`);
    const slow = parse(data, false);
    for (const chunk of [1 << 20, 4093, 97]) {
      const fast = parse(data, true, chunk);
      expect(fast.events).toEqual(slow.events);
      expect(fast.parser.stats).toEqual(slow.parser.stats);
    }
  });
});

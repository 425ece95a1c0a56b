// Inputs in a legacy charset (Tomcat before 7.0.92, 8.5.36 and 9.0.14 wrote catalina.out in the
// platform's): the encoding option, the framer's decoding and accounting, and the parser end to end
// on real logs converted to that charset (test/fixtures/encodings/README.md).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { InputParser } from '../../src/core/input-parser.js';
import { LineFramer } from '../../src/core/line-framer.js';
import { isUtf8Encoding, lineDecoder, resolveEncoding } from '../../src/core/text-encoding.js';
import type { ClusterEvent, Line } from '../../src/core/types.js';
import { loadGrammarsSync } from '../../src/io/grammar-files.js';
import { validateReadOptions } from '../../src/pipeline/options.js';
import { CORPUS, PUBLIC } from '../helpers/corpus.js';

const FIX = join(import.meta.dirname, '../fixtures/encodings');
const grammars = loadGrammarsSync();

function parse(data: Buffer, encoding?: string, fastPath = true) {
  const events: ClusterEvent[] = [];
  const parser = new InputParser({ file: 'x.log', node: 'n', formats: grammars.formats, events: grammars.events, tz: 'UTC', encoding, fastPath }, (ev) =>
    events.push(ev),
  );
  for (let i = 0; i < data.length; i += 97) parser.push(data.subarray(i, i + 97)); // lines split across pushes
  parser.end();
  return { stats: parser.stats, events: events.map(({ file: _f, ...e }) => e) };
}

describe('the encoding option', () => {
  test('labels resolve to their WHATWG names', () => {
    expect(resolveEncoding('latin1')).toBe('windows-1252');
    expect(resolveEncoding('CP936')).toBe('gbk');
    expect(resolveEncoding(' Shift_JIS ')).toBe('shift_jis');
    expect(resolveEncoding('MS949')).toBe('euc-kr'); // Java's name for Korean Windows' charset
    expect(isUtf8Encoding(undefined)).toBe(true);
    expect(isUtf8Encoding('utf8')).toBe(true);
    expect(lineDecoder('UTF-8')).toBeUndefined();
  });

  test('an unknown label, or a charset whose newline is not the byte 0x0a, is one clear error', () => {
    for (const bad of ['klingon', 'utf-16le', 'UTF-16', '']) {
      expect(() => validateReadOptions({ encoding: bad })).toThrowError(
        expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(/^Invalid option encoding: .*, got /) }),
      );
    }
  });
});

describe('the framer with a decoder', () => {
  test('decodes each line in the charset and counts the lines with bytes it has no character for', () => {
    const lines: Line[] = [];
    const framer = new LineFramer((l) => lines.push(l), { decode: lineDecoder('gbk') });
    // 信息 in GBK, then a lead byte followed by a newline (no trail byte), then plain ASCII.
    framer.push(Buffer.from([0xd0, 0xc5, 0xcf, 0xa2, 0x3a, 0x0a, 0x41, 0x81, 0x0a, 0x6f, 0x6b]));
    framer.end();
    expect(lines.map((l) => [l.text, l.invalidUtf8 ?? false])).toEqual([
      ['信息:', false],
      ['A\ufffd', true],
      ['ok', false],
    ]);
    expect(framer.stats).toMatchObject({ lines: 3, invalidUtf8: 1 });
  });
});

describe('real logs in a legacy charset', () => {
  const cases: Array<[string, Buffer, string, Buffer]> = [
    ['French two-line JUL as windows-1252', Buffer.from(readFileSync(join(CORPUS, 'simpleformatter-fr/tomcat1/catalina.out'), 'utf8'), 'latin1'), 'windows-1252', readFileSync(join(CORPUS, 'simpleformatter-fr/tomcat1/catalina.out'))],
    ['zh_CN Tomcat 6 JUL as GBK', readFileSync(join(FIX, 'yanwuyang-tomcat6-zh_CN-2L-JUL.gbk.log')), 'gbk', readFileSync(join(PUBLIC, 'yanwuyang-tomcat6-zh_CN-2L-JUL.log'))],
    ['Korean OneLine as EUC-KR', readFileSync(join(FIX, 'has3ong-tomcat9-was2-ko.euc-kr.log')), 'euc-kr', readFileSync(join(PUBLIC, 'has3ong-tomcat9-was2-ko.log'))],
  ];

  test.each(cases)('%s: with the encoding, the events and accounting of the UTF-8 original', (_name, legacy, encoding, utf8) => {
    const original = parse(utf8);
    expect(original.events.length).toBeGreaterThan(1);
    for (const fastPath of [true, false]) {
      const read = parse(legacy, encoding, fastPath);
      expect(read.events).toEqual(original.events);
      expect({ ...read.stats, file: '', bytes: 0 }).toEqual({ ...original.stats, file: '', bytes: 0 });
    }
  });

  test.each(cases)('%s: read as UTF-8, its lines are counted invalid and its events are not typed', (_name, legacy, _encoding, utf8) => {
    const original = parse(utf8);
    const wrong = parse(legacy);
    expect(wrong.stats.invalidUtf8).toBeGreaterThan(0);
    const typed = (r: { events: Array<{ type: string }> }) => r.events.filter((e) => e.type !== 'cluster-other').length;
    expect(typed(wrong)).toBeLessThan(typed(original));
  });
});

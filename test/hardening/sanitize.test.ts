// sanitizeForTerminal: every kind of escape sequence and control character an attacker can put in a
// log line, one by one, and a property over arbitrary text.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { sanitizeForTerminal, sanitizeLines } from '../../src/core/sanitize.js';
import { HOSTILE_SEQUENCES, UNSAFE_FOR_TERMINAL } from '../fuzz/harness.js';

// A real message from ../shared/corpus/steady/tomcat1/catalina.out.
const REAL = 'Replication member added:[org.apache.catalina.tribes.membership.StaticMember[tcp://127.0.0.12:4002,127.0.0.12,4002, alive=0]]';

describe('sanitizeForTerminal', () => {
  test.each([
    ['SGR colour', '\u001b[31;1m', ''],
    ['CSI cursor move and erase', '\u001b[10A\u001b[2J\u001b[H', ''],
    ['CSI with private parameters', '\u001b[?1049h', ''],
    ['OSC 0 window title, BEL-terminated', '\u001b]0;pwned\u0007', ''],
    ['OSC 2 title, ST-terminated', '\u001b]2;pwned\u001b\\', ''],
    ['OSC 8 hyperlink (the visible text stays)', '\u001b]8;;https://evil.example/\u001b\\click\u001b]8;;\u001b\\', 'click'],
    ['OSC 52 clipboard write', '\u001b]52;c;cm0gLXJmIC8K\u0007', ''],
    ['DCS', '\u001bP1$qm\u001b\\', ''],
    ['APC / PM / SOS', '\u001b_x\u001b\\\u001b^y\u001b\\\u001bXz\u001b\\', ''],
    ['C1 CSI', '\u009b6n', ''],
    ['C1 OSC to C1 ST', '\u009d0;pwned\u009c', ''],
    ['C1 DCS', '\u0090q\u009c', ''],
    ['two-byte escapes (reset, save/restore cursor)', '\u001bc\u001b7\u001b8', ''],
    ['bidi overrides and isolates', '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c', ''],
    ['C0 controls, DEL', '\u0000\u0007\u0008\u000b\u000c\r\n\u007f', ''],
    ['TAB becomes a space', '\t', ' '],
  ])('%s', (_name, seq, kept) => {
    expect(sanitizeForTerminal(`${REAL}${seq}${REAL}`)).toBe(`${REAL}${kept}${REAL}`);
  });

  test('an unterminated OSC swallows the rest of the text; a trailing lone ESC goes', () => {
    expect(sanitizeForTerminal(`${REAL}\u001b]0;pwned ${REAL}`)).toBe(REAL);
    expect(sanitizeForTerminal(`${REAL}\u001b`)).toBe(REAL);
  });

  test('plain text, including non-ASCII, is returned as it is', () => {
    for (const t of [REAL, '情報: メンバーが追加されました', 'INFOS: membre ajouté', '']) expect(sanitizeForTerminal(t)).toBe(t);
  });

  test('property: the result never holds a control character, and cleaning twice changes nothing', () => {
    const hostile = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.constantFrom(...HOSTILE_SEQUENCES));
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 8 }), (parts) => {
        const out = sanitizeForTerminal(parts.join(''));
        expect(UNSAFE_FOR_TERMINAL.test(out) || out.includes('\n')).toBe(false);
        expect(sanitizeForTerminal(out)).toBe(out);
      }),
      { numRuns: 2000, seed: 1 },
    );
  });

  test('long hostile input is cleaned in linear time', () => {
    const evil = '\u001b['.repeat(200_000) + '\u001b]'.repeat(200_000) + '\u009b0;'.repeat(100_000);
    const started = Date.now();
    expect(sanitizeForTerminal(evil)).toBe('');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('sanitizeLines keeps line breaks and cleans each line', () => {
    expect(sanitizeLines(`error: a\u001b[31m\nreason: b\u202e\r\n --> c`)).toBe('error: a\nreason: b\n --> c');
  });
});

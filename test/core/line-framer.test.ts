import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { LineFramer } from '../../src/core/line-framer.js';
import type { Line } from '../../src/core/types.js';
import { PUBLIC } from '../helpers/corpus.js';

// Real lines from ../shared/corpus/steady/tomcat1/catalina.out.
const REAL = [
  '26-Nov-2026 15:07:30.779 INFO [main] org.apache.catalina.ha.tcp.SimpleTcpCluster.startInternal Cluster is about to start',
  '26-Nov-2026 15:07:30.788 INFO [main] org.apache.catalina.tribes.transport.ReceiverBase.bind Receiver Server Socket bound to:[/127.0.0.11:4001]',
];

function frame(chunks: Buffer[], maxLineBytes?: number): { lines: Line[]; framer: LineFramer } {
  const lines: Line[] = [];
  const framer = new LineFramer((l) => lines.push(l), { maxLineBytes });
  for (const c of chunks) framer.push(c);
  framer.end();
  return { lines, framer };
}

describe('LineFramer', () => {
  test('splits on LF, strips CR, numbers lines and keeps byte offsets', () => {
    const text = `${REAL[0]}\r\n${REAL[1]}\n`;
    const { lines } = frame([Buffer.from(text)]);
    expect(lines.map((l) => l.text)).toEqual(REAL);
    expect(lines.map((l) => l.line)).toEqual([1, 2]);
    expect(lines[1].offset).toBe(Buffer.byteLength(REAL[0]) + 2);
  });

  test('a UTF-8 byte order mark before the first line is dropped, in any chunking; one elsewhere is text', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const buf = Buffer.concat([bom, Buffer.from(`${REAL[0]}\n`), bom, Buffer.from(`${REAL[1]}\n`)]);
    for (const size of [1, 2, 3, 5, buf.length]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < buf.length; i += size) chunks.push(buf.subarray(i, i + size));
      const { lines, framer } = frame(chunks);
      expect(lines.map((l) => l.text)).toEqual([REAL[0], `\ufeff${REAL[1]}`]);
      expect(framer.stats).toMatchObject({ lines: 2, bytes: buf.length, invalidUtf8: 0 });
    }
  });

  test('a line cut inside a character keeps the same prefix however it is chunked (nothing from further on)', () => {
    // A real Korean Tomcat 9 line (public/has3ong-tomcat9-was2-ko.log): a cap of 132 or 133 bytes
    // falls inside 추 (3 bytes), so 131 are kept. A chunk ending in the held part left room, and the
    // next chunk's first byte was added after the cut; a chunk ending inside 추 kept its first bytes
    // (found by `npm run fuzz`).
    const text = readFileSync(join(PUBLIC, 'has3ong-tomcat9-was2-ko.log'), 'utf8')
      .split('\n')
      .find((l) => l.includes('복제 멤버가 추가됨'))!;
    const buf = Buffer.from(`${text}\n`);
    for (const cap of [132, 133]) {
      const whole = frame([buf], cap).lines;
      expect(Buffer.byteLength(whole[0].text)).toBe(131);
      expect(text.startsWith(whole[0].text)).toBe(true);
      for (let cut = 1; cut < buf.length; cut++) {
        const { lines } = frame([buf.subarray(0, cut), buf.subarray(cut)], cap);
        expect(lines.map((l) => l.text), `cap ${cap}, split at ${cut}`).toEqual(whole.map((l) => l.text));
        expect(lines[0].truncated).toBe(true);
      }
      // In small pieces, the cut character's bytes are spread over several held pieces.
      for (const size of [1, 2, 3, 5, 7]) {
        const chunks: Buffer[] = [];
        for (let i = 0; i < buf.length; i += size) chunks.push(buf.subarray(i, i + size));
        const { lines, framer } = frame(chunks, cap);
        expect(lines.map((l) => l.text), `cap ${cap}, pieces of ${size}`).toEqual(whole.map((l) => l.text));
        expect(framer.stats).toMatchObject({ lines: 1, truncatedLines: 1, invalidUtf8: 0 });
      }
    }
  });

  test('a line split across chunks at every byte position is framed the same', () => {
    const buf = Buffer.from(`${REAL[0]}\n${REAL[1]}`);
    for (let cut = 1; cut < buf.length; cut += 7) {
      const { lines } = frame([buf.subarray(0, cut), buf.subarray(cut)]);
      expect(lines.map((l) => l.text)).toEqual(REAL);
      expect(lines[1].offset).toBe(Buffer.byteLength(REAL[0]) + 1);
    }
  });

  test('the unterminated last line is emitted at end', () => {
    const { lines } = frame([Buffer.from(`${REAL[0]}\n${REAL[1]}`)]);
    expect(lines).toHaveLength(2);
  });

  test('a line over the cap is cut, counted and never held whole', () => {
    const long = Buffer.alloc(10_000, 0x61);
    const { lines, framer } = frame([long.subarray(0, 4000), long.subarray(4000), Buffer.from(`\n${REAL[0]}\n`)], 200);
    expect(lines).toHaveLength(2);
    expect(lines[0].text).toHaveLength(200);
    expect(lines[0].truncated).toBe(true);
    expect(lines[1].text).toBe(REAL[0]);
    expect(lines[1].offset).toBe(10_001);
    expect(framer.stats.truncatedLines).toBe(1);
  });

  test('a cut never splits a UTF-8 sequence', () => {
    const { lines } = frame([Buffer.from('정'.repeat(100))], 20);
    expect(lines[0].text).toBe('정'.repeat(6));
    expect(lines[0].invalidUtf8).toBeUndefined();
  });

  test('invalid UTF-8 becomes U+FFFD and is counted; a real U+FFFD is not', () => {
    const { lines, framer } = frame([Buffer.from([0x61, 0xff, 0x62, 0x0a]), Buffer.from('ok \ufffd\n')]);
    expect(lines[0].text).toBe('a\ufffdb');
    expect(lines[0].invalidUtf8).toBe(true);
    expect(lines[1].invalidUtf8).toBeUndefined();
    expect(framer.stats.invalidUtf8).toBe(1);
  });

  test('empty input gives no lines; a lone newline gives one empty line', () => {
    expect(frame([]).lines).toHaveLength(0);
    expect(frame([Buffer.from('\n')]).lines.map((l) => l.text)).toEqual(['']);
  });
});

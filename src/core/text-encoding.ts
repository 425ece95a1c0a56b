// The character encoding of an input. Tomcat's logging.properties has set `encoding = UTF-8` on its
// handlers only since 7.0.92, 8.5.36 and 9.0.14 (tomcat-messages.md §4): before, catalina.out is in
// the platform's charset, so a Tomcat 6/7 on a French Windows writes windows-1252 and a Chinese one
// GBK. Lines are framed on the newline byte, so only encodings that write ASCII as ASCII are read.

import { LensError } from './errors.js';

/** Decodes `buf[start, end)` (one line, without its newline). */
export type LineDecode = (buf: Buffer, start: number, end: number) => string;

/** Encodings whose newline is not the byte 0x0a: lines cannot be framed on bytes. */
const NOT_ASCII_COMPATIBLE = new Set(['utf-16le', 'utf-16be', 'replacement']);

/** Java's names (a JVM's `file.encoding`, `sun.jnu.encoding`) that are no WHATWG label. */
const JAVA_NAMES: Record<string, string> = { cp936: 'gbk', ms936: 'gbk', cp949: 'euc-kr', ms949: 'euc-kr', cp932: 'shift_jis', cp950: 'big5', ms950: 'big5' };

const EXAMPLES = 'utf-8, windows-1252 (latin1), iso-8859-15, gbk, gb18030, big5, shift_jis, euc-jp, euc-kr';

/**
 * The WHATWG name of `label` (`latin1` is `windows-1252`; Java's `MS949` is `euc-kr`); throws INVALID_OPTION
 * for an unknown label or one whose lines cannot be framed on the newline byte.
 */
export function resolveEncoding(label: string): string {
  let name: string | undefined;
  try {
    const key = typeof label === 'string' ? label.trim().toLowerCase() : undefined;
    name = key === undefined ? undefined : new TextDecoder(JAVA_NAMES[key] ?? key).encoding;
  } catch {
    name = undefined; // RangeError: not a label the WHATWG Encoding Standard knows
  }
  if (name === undefined || NOT_ASCII_COMPATIBLE.has(name)) {
    const rule = 'must be an ASCII-compatible encoding of the WHATWG Encoding Standard';
    throw new LensError('INVALID_OPTION', `Invalid option encoding: ${rule}, got ${JSON.stringify(label)}`, {
      reason: `encoding ${rule}`,
      help: `use a name such as ${EXAMPLES}`,
    });
  }
  return name;
}

/** True when `label` names UTF-8 (or is not given): the default, read on the fast path. */
export function isUtf8Encoding(label: string | undefined): boolean {
  return label === undefined || resolveEncoding(label) === 'utf-8';
}

/**
 * A line decoder for `label`, or undefined for UTF-8 (Buffer's own decoder is used). Bytes that are
 * not valid in the encoding decode to U+FFFD, which no legacy charset has a byte for: the framer
 * counts such lines as it counts invalid UTF-8.
 */
export function lineDecoder(label: string | undefined): LineDecode | undefined {
  const name = label === undefined ? 'utf-8' : resolveEncoding(label);
  if (name === 'utf-8') return undefined;
  const decoder = new TextDecoder(name);
  return (buf, start, end) => decoder.decode(buf.subarray(start, end));
}

// A JUL SimpleFormatter copy of a generated archive, for the benchmark's row on the formats without
// a byte path (Tomcat 6/7's catalina.out). Synthesised from the generated files' real records: each
// OneLineFormatter start line `dd-MMM-yyyy HH:mm:ss.SSS LEVEL [thread] logger.method message` becomes
// the two lines SimpleFormatter writes, `MMM d, yyyy h:mm:ss a logger method` and `LEVEL: message`
// (the thread and the milliseconds are not in that format); every other line is copied as it is.
// Written beside the OneLine files (`node1/catalina.jul.log`) and reused while they are unchanged.

import { closeSync, existsSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

const START = /^(\d{2})-(\w{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2})\.\d{3} (\S+) \[.*?\] ([^\s[\]]+)\.([^\s.]+)(?: (.*))?$/;

/** The two JUL lines of a OneLine start line, or the line itself. */
export function toSimpleFormatter(line: string): string {
  const m = START.exec(line);
  if (!m) return line;
  const [, day, month, year, hh, mm, ss, level, logger, method, message] = m;
  const h = Number(hh);
  return `${month} ${Number(day)}, ${year} ${h % 12 || 12}:${mm}:${ss} ${h < 12 ? 'AM' : 'PM'} ${logger} ${method}\n${level}: ${message ?? ''}`;
}

/** The JUL copy of each file (made when missing or older than its source). */
export function julCopies(files: string[]): string[] {
  return files.map((src) => {
    const dest = join(dirname(src), 'catalina.jul.log');
    if (!existsSync(dest) || statSync(dest).mtimeMs < statSync(src).mtimeMs) convert(src, dest);
    return dest;
  });
}

/** Line by line in 4 MiB pieces, as latin1 so that every byte is copied as it was. */
function convert(src: string, dest: string): void {
  const input = openSync(src, 'r');
  const output = openSync(dest, 'w');
  const buf = Buffer.alloc(4 << 20);
  let carry = '';
  for (let n; (n = readSync(input, buf, 0, buf.length, null)) > 0; ) {
    const lines = (carry + buf.toString('latin1', 0, n)).split('\n');
    carry = lines.pop()!;
    writeSync(output, Buffer.from(lines.map(toSimpleFormatter).join('\n') + '\n', 'latin1'));
  }
  if (carry) writeSync(output, Buffer.from(toSimpleFormatter(carry), 'latin1'));
  closeSync(input);
  closeSync(output);
}

// Shared by the format / record-assembler tests: load the bundled format grammars and run lines
// through an assembler, collecting records and unparsed lines.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFormatGrammar, type CompiledFormat } from '../../src/core/format-grammar.js';
import { createRecordAssembler, type RecordAssemblerOptions } from '../../src/core/record-assembler.js';
import type { Line, LogRecord } from '../../src/core/types.js';
export { CORPUS } from '../helpers/corpus.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FORMATS_DIR = join(ROOT, 'grammars', 'formats');

export function formatFiles(): string[] {
  return readdirSync(FORMATS_DIR)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => join(FORMATS_DIR, n));
}

let cached: CompiledFormat[] | undefined;

export function bundledFormats(): CompiledFormat[] {
  if (cached) return cached;
  const out: CompiledFormat[] = [];
  for (const file of formatFiles()) {
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    for (const [name, body] of Object.entries(json)) {
      if (name !== '$schema') out.push(compileFormatGrammar(name, body, file));
    }
  }
  cached = out;
  return out;
}

/** Frames text the way the line framer does: split on \n, strip one trailing \r, byte offsets. */
export function toLines(text: string): Line[] {
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  const lines: Line[] = [];
  let offset = 0;
  parts.forEach((raw, i) => {
    const t = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    lines.push({ text: t, line: i + 1, offset });
    offset += Buffer.byteLength(raw) + 1;
  });
  return lines;
}

export interface Assembled {
  records: LogRecord[];
  unparsed: Line[];
  format: string | undefined;
  lines: number;
}

export function assemble(text: string | Line[], opts: Partial<RecordAssemblerOptions> = {}): Assembled {
  const lines = typeof text === 'string' ? toLines(text) : text;
  const records: LogRecord[] = [];
  const unparsed: Line[] = [];
  const asm = createRecordAssembler(
    { formats: bundledFormats(), file: 'test.log', tz: 'UTC', ...opts },
    { record: (r) => records.push(r), unparsed: (l) => unparsed.push(l) },
  );
  for (const l of lines) asm.push(l);
  asm.end();
  return { records, unparsed, format: asm.format, lines: lines.length };
}

export function accounted(a: Assembled): number {
  return a.records.reduce((n, r) => n + r.lineCount, 0) + a.unparsed.length;
}

export function iso(r: LogRecord | undefined): string | undefined {
  return r?.timeMs === undefined ? undefined : new Date(r.timeMs).toISOString();
}

// Reads one input file to its end through an InputParser, collecting its events and accounting.
// A file that cannot be read, or breaks off (truncated .gz), keeps what was read and carries the error.

import type { Readable } from 'node:stream';
import type { LensError } from '../core/errors.js';
import { InputParser, type InputParserOptions } from '../core/input-parser.js';
import type { ClusterEvent, InputStats } from '../core/types.js';
import { openByteSource, unreadable } from '../io/byte-source.js';
import type { InputFile } from '../io/inputs.js';

export interface ParsedFile {
  input: InputFile;
  stats: InputStats;
  events: ClusterEvent[];
  error?: LensError;
}

export type ParseFileOptions = Omit<InputParserOptions, 'file' | 'node'> & { stdin?: Readable };

export async function parseFile(input: InputFile, opts: ParseFileOptions): Promise<ParsedFile> {
  const events: ClusterEvent[] = [];
  const parser = new InputParser({ ...opts, file: input.path, node: input.node }, (ev) => events.push(ev));
  let error: LensError | undefined;
  try {
    const source = await openByteSource(input.path, opts.stdin);
    // The parser copies what it keeps of a chunk, so the read buffer can be reused.
    for await (const chunk of source.chunks({ reuse: true })) parser.push(chunk);
  } catch (err) {
    error = err instanceof Error && 'code' in err && (err as LensError).name === 'LensError' ? (err as LensError) : unreadable(input.path, err);
  }
  parser.end();
  return { input, stats: parser.stats, events, error };
}

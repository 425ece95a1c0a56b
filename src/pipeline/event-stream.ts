// The object-mode Transform of the library: bytes of one catalina.out in, ClusterEvents out, in file
// order. `fs.createReadStream(p).pipe(createEventStream({ node: 'n1' }))`, or `for await` over it.

import { Transform, type TransformCallback } from 'node:stream';
import { InputParser } from '../core/input-parser.js';
import type { ClusterEvent, InputStats } from '../core/types.js';
import { loadGrammarsSync } from '../io/grammar-files.js';
import { parserOptions, validateReadOptions, type ReadOptions } from './options.js';

export interface EventStreamOptions extends Omit<ReadOptions, 'nodes' | 'since' | 'until' | 'stdin'> {
  /** Name used as `file` in events; default '-'. */
  file?: string;
}

export interface EventStream extends Transform {
  /** The input's accounting so far (final after 'end'). */
  readonly stats: InputStats;
}

export function createEventStream(options: EventStreamOptions = {}): EventStream {
  const opts = validateReadOptions(options);
  const grammars = opts.grammarSet ?? loadGrammarsSync(opts.grammars ?? []);
  let parser!: InputParser;
  const stream = new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer | string, _enc: BufferEncoding, done: TransformCallback) {
      try {
        parser.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        parser.end();
        done();
      } catch (err) {
        done(err as Error);
      }
    },
  }) as EventStream;
  parser = new InputParser(
    {
      ...parserOptions(opts, grammars),
      file: options.file ?? '-',
      node: opts.node ?? 'node',
    },
    (ev: ClusterEvent) => stream.push(ev),
  );
  Object.defineProperty(stream, 'stats', { get: () => parser.stats });
  return stream;
}

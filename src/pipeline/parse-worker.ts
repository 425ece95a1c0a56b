// Worker thread of the parallel archive path: opens the files it is told to, and answers each pull
// with the file's next batch of events (read on demand, so the worker holds one batch per file), then
// with the file's accounting at its end. Grammars are loaded once per worker.

import { parentPort } from 'node:worker_threads';
import { LensError } from '../core/errors.js';
import { loadGrammarsSync } from '../io/grammar-files.js';
import { FileEventReader, type ParseFileOptions } from './parse-file.js';
import type { SerialError, WorkerParseOptions, WorkerReply, WorkerRequest } from './parallel.js';

const PROGRESS_MS = 100;

interface Open {
  /** Dropped at the end of the file (its parser's buffers go with it). */
  reader?: FileEventReader;
  /** The end reply, repeated to pulls that were already on their way. */
  end?: WorkerReply;
  bytes: number;
  /** Pulls of one file are answered in order. */
  chain: Promise<void>;
}

let parseOpts: ParseFileOptions | undefined;
let batch = 1;
const files = new Map<number, Open>();

function post(msg: WorkerReply): void {
  parentPort!.postMessage(msg);
}

function serial(e: unknown): SerialError {
  const l = e instanceof LensError ? e : undefined;
  return { code: l?.code, message: e instanceof Error ? e.message : String(e), file: l?.file, pointer: l?.pointer, reason: l?.reason, help: l?.help };
}

function init(opts: WorkerParseOptions, size: number): void {
  const grammars = loadGrammarsSync(opts.grammars);
  const { grammars: _paths, ...rest } = opts;
  parseOpts = { ...rest, formats: grammars.formats, events: grammars.events };
  batch = size;
}

function open(id: number, input: WorkerRequest & { kind: 'open' }): void {
  let lastPost = 0;
  const f: Open = {
    bytes: 0,
    chain: Promise.resolve(),
    reader: new FileEventReader(input.input, parseOpts!, batch, (bytes) => {
      f.bytes = bytes;
      const now = Date.now();
      if (now - lastPost >= PROGRESS_MS) {
        lastPost = now;
        post({ kind: 'progress', id, bytes });
      }
    }),
  };
  files.set(id, f);
}

async function pull(id: number): Promise<void> {
  const f = files.get(id);
  if (!f) return;
  if (f.reader) {
    const events = await f.reader.next();
    if (events) {
      post({ kind: 'batch', id, events: JSON.stringify(events), bytes: f.bytes });
      return;
    }
    const e = f.reader.error;
    f.end = { kind: 'end', id, stats: f.reader.stats, bytes: f.bytes, error: e && serial(e) };
    f.reader = undefined;
  }
  post(f.end!);
}

parentPort!.on('message', (req: WorkerRequest) => {
  try {
    if (req.kind === 'init') init(req.opts, req.batch);
    else if (req.kind === 'open') open(req.id, req);
    else {
      const f = files.get(req.id);
      if (!f) return;
      f.chain = f.chain.then(() => pull(req.id)).catch((err: unknown) => post({ kind: 'fail', failure: serial(err) }));
    }
  } catch (err) {
    post({ kind: 'fail', failure: serial(err) });
  }
});

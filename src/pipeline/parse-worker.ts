// Worker thread of the parallel archive path: parses the input files it is sent, one at a time, and
// posts back each file's events and accounting. Grammars are loaded once per worker.

import { parentPort } from 'node:worker_threads';
import { LensError } from '../core/errors.js';
import { loadGrammarsSync } from '../io/grammar-files.js';
import type { InputFile } from '../io/inputs.js';
import { parseFile } from './parse-file.js';
import type { WorkerParseOptions, WorkerReply, WorkerRequest } from './parallel.js';

let grammars: ReturnType<typeof loadGrammarsSync> | undefined;

async function handle(input: InputFile, opts: WorkerParseOptions): Promise<WorkerReply> {
  grammars ??= loadGrammarsSync(opts.grammars);
  const { grammars: _paths, ...rest } = opts;
  const parsed = await parseFile(input, { ...rest, formats: grammars.formats, events: grammars.events });
  const e = parsed.error;
  return {
    stats: parsed.stats,
    events: parsed.events,
    error: e && { code: e.code, message: e.message, file: e.file, pointer: e.pointer, reason: e.reason, help: e.help },
  };
}

parentPort!.on('message', (req: WorkerRequest) => {
  handle(req.input, req.opts).then(
    (reply) => parentPort!.postMessage({ ...reply, id: req.id }),
    (err: unknown) => {
      const e = err instanceof LensError ? err : undefined;
      parentPort!.postMessage({
        id: req.id,
        failure: { code: e?.code, message: err instanceof Error ? err.message : String(err), file: e?.file, reason: e?.reason, help: e?.help },
      });
    },
  );
});

// Parses several input files on both cores: worker threads (node:worker_threads) each parse whole
// files, largest first, and send back events and accounting; the caller merges by time as usual.
// Small archives, stdin, pre-compiled grammar sets and single files stay in-process (a worker costs
// module loading and grammar compiling, ~100 ms).

import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LensError, type LensErrorCode } from '../core/errors.js';
import type { ClusterEvent, InputStats } from '../core/types.js';
import type { InputFile } from '../io/inputs.js';
import type { ParsedFile, ParseFileOptions } from './parse-file.js';

/** Below this many bytes in total, files are parsed in-process. */
export const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;

export type WorkerParseOptions = Omit<ParseFileOptions, 'formats' | 'events' | 'stdin'> & { grammars: string[] };

export interface WorkerRequest {
  id: number;
  input: InputFile;
  opts: WorkerParseOptions;
}

interface SerialError {
  code?: LensErrorCode;
  message: string;
  file?: string;
  pointer?: string;
  reason?: string;
  help?: string;
}

export interface WorkerReply {
  stats: InputStats;
  events: ClusterEvent[];
  error?: SerialError;
}

/**
 * How many workers to use for `inputs` (0: parse in-process): one per core, when there are several
 * files and enough bytes. Env CATALINA_LENS_WORKERS=N forces N workers (0: none) whatever the size.
 */
export async function workerCount(inputs: InputFile[], minBytes = PARALLEL_MIN_BYTES): Promise<number> {
  const env = process.env.CATALINA_LENS_WORKERS;
  const forced = env !== undefined && /^\d+$/.test(env) ? Number(env) : undefined;
  const cpus = forced ?? availableParallelism();
  if (cpus < 2 || inputs.length < 2 || inputs.some((i) => i.path === '-')) return 0;
  if (forced !== undefined) return Math.min(forced, inputs.length);
  let total = 0;
  for (const i of inputs) total += await sizeOf(i.path);
  if (total < minBytes) return 0;
  return Math.min(cpus, inputs.length);
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** A worker running the module beside this one: compiled JS, or the TypeScript source (tests) through tsx. */
function startWorker(): Worker {
  const self = import.meta.url;
  // A small young generation: the parse loop's garbage is short-lived, and peak RSS stays flat.
  if (!self.endsWith('.ts')) return new Worker(new URL('./parse-worker.js', self), { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
  const src = new URL('./parse-worker.ts', self).href;
  const tsx = pathToFileURL(join(dirname(createRequire(self).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(src)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
}

/** Parses `inputs` on `count` workers; results in input order. */
export async function parseInWorkers(inputs: InputFile[], opts: WorkerParseOptions, count: number): Promise<ParsedFile[]> {
  const sizes = await Promise.all(inputs.map((i) => sizeOf(i.path)));
  const queue = inputs.map((_, i) => i).sort((a, b) => sizes[b] - sizes[a]);
  const results: ParsedFile[] = new Array(inputs.length);
  // One worker per file: when a file is done its worker exits, and its heap (the file's garbage and
  // its copy of the events) goes back to the system instead of staying in the process's peak RSS.
  const live = new Set<Worker>();
  try {
    await Promise.all(
      Array.from({ length: count }, async () => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
          const worker = startWorker();
          live.add(worker);
          try {
            const reply = await request(worker, { id: next, input: inputs[next], opts });
            results[next] = {
              input: inputs[next],
              stats: reply.stats,
              events: reply.events,
              error: reply.error ? toLensError(reply.error) : undefined,
            };
          } finally {
            live.delete(worker);
            await worker.terminate();
          }
        }
      }),
    );
  } finally {
    await Promise.all([...live].map((w) => w.terminate()));
  }
  return results;
}

function request(worker: Worker, req: WorkerRequest): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (msg: WorkerReply & { id: number; failure?: SerialError }): void => {
      if (msg.id !== req.id) return;
      cleanup();
      if (msg.failure) reject(toLensError(msg.failure));
      else resolve(msg);
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`parse worker exited with code ${code}`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(req);
  });
}

function toLensError(e: SerialError): LensError {
  return new LensError(e.code ?? 'INPUT_UNREADABLE', e.message, { file: e.file, pointer: e.pointer, reason: e.reason, help: e.help });
}

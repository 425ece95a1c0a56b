// Starts a worker thread running a module of this folder: the compiled JS beside this module (the
// bundled CLI keeps every entry flat in dist/cli/, its workers as CommonJS beside its own CommonJS
// bundle), or the TypeScript source through tsx (tests).

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker, WorkerOptions } from 'node:worker_threads';

/**
 * node:worker_threads, required when first asked for rather than imported at start (~2 ms): small
 * inputs never start a worker nor ask whether one could run.
 */
export function workerThreads(): typeof import('node:worker_threads') {
  return createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
}

/** `name` without extension: 'parse-worker' or 'scan-worker'. */
export function startWorker(name: string, options: WorkerOptions = {}): Worker {
  const self = import.meta.url;
  const { Worker } = workerThreads();
  if (self.endsWith('.cjs')) return new Worker(new URL(`./${name}.cjs`, self), options);
  if (!self.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, self), options);
  const src = new URL(`./${name}.ts`, self).href;
  const tsx = pathToFileURL(join(dirname(createRequire(self).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(src)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), options);
}

// V8's inlining budget for large inputs. On the 1 GiB benchmark, TurboFan (V8's optimising compiler,
// on its own threads) took ~15% of the run's CPU compiling our hot functions, most of it for what
// it inlined into them; with a budget of 300 bytecodes a function, not 920, it took about a third
// less, and the run less CPU in all (benchmarks/README.md, "V8's inlining budget").
//
// Only the CLI sets it (a library must not change its host process's V8 flags), and only when the
// inputs are large: at the first progress report, which carries their total size before any of
// them is parsed. Not at start-up: V8 keys its code caches to the flags, so the CLI's own cache
// (bundle-loader.ts) would be refused, and node:v8 costs ~3 ms to load. Node's caches of its own
// modules are refused from then on too (a worker thread starts ~15 ms slower), which the runs
// measured include. Only on the V8 it was measured with (Node 20's): elsewhere the trade differs,
// and a flag V8 no longer knows would print an error.

import { createRequire } from 'node:module';

/** Inputs from this size on (in all) run with the lower budget: the scan thread's threshold. */
export const TUNE_MIN_BYTES = 32 * 1024 * 1024;
export const V8_TUNING_FLAGS = '--max-inlined-bytecode-size-cumulative=300';

let tuned = false;

/** Lowers the inlining budget once, when `totalBytes` is large, on the V8 of Node 20. Returns whether it is set. */
export function tuneV8ForInputs(totalBytes: number, v8Version = process.versions.v8): boolean {
  if (!tuned && totalBytes >= TUNE_MIN_BYTES && v8Version.startsWith('11.3.') && process.env.CATALINA_LENS_V8_TUNING !== '0') {
    tuned = true;
    (createRequire(import.meta.url)('node:v8') as typeof import('node:v8')).setFlagsFromString(V8_TUNING_FLAGS);
  }
  return tuned;
}

/** `onProgress` that also tunes V8 by the inputs' total size (the first call carries it). */
export function withV8Tuning(onProgress: (readBytes: number, totalBytes: number) => void): (readBytes: number, totalBytes: number) => void {
  return (readBytes, totalBytes) => {
    tuneV8ForInputs(totalBytes);
    onProgress(readBytes, totalBytes);
  };
}

// The archive path shared by `events`, `analyze` and the library: resolve the inputs, parse each
// file, pick one copy of overlapping files per node, merge all nodes' events into one time order.

import type { Readable } from 'node:stream';
import { LensError } from '../core/errors.js';
import { mergeByTime } from '../core/merge-events.js';
import type { ClusterEvent, InputStats } from '../core/types.js';
import { loadGrammarsSync, type Grammars } from '../io/grammar-files.js';
import { expandInputs } from '../io/inputs.js';
import { parseFile, type ParsedFile } from './parse-file.js';
import { parseInWorkers, workerCount } from './parallel.js';
import { selectNodeFiles, type NodeFiles } from './select-files.js';
import { validateReadOptions, type ReadOptions } from './options.js';

export interface Collected {
  grammars: Grammars;
  files: ParsedFile[];
  nodes: NodeFiles[];
  /** Every used input's events, merged across nodes in time order and filtered by since/until. */
  events: ClusterEvent[];
  /** Per input accounting, with `used` and `note` filled in. */
  inputs: InputStats[];
  /** Arguments that named nothing readable, and inputs that could not be read (to their end). */
  errors: LensError[];
}

export async function collectEvents(paths: string | string[], options: ReadOptions = {}): Promise<Collected> {
  const opts = validateReadOptions(options);
  const list = typeof paths === 'string' ? [paths] : paths;
  const nodes = { ...opts.nodes };
  if (opts.node && list.length === 1) nodes[opts.node] = list[0];
  // An argument that names nothing is reported in `errors`; the other arguments are still read.
  const { inputs, errors: notFound } = await expandInputs(list, { nodes });
  const grammars = opts.grammarSet ?? loadGrammarsSync(opts.grammars ?? []);
  const parseOpts = {
    formats: grammars.formats,
    events: grammars.events,
    tz: opts.tz,
    logFormat: opts.logFormat,
    dateOrder: opts.dateOrder,
    all: opts.all,
    maxLineBytes: opts.maxLineBytes,
    fastPath: opts.fastPath,
    stdin: opts.stdin as Readable | undefined,
  };
  // Several large files: one worker thread per core, each parsing whole files (same results).
  const workers = opts.grammarSet ? 0 : await workerCount(inputs);
  let files: ParsedFile[];
  if (workers > 0) {
    const { formats: _f, events: _e, stdin: _s, ...rest } = parseOpts;
    files = await parseInWorkers(inputs, { ...rest, grammars: opts.grammars ?? [] }, workers);
  } else {
    files = [];
    for (const input of inputs) files.push(await parseFile(input, parseOpts));
  }
  const selected = selectNodeFiles(files);
  const skipped = new Map(selected.flatMap((n) => n.skipped.map((s) => [s.file, s.reason] as const)));
  const stats = files.map((f) => {
    const s: InputStats = { ...f.stats, used: !skipped.has(f.input.path) };
    if (skipped.has(f.input.path)) s.note = skipped.get(f.input.path);
    if (f.error) s.error = f.error.message;
    return s;
  });
  const perNode = selected.map((n) => n.used.flatMap((f) => f.events));
  const events = mergeByTime(perNode).filter((ev) => inWindow(ev, opts.since, opts.until));
  return { grammars, files, nodes: selected, events, inputs: stats, errors: [...notFound, ...files.flatMap((f) => (f.error ? [f.error] : []))] };
}

function inWindow(ev: ClusterEvent, since?: number, until?: number): boolean {
  if (ev.timeMs === undefined) return true; // no time to judge by: kept, in file order
  if (since !== undefined && ev.timeMs < since) return false;
  if (until !== undefined && ev.timeMs > until) return false;
  return true;
}

/**
 * The library's async iterator: every cluster event of `paths`, in time order across nodes. When
 * an input could not be read (or an argument named nothing), the events of the others are yielded
 * first, then the iterator throws that input's `LensError`.
 */
export async function* readEvents(paths: string | string[], options: ReadOptions = {}): AsyncGenerator<ClusterEvent> {
  const { events, errors } = await collectEvents(paths, options);
  yield* events;
  if (errors.length > 0) throw errors[0];
}

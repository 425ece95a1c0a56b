// `analyze` as a library call: the archive path, then the cluster model over the merged events.

import { ClusterModel, type ModelOptions } from '../core/model/cluster-model.js';
import type { ClusterSnapshot } from '../core/snapshot.js';
import type { ClusterEvent } from '../core/types.js';
import { streamEvents, type Collected } from './read-events.js';
import type { ReadOptions } from './options.js';
import { VERSION } from '../version.js';

export interface AnalyzeOptions extends ReadOptions, Omit<ModelOptions, 'nodes' | 'live' | 'version'> {
  /**
   * Keep every event in `collected.events` and each file's `events` (default true). With false the
   * events go to the model as they are merged and are not kept, so memory does not grow with the
   * input; `collected.events` and `files[].events` are then empty.
   */
  keepEvents?: boolean;
}

export interface AnalyzeResult {
  snapshot: ClusterSnapshot;
  collected: Collected;
}

/** Builds the cluster model of `paths` and returns both the snapshot and what was read. */
export async function analyzeDetailed(paths: string | string[], opts: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  const keep = opts.keepEvents !== false;
  const events: ClusterEvent[] = [];
  let model: ClusterModel | undefined;
  const collected = await streamEvents(
    paths,
    opts,
    {
      start(nodes, inputs) {
        model = new ClusterModel({
          nodes: nodes.map((name) => ({ name })),
          slowMs: opts.slowMs,
          flapCount: opts.flapCount,
          flapWindowMs: opts.flapWindowMs,
          disagreeGraceMs: opts.disagreeGraceMs,
          maxMembers: opts.maxMembers,
          version: VERSION,
        });
        // Files and nodes in input order before any event, as the model lists them; the final
        // counts replace these once every file is read.
        for (const stats of inputs) model.updateInput(stats);
      },
      event(ev) {
        if (keep) events.push(ev);
        model!.apply(ev);
      },
    },
    keep,
  );
  collected.events = events;
  for (const stats of collected.inputs) model!.updateInput(stats);
  return { snapshot: model!.snapshot(), collected };
}

/** The cluster model snapshot of `paths` (the `analyze --json` object). */
export async function analyze(paths: string | string[], opts: AnalyzeOptions = {}): Promise<ClusterSnapshot> {
  const { snapshot, collected } = await analyzeDetailed(paths, opts);
  // Unreadable inputs carry their error in snapshot.inputs; an argument that named nothing has no
  // input to carry it, so it is thrown rather than lost.
  const orphan = collected.errors.find((e) => !collected.inputs.some((i) => i.file === e.file));
  if (orphan) throw orphan;
  return snapshot;
}

// `analyze` as a library call: the archive path, then the cluster model over the merged events.

import { ClusterModel, type ModelOptions } from '../core/model/cluster-model.js';
import type { ClusterSnapshot } from '../core/snapshot.js';
import { collectEvents, type Collected } from './read-events.js';
import type { ReadOptions } from './options.js';
import { VERSION } from '../version.js';

export interface AnalyzeOptions extends ReadOptions, Omit<ModelOptions, 'nodes' | 'live' | 'version'> {}

export interface AnalyzeResult {
  snapshot: ClusterSnapshot;
  collected: Collected;
}

/** Builds the cluster model of `paths` and returns both the snapshot and what was read. */
export async function analyzeDetailed(paths: string | string[], opts: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  const collected = await collectEvents(paths, opts);
  const model = new ClusterModel({
    nodes: collected.nodes.map((n) => ({ name: n.node })),
    slowMs: opts.slowMs,
    flapCount: opts.flapCount,
    flapWindowMs: opts.flapWindowMs,
    disagreeGraceMs: opts.disagreeGraceMs,
    maxMembers: opts.maxMembers,
    version: VERSION,
  });
  for (const stats of collected.inputs) model.updateInput(stats);
  for (const ev of collected.events) model.apply(ev);
  return { snapshot: model.snapshot(), collected };
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

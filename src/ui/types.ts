// Props and data shapes shared by the dashboard's components. Plain types: no ink or react here.

import type { ClusterSnapshot } from '../core/snapshot.js';
import type { ClusterEvent } from '../core/types.js';

/** What the dashboard displays: a model snapshot plus the recent recognised events. */
export interface DashboardData {
  snapshot: ClusterSnapshot;
  /**
   * Recognised events in time order; the dashboard shows only the last `maxEvents`. The source
   * may append to the same array in place: the dashboard copies what it shows when it reads.
   */
  events: readonly ClusterEvent[];
  /** When the source last changed (epoch ms), shown by the live marker; default: when it was read. */
  lastUpdateMs?: number;
}

/**
 * The model lives outside React. `getSnapshot()` must be cheap (return the last computed data);
 * `subscribe(cb)` calls `cb` whenever new data is available and returns an unsubscribe function.
 * The dashboard reads at most every 250 ms however often `cb` fires.
 */
export interface DashboardSource {
  getSnapshot(): DashboardData;
  subscribe(onChange: () => void): () => void;
}

/** Looks up the log text of a `file:line` evidence reference; undefined when unknown. */
export type EvidenceLookup = (ref: string) => string | undefined;

/** Formats an epoch-ms instant as a wall-clock time (`HH:mm:ss`). */
export type TimeFormatter = (ms: number) => string;

export type PaneId = 'timeline' | 'transfers' | 'findings' | 'events';

export const PANES: readonly PaneId[] = ['timeline', 'transfers', 'findings', 'events'];

// Merges the event lists of several nodes into one time order. A k-way merge rather than a sort:
// each node's own order is kept even where its clock goes backwards, equal times keep input order,
// and events without a time stay where their file put them (they sort at their predecessor's time).

import type { ClusterEvent } from './types.js';

export function mergeByTime(lists: ClusterEvent[][]): ClusterEvent[] {
  const keys = lists.map(sortKeys);
  const heads = lists.map(() => 0);
  const out: ClusterEvent[] = [];
  const total = lists.reduce((n, l) => n + l.length, 0);
  while (out.length < total) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) {
      if (heads[i] >= lists[i].length) continue;
      if (best === -1 || keys[i][heads[i]] < keys[best][heads[best]]) best = i;
    }
    out.push(lists[best][heads[best]++]);
  }
  return out;
}

/** Each event's merge key: its time, or the time of the last timed event before it in its list. */
function sortKeys(list: ClusterEvent[]): number[] {
  let last = Number.NEGATIVE_INFINITY;
  return list.map((ev) => (last = mergeKey(ev, last)));
}

/** An event's merge key, given the key of the event before it in its list. */
function mergeKey(ev: ClusterEvent, before: number): number {
  const t = ev.timeMs;
  return t !== undefined && Number.isFinite(t) ? t : before;
}

/** A list of events read in batches, in its own order: `next()` gives at least one event, or undefined at its end. */
export interface EventBatches {
  next(): Promise<ClusterEvent[] | undefined>;
}

/**
 * `mergeByTime` over lists that arrive in batches: each event is handed to `emit` as soon as every
 * unfinished list has an event to compare it with, so only a batch per list is held. The order is
 * exactly `mergeByTime`'s on the concatenated batches. When `emit` returns a promise (its consumer
 * is full), the merge waits for it.
 */
export async function mergeBatches(lists: EventBatches[], emit: (ev: ClusterEvent) => void | Promise<void>): Promise<void> {
  const n = lists.length;
  const batch: ClusterEvent[][] = lists.map(() => []);
  const pos = new Array<number>(n).fill(0);
  const last = new Array<number>(n).fill(Number.NEGATIVE_INFINITY);
  const done = new Array<boolean>(n).fill(false);
  const fill = async (i: number): Promise<void> => {
    while (!done[i] && pos[i] >= batch[i].length) {
      const b = await lists[i].next();
      if (b === undefined) {
        done[i] = true;
        batch[i] = [];
      } else {
        batch[i] = b;
      }
      pos[i] = 0;
    }
  };
  await Promise.all(lists.map((_, i) => fill(i)));
  for (;;) {
    let best = -1;
    let bestKey = 0;
    for (let i = 0; i < n; i++) {
      if (done[i]) continue;
      const key = mergeKey(batch[i][pos[i]], last[i]);
      if (best === -1 || key < bestKey) {
        best = i;
        bestKey = key;
      }
    }
    if (best === -1) return;
    last[best] = bestKey;
    const full = emit(batch[best][pos[best]++]);
    if (full !== undefined && typeof full.then === 'function') await full;
    if (pos[best] >= batch[best].length) await fill(best);
  }
}

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
  return list.map((ev) => {
    if (ev.timeMs !== undefined && Number.isFinite(ev.timeMs)) last = ev.timeMs;
    return last;
  });
}

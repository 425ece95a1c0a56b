import { useEffect, useState } from 'react';
import type { DashboardData, DashboardSource } from '../types.js';

export interface SnapshotState extends DashboardData {
  /** When the data last changed: the source's `lastUpdateMs`, else when it was read (epoch ms). */
  updatedAt: number;
  /** Length and last element of `events` when read (the source may append in place). */
  eventsLength: number;
  lastEvent: unknown;
}

function stateOf(data: DashboardData, now: () => number): SnapshotState {
  const { events } = data;
  return {
    ...data,
    updatedAt: data.lastUpdateMs || now(),
    eventsLength: events.length,
    lastEvent: events[events.length - 1],
  };
}

function unchanged(prev: SnapshotState, data: DashboardData): boolean {
  return (
    prev.snapshot === data.snapshot &&
    prev.events === data.events &&
    prev.eventsLength === data.events.length &&
    prev.lastEvent === data.events[data.events.length - 1] &&
    (data.lastUpdateMs === undefined || prev.lastUpdateMs === data.lastUpdateMs)
  );
}

/**
 * Reads a dashboard source and re-reads it when it signals a change, at most once per
 * `intervalMs` (a burst of changes yields one leading and one trailing read). The model is never
 * computed here: `getSnapshot()` hands over what the source already computed.
 */
export function useSnapshot(source: DashboardSource, intervalMs = 250, now: () => number = Date.now): SnapshotState {
  const [state, setState] = useState<SnapshotState>(() => stateOf(source.getSnapshot(), now));

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastRead = 0;
    let disposed = false;
    const read = (): void => {
      timer = undefined;
      if (disposed) return;
      lastRead = Date.now();
      const data = source.getSnapshot();
      setState((prev) => (unchanged(prev, data) ? prev : stateOf(data, now)));
    };
    const onChange = (): void => {
      if (timer !== undefined || disposed) return;
      timer = setTimeout(read, Math.max(0, lastRead + intervalMs - Date.now()));
    };
    const unsubscribe = source.subscribe(onChange);
    // Changes between the first render and the subscription are not lost.
    onChange();
    return () => {
      disposed = true;
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [source, intervalMs, now]);

  return state;
}

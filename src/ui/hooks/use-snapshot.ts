import { useEffect, useState } from 'react';
import type { DashboardData, DashboardSource } from '../types.js';

export interface SnapshotState extends DashboardData {
  /** Wall-clock time (epoch ms) when this data was read from the source. */
  updatedAt: number;
}

/**
 * Reads a dashboard source and re-reads it when it signals a change, at most once per
 * `intervalMs` (a burst of changes yields one leading and one trailing read). The model is never
 * computed here: `getSnapshot()` hands over what the source already computed.
 */
export function useSnapshot(source: DashboardSource, intervalMs = 250, now: () => number = Date.now): SnapshotState {
  const [state, setState] = useState<SnapshotState>(() => ({ ...source.getSnapshot(), updatedAt: now() }));

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastRead = 0;
    let disposed = false;
    const read = (): void => {
      timer = undefined;
      if (disposed) return;
      lastRead = Date.now();
      const data = source.getSnapshot();
      setState((prev) =>
        prev.snapshot === data.snapshot && prev.events === data.events ? prev : { ...data, updatedAt: now() },
      );
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

import type { LatencyStats, Transfer } from '../../core/snapshot.js';
import { percentile } from './percentile.js';

export interface TransferGroup {
  key: string;
  requester: string;
  /** Provider node name, else the member address, else `-` (skipped: no member). */
  provider: string;
  manager: string;
  stats: LatencyStats;
  /** Transfers in this group that are neither received nor timed out. */
  other: number;
}

/** Transfers sorted by request time (stable). */
export function sortTransfers(transfers: readonly Transfer[]): Transfer[] {
  return transfers
    .map((t, i) => ({ t, i }))
    .sort((a, b) => (a.t.requestedAtMs ?? Infinity) - (b.t.requestedAtMs ?? Infinity) || a.i - b.i)
    .map(({ t }) => t);
}

export function groupKey(t: Transfer): string {
  return `${t.node}\u0000${t.provider ?? t.member ?? '-'}\u0000${t.manager}`;
}

/**
 * requester → provider per manager: count, p50/p95 (nearest rank), min, max of received
 * durations, and timeouts.
 */
export function groupTransfers(transfers: readonly Transfer[]): TransferGroup[] {
  const map = new Map<string, { t: Transfer; list: Transfer[] }>();
  for (const t of transfers) {
    const key = groupKey(t);
    const g = map.get(key);
    if (g) g.list.push(t);
    else map.set(key, { t, list: [t] });
  }
  return [...map.entries()].map(([key, { t, list }]) => {
    const durations = list
      .filter((x) => x.outcome === 'received' && x.durationMs !== undefined)
      .map((x) => x.durationMs as number)
      .sort((a, b) => a - b);
    const timeouts = list.filter((x) => x.outcome === 'timeout').length;
    return {
      key,
      requester: t.node,
      provider: t.provider ?? t.member ?? '-',
      manager: t.manager,
      stats: {
        count: list.length,
        min: durations[0],
        p50: percentile(durations, 50),
        p95: percentile(durations, 95),
        max: durations[durations.length - 1],
        timeouts,
      },
      other: list.length - durations.length - timeouts,
    };
  });
}

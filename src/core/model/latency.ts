// Latency statistics of state transfers: nearest-rank percentiles over received transfers.

import type { LatencyStats, LatencySummary, Transfer } from '../snapshot.js';

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

export function latencyStats(durations: number[], timeouts: number): LatencyStats {
  const sorted = [...durations].sort((a, b) => a - b);
  const stats: LatencyStats = { count: sorted.length, timeouts };
  if (sorted.length > 0) {
    stats.min = sorted[0];
    stats.p50 = percentile(sorted, 50);
    stats.p95 = percentile(sorted, 95);
    stats.max = sorted[sorted.length - 1];
  }
  return stats;
}

class Acc {
  durations: number[] = [];
  timeouts = 0;
}

export function summarizeLatency(transfers: readonly Transfer[]): LatencySummary {
  const overall = new Acc();
  const by = { requester: new Map<string, Acc>(), provider: new Map<string, Acc>(), manager: new Map<string, Acc>() };
  const get = (m: Map<string, Acc>, k: string) => {
    let a = m.get(k);
    if (!a) m.set(k, (a = new Acc()));
    return a;
  };
  for (const t of transfers) {
    if (t.outcome !== 'received' && t.outcome !== 'timeout') continue;
    const accs = [overall, get(by.requester, t.node), get(by.provider, t.provider ?? t.member ?? '(unknown)'), get(by.manager, t.manager)];
    for (const a of accs) {
      if (t.outcome === 'timeout') a.timeouts++;
      else if (typeof t.durationMs === 'number') a.durations.push(t.durationMs);
    }
  }
  const done = (m: Map<string, Acc>) => {
    const out: Record<string, LatencyStats> = {};
    for (const k of [...m.keys()].sort()) out[k] = latencyStats(m.get(k)!.durations, m.get(k)!.timeouts);
    return out;
  };
  return {
    overall: latencyStats(overall.durations, overall.timeouts),
    byRequester: done(by.requester),
    byProvider: done(by.provider),
    byManager: done(by.manager),
  };
}

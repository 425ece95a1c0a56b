import type { Finding, Severity } from '../../core/snapshot.js';

export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Most severe first; within a severity, earliest first; findings without a time last. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        (SEVERITY_RANK[a.f.severity] ?? 3) - (SEVERITY_RANK[b.f.severity] ?? 3) ||
        (a.f.timeMs ?? Infinity) - (b.f.timeMs ?? Infinity) ||
        a.i - b.i,
    )
    .map(({ f }) => f);
}

/**
 * The finding after `current` in time order (wrapping), as an index into `sorted`. Findings
 * without a time are skipped; -1 when none has a time.
 */
export function nextFindingByTime(sorted: readonly Finding[], current: number, currentMs: number | undefined): number {
  const timed = sorted
    .map((f, i) => ({ t: f.timeMs, i }))
    .filter((x): x is { t: number; i: number } => x.t !== undefined)
    .sort((a, b) => a.t - b.t || a.i - b.i);
  if (timed.length === 0) return -1;
  if (currentMs === undefined) return timed[0].i;
  const after = timed.find((x) => x.t > currentMs || (x.t === currentMs && x.i > current));
  return (after ?? timed[0]).i;
}

/** A duration for a table cell: `107ms`, `1.5s`, `2m05s`, `3h10m`; `-` when unknown. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms < 60_000) return `${Math.round(ms / 1000)}s`;
  const totalS = Math.round(ms / 1000);
  if (totalS < 3600) return `${Math.floor(totalS / 60)}m${String(totalS % 60).padStart(2, '0')}s`;
  const totalM = Math.round(totalS / 60);
  if (totalM < 48 * 60) return `${Math.floor(totalM / 60)}h${String(totalM % 60).padStart(2, '0')}m`;
  return `${Math.round(totalM / 1440)}d`;
}

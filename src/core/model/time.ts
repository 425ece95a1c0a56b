// Times in the snapshot are carried twice: ISO text and epoch ms. Events bring their own ISO text
// (with the zone offset the log was read in); derived times reuse the offset of a nearby event.

/** ISO 8601 for `ms` at a zone offset given in minutes east of UTC (`+10:00`), or `Z`. */
export function isoAt(ms: number, offsetMin = 0): string {
  if (!Number.isFinite(ms)) return '';
  if (offsetMin === 0) return new Date(ms).toISOString();
  const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, -1);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The zone offset (minutes) written in an ISO string, 0 when it has none or says `Z`. */
export function offsetOf(iso: string | undefined): number {
  if (!iso) return 0;
  const m = /([+-])(\d{2}):?(\d{2})$/.exec(iso);
  if (!m) return 0;
  const v = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -v : v;
}

/** `350 ms`, `1.2 s`, `42 s`, `2 min 5 s`, `1 h 2 min`, for messages and the progress line. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const a = Math.abs(ms);
  if (a < 1000) return `${Math.round(ms)} ms`;
  if (a < 60_000) return `${(ms / 1000).toFixed(a < 10_000 ? 1 : 0)} s`;
  const sign = ms < 0 ? '-' : '';
  if (a >= 3_600_000) {
    const totalMin = Math.floor(a / 60_000);
    return `${sign}${Math.floor(totalMin / 60)} h${totalMin % 60 ? ` ${totalMin % 60} min` : ''}`;
  }
  const m = Math.floor(a / 60_000);
  const s = Math.round((a % 60_000) / 1000);
  return `${sign}${m} min${s ? ` ${s} s` : ''}`;
}

import type { TimeFormatter } from '../types.js';

const pad2 = (n: number): string => String(n).padStart(2, '0');
const pad3 = (n: number): string => String(n).padStart(3, '0');

/** Minutes east of UTC from an ISO 8601 string's zone (`Z`, `+10:00`, `-0330`); undefined when it has none. */
export function isoOffsetMinutes(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const m = /(?:T|\s)\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(Z|([+-])(\d{2}):?(\d{2}))$/.exec(iso);
  if (!m) return undefined;
  if (m[1] === 'Z') return 0;
  const sign = m[2] === '-' ? -1 : 1;
  return sign * (Number(m[3]) * 60 + Number(m[4]));
}

/** `HH:mm:ss` (with `.SSS` when `millis`) at a fixed offset from UTC. */
export function formatAtOffset(ms: number, offsetMin: number, millis = false): string {
  const d = new Date(ms + offsetMin * 60_000);
  const base = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  return millis ? `${base}.${pad3(d.getUTCMilliseconds())}` : base;
}

/** `HH:mm:ss` in the process's local zone. */
export function formatLocal(ms: number): string {
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/**
 * The default clock for a snapshot: the zone offset of its ISO times (the zone the logs were read
 * in), else the local zone.
 */
export function clockForIso(iso: string | undefined): TimeFormatter {
  const offset = isoOffsetMinutes(iso);
  if (offset === undefined) return formatLocal;
  return (ms) => formatAtOffset(ms, offset);
}

/** Adds `.SSS` to a formatter's `HH:mm:ss` output. */
export function withMillis(format: TimeFormatter): TimeFormatter {
  return (ms) => `${format(ms)}.${pad3(((ms % 1000) + 1000) % 1000)}`;
}

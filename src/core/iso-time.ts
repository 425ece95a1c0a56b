// ISO 8601 rendering of an instant in a fixed zone offset, for ClusterEvent.time:
// `2026-11-26T15:07:30.490+00:00`. Pure arithmetic; no Intl, no Date parsing.

function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

/**
 * Renders `epochMs` as local time at `offsetMin` minutes east of UTC, with that offset:
 * `isoWithOffset(Date.UTC(2026, 10, 26, 15, 7, 30, 490), 60)` is `2026-11-26T16:07:30.490+01:00`.
 * Years outside 0000-9999 use the expanded `±YYYYYY` form, as `Date.prototype.toISOString` does.
 */
export function isoWithOffset(epochMs: number, offsetMin: number): string {
  const off = Math.round(offsetMin);
  const local = epochMs + off * 60_000;
  const second = Math.floor(local / 1000);
  // Events come in bursts within a second: the text up to the milliseconds is reused.
  if (second !== last.second || off !== last.off) {
    const text = render(local, off);
    last = { second, off, head: text.slice(0, text.length - 9), tail: text.slice(text.length - 6) };
  }
  return last.head + pad(local - second * 1000, 3) + last.tail;
}

let last = { second: Number.NaN, off: Number.NaN, head: '', tail: '' };

function render(local: number, off: number): string {
  const d = new Date(local);
  const y = d.getUTCFullYear();
  const year = y >= 0 && y <= 9999 ? pad(y, 4) : (y < 0 ? '-' : '+') + pad(Math.abs(y), 6);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return (
    `${year}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}` +
    `${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`
  );
}

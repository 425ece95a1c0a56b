// ISO 8601 rendering of an instant in a fixed zone offset, for ClusterEvent.time:
// `2026-11-26T15:07:30.490+00:00`. Pure arithmetic; no Intl, no Date parsing.

function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

const MS_PER_DAY = 86_400_000;
/** `00`..`59` and `000`..`999`: the time of day is assembled from these, not formatted per event. */
const TWO = Array.from({ length: 60 }, (_, n) => pad(n, 2));
const THREE = Array.from({ length: 1000 }, (_, n) => pad(n, 3));

/**
 * Renders `epochMs` as local time at `offsetMin` minutes east of UTC, with that offset:
 * `isoWithOffset(Date.UTC(2026, 10, 26, 15, 7, 30, 490), 60)` is `2026-11-26T16:07:30.490+01:00`.
 * Years outside 0000-9999 use the expanded `±YYYYYY` form, as `Date.prototype.toISOString` does.
 */
export function isoWithOffset(epochMs: number, offsetMin: number): string {
  const off = Math.round(offsetMin);
  const local = epochMs + off * 60_000;
  const day = Math.floor(local / MS_PER_DAY);
  // The date and the offset are the same for a day of events: rendered once (a Date, its fields
  // and eight pads cost more than the rest of the event's recognition, events being seconds apart).
  if (day !== last.day || off !== last.off) last = { day, off, date: renderDate(day * MS_PER_DAY), zone: renderOffset(off), minute: -1, head: '' };
  const ms = local - day * MS_PER_DAY; // 0 .. MS_PER_DAY - 1, before 1970 too
  const second = Math.floor(ms / 1000);
  const minute = Math.floor(second / 60);
  if (minute !== last.minute) {
    last.minute = minute;
    // joined, not added: one flat string (added, a chain of four)
    last.head = [last.date, 'T', TWO[Math.floor(minute / 60)], ':', TWO[minute % 60], ':'].join('');
  }
  // The rest is 12 characters at most, and V8 copies a string that short into one piece: the text
  // is one pair of flat strings. Added piece by piece, it was a chain of eight pairs (256 bytes
  // where events and intervals keep their times, each pair copied by young-generation collections).
  return last.head + (TWO[second % 60] + '.' + THREE[ms % 1000] + last.zone);
}

let last = { day: Number.NaN, off: Number.NaN, date: '', zone: '', minute: -1, head: '' };

/** `2026-11-26` of a local midnight (ms since the epoch, as if UTC). */
function renderDate(localMidnight: number): string {
  const d = new Date(localMidnight);
  const y = d.getUTCFullYear();
  const year = y >= 0 && y <= 9999 ? pad(y, 4) : (y < 0 ? '-' : '+') + pad(Math.abs(y), 6);
  return `${year}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** `+01:00`, `-09:30`. */
function renderOffset(off: number): string {
  const abs = Math.abs(off);
  return `${off < 0 ? '-' : '+'}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoWithOffset } from '../../src/core/iso-time.js';

/** `+01:00` of 60 minutes, as Date's ISO text would write an offset. */
const zone = (off: number): string => `${off < 0 ? '-' : '+'}${String(Math.floor(Math.abs(off) / 60)).padStart(2, '0')}:${String(Math.abs(off) % 60).padStart(2, '0')}`;

describe('isoWithOffset', () => {
  const t = Date.UTC(2026, 10, 26, 15, 7, 30, 490);
  it('renders UTC with +00:00', () => {
    expect(isoWithOffset(t, 0)).toBe('2026-11-26T15:07:30.490+00:00');
  });
  it('renders local time at positive, negative and half-hour offsets', () => {
    expect(isoWithOffset(t, 60)).toBe('2026-11-26T16:07:30.490+01:00');
    expect(isoWithOffset(t, -180)).toBe('2026-11-26T12:07:30.490-03:00');
    expect(isoWithOffset(t, 330)).toBe('2026-11-26T20:37:30.490+05:30');
    expect(isoWithOffset(t, 660)).toBe('2026-11-27T02:07:30.490+11:00');
    expect(isoWithOffset(Date.UTC(2026, 0, 1, 0, 0, 0, 5), -570)).toBe('2025-12-31T14:30:00.005-09:30');
  });
  it('round-trips through Date.parse', () => {
    for (const off of [-720, -90, 0, 45, 600, 840]) expect(Date.parse(isoWithOffset(t, off))).toBe(t);
  });
});

it('reuses the text of the same second only for that second and offset', () => {
  // Neighbouring instants across second, day and year boundaries, before 1970 too, in both zones.
  const base = [Date.UTC(2026, 11, 31, 23, 59, 59, 998), Date.UTC(1969, 11, 31, 23, 59, 59, 999), 0, -1];
  for (const b of base) {
    for (const d of [0, 1, 2, 999, 1000, 1001, -1, -1000]) {
      for (const off of [0, 60, -570, 0]) {
        const t = b + d;
        expect(Date.parse(isoWithOffset(t, off))).toBe(t);
        expect(isoWithOffset(t, off).slice(-6)).toBe(zone(off));
      }
    }
  }
});

it("is Date's own ISO text of the local time, with the offset, for any instant and offset", () => {
  // Instants from year -2000 to 12000 (the expanded ±YYYYYY form at both ends), offsets of ±18 h.
  fc.assert(
    fc.property(fc.integer({ min: -125_000_000_000_000, max: 316_000_000_000_000 }), fc.integer({ min: -1080, max: 1080 }), (t, off) => {
      expect(isoWithOffset(t, off)).toBe(new Date(t + off * 60_000).toISOString().replace('Z', zone(off)));
    }),
    { numRuns: 20_000 },
  );
});

it('renders instants seconds apart (as events come) the way Date does, across minutes, days and offsets', () => {
  // One minute's text is kept for the next event: it must follow the minute, the day and the offset.
  const expected = (t: number, off: number): string => new Date(t + off * 60_000).toISOString().replace('Z', zone(off));
  const start = Date.UTC(2026, 10, 26, 22, 50, 0, 0);
  for (let t = start; t < start + 4 * 3_600_000; t += 7_013) {
    expect(isoWithOffset(t, 0)).toBe(expected(t, 0));
    expect(isoWithOffset(t, 0)).toBe(expected(t, 0));
    // another node's zone, in the same minute of UTC, then back
    expect(isoWithOffset(t + 1, 60)).toBe(expected(t + 1, 60));
    expect(isoWithOffset(t + 2, 0)).toBe(expected(t + 2, 0));
    // the same local minute of another day
    expect(isoWithOffset(t - 86_400_000, 0)).toBe(expected(t - 86_400_000, 0));
  }
});

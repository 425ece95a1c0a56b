import { describe, expect, it } from 'vitest';
import { isoWithOffset } from '../../src/core/iso-time.js';

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

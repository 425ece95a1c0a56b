// Bounded history lists: the model keeps the most recent entries of each per-event list (runs,
// binds, intervals, claims, failures, transfers) so a long live session stays in bounded memory.

/** Lists up to this long drop one entry per push (Array#shift is O(1) on them in V8). */
const SHIFT_MAX = 8192;

/**
 * Appends `item` and drops the oldest entries beyond `bound`; returns the dropped entries (oldest
 * first, empty when none). Longer lists drop an eighth of the bound at once, because shifting an
 * array that large copies it (V8 left-trims only arrays outside large-object space): the list then
 * holds between 7/8 of the bound and the bound, never more.
 */
export function pushBounded<T>(list: T[], item: T, bound: number): readonly T[] {
  list.push(item);
  if (list.length <= bound) return NONE as readonly T[];
  if (bound <= SHIFT_MAX && list.length === bound + 1) return [list.shift()!];
  return list.splice(0, list.length - bound + (bound > SHIFT_MAX ? bound >> 3 : 0));
}

const NONE: readonly unknown[] = Object.freeze([]);

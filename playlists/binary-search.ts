/**
 * The one binary search of the code base (pure, no I/O): the first index in [lo, hi) at which a monotone
 * predicate turns true. Every "first at or after", "last fitting" and "floor" lookup is written with it.
 */

/**
 * First index i in [lo, hi) with `isAfter(i)` true, or `hi` if there is none. `isAfter` must be false for a
 * prefix of the range and true for the rest (e.g. `i => values[i] > x`). O(log(hi - lo)) calls.
 */
export function partitionPoint(lo: number, hi: number, isAfter: (index: number) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isAfter(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Largest i in [lo, hi] with values[i] ≤ x (values ascending; values[lo] ≤ x assumed, so the answer is ≥ lo). */
export function floorIndex(values: ArrayLike<number>, x: number, lo = 0, hi = values.length - 1): number {
  return partitionPoint(lo + 1, hi + 1, (i) => values[i]! > x) - 1;
}

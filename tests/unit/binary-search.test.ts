import { describe, expect, it } from 'vitest';
import { floorIndex, partitionPoint } from '../../playlists/binary-search.ts';

describe('partitionPoint', () => {
  it('finds the first index where a monotone predicate turns true, or the end', () => {
    const values = [1, 3, 3, 5, 8];
    expect(partitionPoint(0, values.length, (i) => values[i]! >= 3)).toBe(1);
    expect(partitionPoint(0, values.length, (i) => values[i]! > 3)).toBe(3);
    expect(partitionPoint(0, values.length, (i) => values[i]! > 8)).toBe(5);
    expect(partitionPoint(0, values.length, () => true)).toBe(0);
    expect(partitionPoint(2, 2, () => true)).toBe(2);
  });

  it('agrees with a linear scan on every prefix of a sorted array', () => {
    const values = Array.from({ length: 40 }, (_, i) => Math.floor(i / 3));
    for (let x = -1; x <= 15; x++) {
      const linear = values.findIndex((v) => v > x);
      expect(partitionPoint(0, values.length, (i) => values[i]! > x)).toBe(linear === -1 ? values.length : linear);
    }
  });
});

describe('floorIndex', () => {
  it('is the largest index whose value is at most x, within [lo, hi]', () => {
    const prefix = [0, 6000, 12000, 18000, 24000];
    expect(floorIndex(prefix, 0)).toBe(0);
    expect(floorIndex(prefix, 11999)).toBe(1);
    expect(floorIndex(prefix, 12000)).toBe(2);
    expect(floorIndex(prefix, 99999)).toBe(4);
    expect(floorIndex(prefix, 99999, 1, 3)).toBe(3);
    expect(floorIndex(prefix, 6000, 1, 3)).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { compactUtc } from '../../scheduler/schedule/slot-placement.ts';

/** The airing-id time stamp is hand-formatted for speed; it must match the library formatting exactly. */
const reference = (ms: number) => new Date(ms).toISOString().replace(/[-:.]/g, '');

describe('compactUtc', () => {
  it('formats like toISOString without separators', () => {
    expect(compactUtc(Date.UTC(2026, 10, 23, 22, 0, 0, 0))).toBe('20261123T220000000Z');
    expect(compactUtc(Date.UTC(2027, 0, 1, 0, 0, 0, 7))).toBe('20270101T000000007Z');
    expect(compactUtc(Date.UTC(2028, 1, 29, 23, 59, 59, 999))).toBe('20280229T235959999Z');
  });

  it('agrees with the library on day edges, leap days and a pseudo-random spread of instants', () => {
    const samples: number[] = [
      0,
      1,
      999,
      86_399_999,
      86_400_000,
      Date.UTC(2024, 1, 29),
      Date.UTC(2100, 2, 1) - 1,
      253_402_300_799_999,
    ];
    // Consecutive calls on alternating days exercise the one-day prefix cache.
    let x = 123_456_789;
    for (let i = 0; i < 20_000; i++) {
      x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
      samples.push(Date.UTC(2020, 0, 1) + (x % 3_000) * 86_400_000 + ((x >>> 3) % 86_400_000));
    }
    for (const ms of samples) expect(compactUtc(ms), String(ms)).toBe(reference(ms));
  });

  it('falls back to the library outside the fast range (before 1970, fractional)', () => {
    for (const ms of [-1, -86_400_001, Date.UTC(1969, 6, 20, 20, 17), 1_700_000_000_000.5])
      expect(compactUtc(ms)).toBe(reference(ms));
  });
});

/**
 * The console shows times in the channel's zone (named beside them), DST days included: the formatting module
 * and the guide's day bounds on America/New_York's change days (23 h and 25 h days), and Asia/Shanghai (none).
 */
import { describe, expect, it } from 'vitest';
import { formatClock, formatDateTime } from '../../admin-app/src/format.ts';
import { localClock, localMidnightMs, zoneOffsetMs } from '../../admin-app/src/guide-model.ts';

const NY = 'America/New_York';
const HOUR = 3_600_000;

describe('times in the channel zone on DST days', () => {
  it('springs forward in New York: 01:59 EST is followed by 03:00 EDT, and the day has 23 hours', () => {
    const change = Date.parse('2026-03-08T07:00:00Z'); // 02:00 EST → 03:00 EDT
    expect(formatClock(change - 60_000, NY, 'en-US')).toBe('01:59');
    expect(formatClock(change, NY, 'en-US')).toBe('03:00');
    expect(formatDateTime(change, NY, 'zh-CN')).toBe('2026/03/08 03:00');
    expect(zoneOffsetMs(change - 1000, NY)).toBe(-5 * HOUR);
    expect(zoneOffsetMs(change, NY)).toBe(-4 * HOUR);
    const start = localMidnightMs('2026-03-08', NY);
    expect(new Date(start).toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(localMidnightMs('2026-03-09', NY) - start).toBe(23 * HOUR);
    // The guide's hour marks from local midnight: 2 o'clock does not exist that day.
    const marks = Array.from({ length: 23 }, (_, h) => localClock(start + h * HOUR, NY));
    expect(marks.slice(0, 4)).toEqual(['00:00', '01:00', '03:00', '04:00']);
    expect(marks.at(-1)).toBe('23:00');
  });

  it('falls back in New York: 01:30 happens twice, and the day has 25 hours', () => {
    const first = Date.parse('2026-11-01T05:30:00Z'); // 01:30 EDT
    expect(formatClock(first, NY, 'en-US')).toBe('01:30');
    expect(formatClock(first + HOUR, NY, 'en-US')).toBe('01:30'); // 01:30 EST
    const start = localMidnightMs('2026-11-01', NY);
    expect(new Date(start).toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(localMidnightMs('2026-11-02', NY) - start).toBe(25 * HOUR);
  });

  it('shows an instant in the channel zone whatever the zone of the browser (Shanghai: +08:00, no DST)', () => {
    const instant = Date.parse('2026-03-08T07:00:00Z');
    expect(formatClock(instant, 'Asia/Shanghai', 'zh-CN')).toBe('15:00');
    expect(formatDateTime(instant, 'UTC', 'en-US')).toBe('03/08/2026, 07:00');
    expect(localMidnightMs('2026-03-09', 'Asia/Shanghai') - localMidnightMs('2026-03-08', 'Asia/Shanghai')).toBe(
      24 * HOUR,
    );
  });
});

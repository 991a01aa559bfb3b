/**
 * Pure parts of the guide screen: the instant a local date starts in a time zone (Intl only, DST-correct), the
 * horizontal placement of programmes at a zoom, and the "why is this airing" answer from the channel's
 * overrides (an override of that date whose programme starts at the programme's local start time).
 */

/** Offset of `timeZone` from UTC at `ms`, in ms (positive east of Greenwich). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(ms);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant local midnight of `date` (YYYY-MM-DD) happens in `timeZone` (two passes settle DST edges). */
export function localMidnightMs(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const naive = Date.UTC(y, m - 1, d);
  let guess = naive - zoneOffsetMs(naive, timeZone);
  guess = naive - zoneOffsetMs(guess, timeZone);
  return guess;
}

/** Local `HH:MM` of an instant in a zone. */
export function localClock(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    ms,
  );
}

export interface Placement {
  leftPx: number;
  widthPx: number;
}

/** Where a programme sits on a track starting at `fromMs`, `pxPerMinute` wide per minute, clipped to the day. */
export function place(startMs: number, endMs: number, fromMs: number, toMs: number, pxPerMinute: number): Placement {
  const start = Math.max(startMs, fromMs);
  const end = Math.min(endMs, toMs);
  return {
    leftPx: ((start - fromMs) / 60_000) * pxPerMinute,
    widthPx: Math.max(1, ((end - start) / 60_000) * pxPerMinute),
  };
}

export interface OverrideLike {
  id: string;
  channel: string;
  date: string;
  action: 'replace' | 'insert';
  slot?: string;
  with: { start: string };
}

/** The override that put a programme on air: same channel and date, its programme starting at that local time. */
export function overrideFor<T extends OverrideLike>(
  overrides: readonly T[],
  channelId: string,
  date: string,
  startMs: number,
  timeZone: string,
): T | undefined {
  const clock = localClock(startMs, timeZone);
  return overrides.find((o) => o.channel === channelId && o.date === date && o.with.start === clock);
}

/**
 * Pure parts of the guide screen: the instant a local date starts in a time zone (Intl only, DST-correct), the
 * horizontal placement of programmes at a zoom, and where the server's "why is this airing" answer links to.
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

/** What the admin API's `/api/admin/guide/why` says produced an airing (the fields the console links with). */
export interface AiringWhyLike {
  channelId: string;
  source: 'slot' | 'override' | 'gap';
  template: string;
  weekday: string;
  slotId?: string;
  overrideId?: string;
}

/** Where "why is this airing" leads: the timetable editor on that slot, the override, or nowhere for a gap fill. */
export function whyTarget(
  why: AiringWhyLike,
): { name: 'timetables' | 'overrides'; params: Record<string, string> } | undefined {
  if (why.source === 'override' && why.overrideId !== undefined)
    return { name: 'overrides', params: { channel: why.channelId, id: why.overrideId } };
  if (why.source === 'slot' && why.slotId !== undefined) {
    const params = { channel: why.channelId, template: why.template, day: why.weekday, slot: why.slotId };
    return { name: 'timetables', params };
  }
  return undefined;
}

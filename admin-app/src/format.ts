/** Times are shown in the channel's own time zone, with the zone named (never the browser's zone silently). */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, timeZone: string, withDate: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withDate}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      ...(withDate ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

export const formatClock = (ms: number, timeZone: string, locale: string): string =>
  formatter(locale, timeZone, false).format(ms);

export const formatDateTime = (ms: number, timeZone: string, locale: string): string =>
  formatter(locale, timeZone, true).format(ms);

/** Share of [startMs, endMs) elapsed at nowMs, 0…1. */
export function progressAt(startMs: number, endMs: number, nowMs: number): number {
  if (endMs <= startMs) return 1;
  return Math.min(1, Math.max(0, (nowMs - startMs) / (endMs - startMs)));
}

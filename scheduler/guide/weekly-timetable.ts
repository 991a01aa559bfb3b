import { renderWeeklyTimetableHtml } from '../../playlists/timetable-html.ts';
import type { Instant, LocalizedText } from '../../playlists/model.ts';
import { NotFoundError } from '../errors.ts';
import { currentIsoWeek, parseWeek, type QueryValue } from './guide-queries.ts';
import type { GuideDayKey, GuideStore, StoredGuideChannel } from './guide-store.ts';
import { loadDays } from './guide-renderings.ts';

/**
 * The printable weekly timetable of a channel, as the `/timetable/:channel` route and `aerial timetable pdf`
 * both need it: the week's published days (keys first, so a 304 needs no parsing) and the suspension notice.
 */
export interface WeeklyTimetablePage {
  channel: StoredGuideChannel;
  week: string;
  dates: string[];
  dayKeys: GuideDayKey[];
  notice: LocalizedText | undefined;
  /** Loads the days one at a time (the event loop gets a turn between them) and renders the page. */
  render(): Promise<string>;
}

/** `week` (YYYY-Www) defaults to the channel's current week at `nowMs`; `weekField` names it in errors. */
export function weeklyTimetablePage(
  store: GuideStore,
  channelId: string,
  week: QueryValue,
  nowMs: Instant,
  weekField = 'week',
): WeeklyTimetablePage {
  const channel = store.channel(channelId);
  if (!channel) throw new NotFoundError(`unknown channel '${channelId}'`);
  const parsed = parseWeek(weekField, week, () => currentIsoWeek(nowMs, channel.guide.timezone, channel.dayStart));
  const dayKeys = store.dayKeysOnDates(channelId, parsed.dates);
  const notice = store.suspensionNotice(channelId, parsed.dates[0]!, parsed.dates[6]!);
  return {
    channel,
    week: parsed.week,
    dates: parsed.dates,
    dayKeys,
    notice,
    async render() {
      const days = await loadDays(store, dayKeys);
      // Rerun carousels loop the day's lessons for hours: on paper they would bury the first runs and the
      // evening reruns a school points parents to, so the printable week leaves them out.
      const printed = days.map((day) => {
        const carousel = channel.carouselSlots.get(day.timetable);
        return carousel?.size
          ? { ...day, items: day.items.filter((item) => !(item.slotId && carousel.has(item.slotId))) }
          : day;
      });
      return renderWeeklyTimetableHtml({
        channel: channel.guide,
        week: parsed.week,
        days: printed,
        lessons: store.lessonsOf(days),
        ...(notice ? { notice } : {}),
      });
    },
  };
}

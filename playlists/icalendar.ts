/**
 * A grade channel's lesson calendar for families (`/calendar/:channel.ics`), generated with ical-generator.
 *
 *   renderChannelCalendar({ channel, days, lessons, baseUrl, generatedAt, uidDomain? }): string
 *
 * - One VEVENT per FIRST RUN (item kind `lesson`) of the channel's days; reruns, fillers and slate are left
 *   out so a family's calendar shows each lesson once.
 * - UID `<airing id>@<uidDomain>` (default `aerial-classroom`): the airing id survives republishes, and the
 *   domain does not depend on the request's host, so subscribed calendars update events instead of
 *   duplicating them. SEQUENCE is the day snapshot's version (a republish is a revision).
 * - DTSTART/DTEND are UTC (`…Z`): exact instants that need no VTIMEZONE; `X-WR-TIMEZONE` tells calendar apps
 *   the channel's zone to display in. DTSTAMP is `generatedAt` (nothing reads the clock).
 * - SUMMARY `语文 · 大青树下的小学`, LOCATION the channel, URL the catch-up playlist
 *   `<baseUrl>/vod/airings/<id>/master.m3u8`, DESCRIPTION unit, lesson number, English title and that link.
 *
 * Pure: no I/O, no clock reads.
 */
import ical, { ICalCalendarMethod } from 'ical-generator';
import type { DaySnapshot, Instant } from './model.ts';
import {
  absoluteUrl,
  english,
  toLessonIndex,
  type GuideChannel,
  type GuideLesson,
  type LessonIndex,
} from './guide-types.ts';

export interface ChannelCalendarInput {
  channel: GuideChannel;
  days: readonly DaySnapshot[];
  lessons: LessonIndex | readonly GuideLesson[];
  baseUrl: string;
  /** DTSTAMP of every event: when this feed was produced (e.g. the latest publish time). */
  generatedAt: Instant;
  uidDomain?: string;
}

export function airingCatchUpUrl(baseUrl: string, airingId: string): string {
  return absoluteUrl(baseUrl, `/vod/airings/${encodeURIComponent(airingId)}/master.m3u8`);
}

export function airingUid(airingId: string, uidDomain = 'aerial-classroom'): string {
  return `${airingId}@${uidDomain}`;
}

export function renderChannelCalendar(input: ChannelCalendarInput): string {
  const { channel, baseUrl } = input;
  const lessons = toLessonIndex(input.lessons);
  const channelName = `${channel.name.zh}（${channel.number}频道）`;
  const calendar = ical({
    name: `${channel.name.zh} 课表`,
    description: `${channel.name.zh} / ${english(channel.name)}: first-run lessons`,
    prodId: { company: 'aerial-classroom', product: 'guide', language: 'ZH' },
    method: ICalCalendarMethod.PUBLISH,
    // Subscribed calendars poll at this interval (REFRESH-INTERVAL, X-PUBLISHED-TTL): schedules change by the day.
    ttl: 6 * 60 * 60,
    url: absoluteUrl(baseUrl, `/calendar/${encodeURIComponent(channel.id)}.ics`),
    x: [['X-WR-TIMEZONE', channel.timezone]],
  });

  const days = input.days
    .filter((day) => day.channelId === channel.id)
    .slice()
    .sort((a, b) => a.startMs - b.startMs);
  for (const day of days) {
    for (const item of day.items) {
      if (item.kind !== 'lesson') continue;
      const lesson = item.lessonId ? lessons.get(item.lessonId) : undefined;
      const subject = lesson?.subjectName ?? (item.subject ? { zh: item.subject } : undefined);
      const unit = item.unit ?? lesson?.unitTitle;
      const catchUp = airingCatchUpUrl(baseUrl, item.id);
      const description = [
        subject ? `${subject.zh}${subject.en ? ` / ${subject.en}` : ''}` : undefined,
        unit ? `单元 Unit${lesson ? ` ${lesson.unit}` : ''}：${unit.zh}${unit.en ? ` / ${unit.en}` : ''}` : undefined,
        lesson
          ? `第${lesson.lesson}课 Lesson ${lesson.lesson}：${lesson.title.zh}${lesson.title.en ? ` / ${lesson.title.en}` : ''}`
          : undefined,
        lesson?.teacher ? `主讲 Teacher：${lesson.teacher}` : undefined,
        `回看 Catch-up：${catchUp}`,
      ].filter((line): line is string => line !== undefined);
      calendar.createEvent({
        id: airingUid(item.id, input.uidDomain),
        sequence: day.version,
        stamp: new Date(input.generatedAt),
        start: new Date(item.startMs),
        end: new Date(item.startMs + item.durationMs),
        summary: subject ? `${subject.zh} · ${item.title.zh}` : item.title.zh,
        description: description.join('\n'),
        location: channelName,
        url: catchUp,
        categories: subject ? [{ name: subject.zh }] : [],
      });
    }
  }
  return calendar.toString();
}

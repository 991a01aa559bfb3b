/**
 * Guide JSON for the TV app and third parties: the bodies of `/api/channels`, `/api/guide`, `/api/lessons`,
 * `/api/lessons/:id` and `/api/notices`, as typed functions returning plain objects (the route serializes them).
 * Their OpenAPI 3.1 schemas are in `guide-openapi.ts`.
 *
 *   channelsJson({ channels, baseUrl })                                → ChannelsResponse
 *   guideJson({ channels, days, from, to, lessons, channelIds?, baseUrl }) → GuideResponse
 *       programmes overlapping [from, to) per channel; times as UTC ms and local ISO with the channel's offset
 *   lessonsJson({ lessons, filter, baseUrl })                          → LessonsResponse (filter + paging)
 *   lessonJson(lesson, baseUrl)                                        → LessonDetail
 *   noticesJson({ channels, days, now })                               → NoticesResponse
 *       notices of days that have not ended at `now`, one entry per order with its channels and dates
 *
 * Query-parameter parsing and its 400s belong to the route; these functions throw RangeError on an
 * impossible range (from ≥ to) so a caller bug never yields a silent empty guide. Pure: no I/O, no clock reads.
 */
import { awaitsMedia, mergeSlateRuns } from './guide-items.ts';
import type { DaySnapshot, Instant, ItemKind, LocalizedText, ScheduledItem } from './model.ts';
import {
  absoluteUrl,
  localIso,
  toLessonIndex,
  type GuideChannel,
  type GuideLesson,
  type LessonIndex,
  type LessonPoster,
} from './guide-types.ts';

export interface ChannelJson extends GuideChannel {
  /** Absolute logo URL (the input may be relative to the base URL). */
  logo?: string;
  streamUrl: string;
  calendarUrl: string;
  timetableUrl: string;
  epgUrl: string;
}

export interface ChannelsResponse {
  channels: ChannelJson[];
}

/** One airing in the guide. */
export interface GuideProgramme {
  /** Stable airing id (also the XMLTV/ICS/DATERANGE id). */
  id: string;
  kind: ItemKind;
  title: LocalizedText;
  unit?: LocalizedText;
  subject?: string;
  subjectName?: LocalizedText;
  lessonId?: string;
  /** Textbook position, for lessons and reruns. */
  volume?: number;
  unitNumber?: number;
  lessonNumber?: number;
  startMs: Instant;
  endMs: Instant;
  /** Local ISO 8601 with the channel's offset at that instant. */
  start: string;
  end: string;
  /** Catch-up playlist of this airing. */
  catchUpUrl: string;
  /** The lesson's poster frames (absolute URLs), when it has them. */
  poster?: LessonPoster;
}

export interface ChannelGuide {
  channelId: string;
  timezone: string;
  /**
   * Broadcast dates (YYYY-MM-DD) of the listed days still being prepared: some of their slots air the slate
   * until their lesson's media is packaged, and the day is republished as it lands. Absent when none is.
   */
  preparing?: string[];
  programmes: GuideProgramme[];
}

export interface GuideResponse {
  from: string;
  to: string;
  channels: ChannelGuide[];
}

export interface LessonJson extends GuideLesson {
  vodUrl: string;
}

export interface LessonsResponse {
  total: number;
  offset: number;
  limit: number;
  lessons: LessonJson[];
}

export type LessonDetail = LessonJson;

export interface NoticeJson {
  orderId: string;
  text: LocalizedText;
  channels: string[];
  /** Broadcast-day labels (YYYY-MM-DD) of the first and last published day carrying it. */
  firstDate: string;
  lastDate: string;
}

export interface NoticesResponse {
  notices: NoticeJson[];
}

export function channelsJson(input: { channels: readonly GuideChannel[]; baseUrl: string }): ChannelsResponse {
  const { baseUrl } = input;
  const channels = [...input.channels].sort((a, b) => a.number - b.number || a.id.localeCompare(b.id));
  return {
    channels: channels.map((channel) => {
      const id = encodeURIComponent(channel.id);
      const { logo, ...rest } = channel;
      return {
        ...rest,
        ...(logo ? { logo: absoluteUrl(baseUrl, logo) } : {}),
        streamUrl: absoluteUrl(baseUrl, `/live/${id}/master.m3u8`),
        calendarUrl: absoluteUrl(baseUrl, `/calendar/${id}.ics`),
        timetableUrl: absoluteUrl(baseUrl, `/timetable/${id}`),
        epgUrl: absoluteUrl(baseUrl, `/epg/${id}.xml`),
      };
    }),
  };
}

export interface GuideInput {
  channels: readonly GuideChannel[];
  days: readonly DaySnapshot[];
  from: Instant;
  to: Instant;
  lessons: LessonIndex | readonly GuideLesson[];
  /** Only these channels (in this order); default all `channels` by number. */
  channelIds?: readonly string[];
  baseUrl: string;
}

export function guideJson(input: GuideInput): GuideResponse {
  const { from, to, baseUrl } = input;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from >= to) {
    throw new RangeError(`guide range must be whole epoch ms with from < to, got from=${from} to=${to}`);
  }
  const lessons = toLessonIndex(input.lessons);
  const byId = new Map(input.channels.map((c) => [c.id, c]));
  const selected = input.channelIds
    ? input.channelIds.map((id) => {
        const channel = byId.get(id);
        if (!channel) throw new RangeError(`unknown channel ${JSON.stringify(id)}`);
        return channel;
      })
    : [...input.channels].sort((a, b) => a.number - b.number);

  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    channels: selected.map((channel) => {
      const days = input.days.filter((day) => day.channelId === channel.id && day.startMs < to && day.endMs > from);
      const preparing = days.filter(awaitsMedia).map((day) => day.date);
      const programmes = days
        .flatMap((day) => mergeSlateRuns(day.items))
        .filter((item) => item.startMs < to && item.startMs + item.durationMs > from)
        .sort((a, b) => a.startMs - b.startMs)
        .map((item) => guideProgramme(channel, item, item.lessonId ? lessons.get(item.lessonId) : undefined, baseUrl));
      return {
        channelId: channel.id,
        timezone: channel.timezone,
        ...(preparing.length > 0 && { preparing }),
        programmes,
      };
    }),
  };
}

/** One airing of a channel as `/api/guide` lists it (the route renders a day's programmes once and reuses them). */
export function guideProgramme(
  channel: GuideChannel,
  item: ScheduledItem,
  lesson: GuideLesson | undefined,
  baseUrl: string,
): GuideProgramme {
  const endMs = item.startMs + item.durationMs;
  const unit = item.unit ?? lesson?.unitTitle;
  const subject = item.subject ?? lesson?.subject;
  return {
    id: item.id,
    kind: item.kind,
    title: item.title,
    ...(unit ? { unit } : {}),
    ...(subject ? { subject } : {}),
    ...(lesson ? { subjectName: lesson.subjectName } : {}),
    ...(item.lessonId ? { lessonId: item.lessonId } : {}),
    ...(lesson ? { volume: lesson.volume, unitNumber: lesson.unit, lessonNumber: lesson.lesson } : {}),
    startMs: item.startMs,
    endMs,
    start: localIso(item.startMs, channel.timezone),
    end: localIso(endMs, channel.timezone),
    catchUpUrl: absoluteUrl(baseUrl, `/vod/airings/${encodeURIComponent(item.id)}/master.m3u8`),
    ...(lesson?.poster ? { poster: absolutePoster(baseUrl, lesson.poster) } : {}),
  };
}

function absolutePoster(baseUrl: string, poster: LessonPoster): LessonPoster {
  return { small: absoluteUrl(baseUrl, poster.small), large: absoluteUrl(baseUrl, poster.large) };
}

export interface LessonFilter {
  grade?: number;
  subject?: string;
  edition?: string;
  /** Case-insensitive substring of the zh/en title or unit title. */
  q?: string;
  offset?: number;
  /** Default 100, at most 500. */
  limit?: number;
}

export const MAX_LESSON_PAGE = 500;

export function lessonJson(lesson: GuideLesson, baseUrl: string): LessonDetail {
  return {
    ...lesson,
    ...(lesson.poster ? { poster: absolutePoster(baseUrl, lesson.poster) } : {}),
    vodUrl: absoluteUrl(baseUrl, `/vod/lessons/${encodeURIComponent(lesson.id)}/master.m3u8`),
  };
}

export function lessonsJson(input: {
  lessons: LessonIndex | readonly GuideLesson[];
  filter?: LessonFilter;
  baseUrl: string;
}): LessonsResponse {
  const filter = input.filter ?? {};
  const offset = filter.offset ?? 0;
  const limit = filter.limit ?? 100;
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be a whole number ≥ 0, got ${offset}`);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LESSON_PAGE) {
    throw new RangeError(`limit must be a whole number 1–${MAX_LESSON_PAGE}, got ${limit}`);
  }
  const q = filter.q?.trim().toLowerCase();
  const matches = (text: LocalizedText) =>
    text.zh.toLowerCase().includes(q!) || (text.en?.toLowerCase().includes(q!) ?? false);
  const found = [...toLessonIndex(input.lessons).values()]
    .filter(
      (l) =>
        (filter.grade === undefined || l.grade === filter.grade) &&
        (filter.subject === undefined || l.subject === filter.subject) &&
        (filter.edition === undefined || l.edition === filter.edition) &&
        (!q || matches(l.title) || matches(l.unitTitle)),
    )
    // Textbook order, so pages are stable.
    .sort(
      (a, b) =>
        a.grade - b.grade ||
        a.subject.localeCompare(b.subject) ||
        a.edition.localeCompare(b.edition) ||
        a.volume - b.volume ||
        a.unit - b.unit ||
        a.lesson - b.lesson ||
        a.id.localeCompare(b.id),
    );
  return {
    total: found.length,
    offset,
    limit,
    lessons: found.slice(offset, offset + limit).map((l) => lessonJson(l, input.baseUrl)),
  };
}

export function noticesJson(input: {
  channels: readonly GuideChannel[];
  days: readonly Pick<DaySnapshot, 'channelId' | 'date' | 'endMs' | 'notice'>[];
  now: Instant;
}): NoticesResponse {
  const known = new Set(input.channels.map((c) => c.id));
  const byOrder = new Map<string, NoticeJson>();
  const active = input.days
    .filter((day) => day.notice && known.has(day.channelId) && day.endMs > input.now)
    .sort((a, b) => a.date.localeCompare(b.date) || a.channelId.localeCompare(b.channelId));
  for (const day of active) {
    const notice = day.notice!;
    const entry = byOrder.get(notice.orderId);
    if (!entry) {
      byOrder.set(notice.orderId, {
        orderId: notice.orderId,
        text: notice.text,
        channels: [day.channelId],
        firstDate: day.date,
        lastDate: day.date,
      });
      continue;
    }
    if (!entry.channels.includes(day.channelId)) entry.channels.push(day.channelId);
    if (day.date > entry.lastDate) entry.lastDate = day.date;
  }
  return {
    notices: [...byOrder.values()]
      .map((n) => ({ ...n, channels: [...n.channels].sort() }))
      .sort((a, b) => a.firstDate.localeCompare(b.firstDate) || a.orderId.localeCompare(b.orderId)),
  };
}

/**
 * XMLTV programme guide (`/epg.xml`, `/epg/:channel.xml`), valid against xmltv.dtd.
 *
 *   renderXmltv({ channels, days, lessons, generatedAt, baseUrl }): string     the whole document (small guides, tests)
 *   xmltvHead(…) + xmltvProgrammes(xmltvDay(channel, day), lessons, from, to)… + XMLTV_TAIL
 *                                                                          the same document in pieces, which the
 *       origin renders once per channel-day version in slices and streams (scheduler/guide/guide-renderings.ts)
 *
 * - `channels`: the channels to list (each gets a `<channel>`); `days`: their published day snapshots (any
 *   order; days of channels not listed are ignored); `lessons`: the catalog lessons the days refer to.
 * - `generatedAt` (UTC ms) goes to `<tv date>`; nothing reads the clock. `baseUrl` makes logo and page URLs absolute.
 * - Channel ids are `xmltvChannelId(id)` (`g3.aerial-classroom`), the same as the M3U `tvg-id`.
 * - Every item is a programme, fillers and slate included (guides that hide them look like they lie).
 * - A rerun's previously-shown names the lesson's first run earlier the same channel-day (a day is the unit of
 *   rendering); a first run on an earlier day gives a bare `<previously-shown/>`.
 * - start/stop are `YYYYMMDDhhmmss ±hhmm` in the channel's zone with the offset in force at that instant.
 *
 * Hand-written XML: every text and attribute goes through `escapeXml`, and the tests validate the output
 * against the DTD with xmllint. Pure: no I/O, no clock reads.
 */
import { mergeSlateRuns } from './guide-items.ts';
import type { DaySnapshot, Instant, LocalizedText, ScheduledItem } from './model.ts';
import {
  absoluteUrl,
  english,
  formatOffset,
  localFields,
  toLessonIndex,
  xmltvChannelId,
  type GuideChannel,
  type GuideLesson,
  type LessonIndex,
} from './guide-types.ts';

export interface XmltvInput {
  channels: readonly GuideChannel[];
  days: readonly DaySnapshot[];
  lessons: LessonIndex | readonly GuideLesson[];
  generatedAt: Instant;
  baseUrl: string;
}

/**
 * Characters XML 1.0 forbids outright (C0 controls except tab/newline/return, lone surrogates, U+FFFE/U+FFFF).
 * With the u flag a surrogate pair is one code point, so [\uD800-\uDFFF] matches only lone surrogates.
 */
const XML_FORBIDDEN = /[^\P{Cc}\t\n\r\u007F-\u009F]|[\uFFFE\uFFFF\uD800-\uDFFF]/gu;

/** Anything escapeXml would change: markup characters and every character XML_FORBIDDEN could match. */
const NEEDS_ESCAPING = /[&<>"']|[^\P{Cc}\t\n\r\u007F-\u009F]|[\uFFFE\uFFFF\uD800-\uDFFF]/u;

/** Escapes text for element content and double- or single-quoted attributes; drops characters XML cannot carry. */
export function escapeXml(text: string): string {
  if (!NEEDS_ESCAPING.test(text)) return text;
  return text
    .replace(XML_FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** XMLTV time: local wall time of the channel's zone and the offset in force at that instant (DST-correct). */
export function xmltvTime(ms: Instant, timezone: string): string {
  const local = localFields(ms, timezone);
  return `${local.date.replaceAll('-', '')}${local.time.replaceAll(':', '')} ${formatOffset(local.offset, '')}`;
}

function element(name: string, text: string, attributes: Record<string, string | undefined> = {}): string {
  return `<${name}${attrs(attributes)}>${escapeXml(text)}</${name}>`;
}

function attrs(attributes: Record<string, string | undefined>): string {
  return Object.entries(attributes)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
    .join('');
}

/** zh first, then en when it exists and differs: the guide shows the first that matches the viewer's language. */
function localized(name: string, text: LocalizedText): string[] {
  const out = [element(name, text.zh, { lang: 'zh' })];
  if (text.en && text.en !== text.zh) out.push(element(name, text.en, { lang: 'en' }));
  return out;
}

function channelElement(channel: GuideChannel, baseUrl: string): string {
  const lines = [
    ...localized('display-name', channel.name),
    // The bare number as a last display name: Kodi and Jellyfin match channels by number too.
    element('display-name', String(channel.number)),
  ];
  if (channel.logo) lines.push(`<icon${attrs({ src: absoluteUrl(baseUrl, channel.logo) })}/>`);
  lines.push(element('url', absoluteUrl(baseUrl, `/timetable/${encodeURIComponent(channel.id)}`)));
  return `  <channel${attrs({ id: xmltvChannelId(channel.id) })}>\n${lines.map((l) => `    ${l}\n`).join('')}  </channel>\n`;
}

const KIND_LABEL: Record<ScheduledItem['kind'], LocalizedText> = {
  lesson: { zh: '首播', en: 'First run' },
  rerun: { zh: '重播', en: 'Rerun' },
  filler: { zh: '课间', en: 'Between lessons' },
  slate: { zh: '休息', en: 'Off air' },
  programme: { zh: '专题节目', en: 'Special programme' },
};

function describe(item: ScheduledItem, lesson: GuideLesson | undefined): LocalizedText {
  if (!lesson)
    return {
      zh: `${KIND_LABEL[item.kind].zh}：${item.title.zh}`,
      en: `${english(KIND_LABEL[item.kind])}: ${english(item.title)}`,
    };
  const zh = [
    `${lesson.grade}年级${lesson.subjectName.zh}`,
    `第${lesson.unit}单元「${lesson.unitTitle.zh}」`,
    `第${lesson.lesson}课《${lesson.title.zh}》`,
    lesson.teacher ? `主讲：${lesson.teacher}` : undefined,
    item.kind === 'rerun' ? '（重播）' : undefined,
  ];
  const en = [
    `Grade ${lesson.grade} ${english(lesson.subjectName)}`,
    `unit ${lesson.unit} "${english(lesson.unitTitle)}"`,
    `lesson ${lesson.lesson} "${english(lesson.title)}"`,
    lesson.teacher ? `teacher: ${lesson.teacher}` : undefined,
    item.kind === 'rerun' ? '(rerun)' : undefined,
  ];
  return { zh: zh.filter(Boolean).join('，'), en: en.filter(Boolean).join(', ') };
}

/**
 * xmltv_ns is zero-based `season.episode.part`. A textbook volume (上册/下册, one semester) is the season,
 * and the lesson number (第N课, numbered through the volume in the textbooks) the episode; units only group
 * lessons (they are in sub-title), they are not "parts" of a multi-part episode, so the part is left empty.
 */
export function xmltvEpisodeNumber(lesson: Pick<GuideLesson, 'volume' | 'lesson'>): string {
  return `${lesson.volume - 1}.${lesson.lesson - 1}.`;
}

export interface FirstRun {
  startMs: Instant;
  channelId: string;
}

function programmeElement(
  channel: GuideChannel,
  item: ScheduledItem,
  lesson: GuideLesson | undefined,
  firstRun: FirstRun | undefined,
  baseUrl: string | undefined,
): string {
  const zone = channel.timezone;
  const lines: string[] = [...localized('title', item.title)];
  // DTD order: title+, sub-title*, desc*, credits?, date?, category*, … episode-num*, … previously-shown?, …
  // subtitles*.
  const unit = item.unit ?? lesson?.unitTitle;
  if (unit) lines.push(...localized('sub-title', unit));
  lines.push(...localized('desc', describe(item, lesson)));
  if (lesson?.teacher) lines.push(`<credits>${element('presenter', lesson.teacher)}</credits>`);
  if (lesson) {
    lines.push(...localized('category', lesson.subjectName));
    lines.push(...localized('category', { zh: '教育', en: 'Education' }));
  } else if (item.kind === 'filler' || item.kind === 'slate') {
    lines.push(...localized('category', { zh: '课间', en: 'Interlude' }));
  }
  // Kodi and Jellyfin show a programme's icon as its picture; it needs an absolute URL.
  if (lesson?.poster && baseUrl) lines.push(`<icon${attrs({ src: absoluteUrl(baseUrl, lesson.poster.large) })}/>`);
  if (lesson) {
    lines.push(element('episode-num', `第${lesson.lesson}课`, { system: 'onscreen' }));
    lines.push(element('episode-num', xmltvEpisodeNumber(lesson), { system: 'xmltv_ns' }));
  }
  if (item.kind === 'rerun') {
    lines.push(
      firstRun
        ? `<previously-shown${attrs({ start: xmltvTime(firstRun.startMs, zone), channel: xmltvChannelId(firstRun.channelId) })}/>`
        : '<previously-shown/>',
    );
  }
  // Captions travel in the stream and are switched on by the viewer: XMLTV calls that "teletext".
  for (const language of lesson?.captions ?? []) {
    lines.push(`<subtitles type="teletext">${element('language', language)}</subtitles>`);
  }
  const open = `<programme${attrs({
    start: xmltvTime(item.startMs, zone),
    stop: xmltvTime(item.startMs + item.durationMs, zone),
    channel: xmltvChannelId(channel.id),
  })}>`;
  return `  ${open}\n${lines.map((l) => `    ${l}\n`).join('')}  </programme>\n`;
}

/** The document up to and including the `<channel>` elements (sorted by id); programmes follow, then XMLTV_TAIL. */
export function xmltvHead(input: Pick<XmltvInput, 'channels' | 'generatedAt' | 'baseUrl'>): string {
  let xml = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tv SYSTEM "xmltv.dtd">\n';
  xml += `<tv${attrs({
    date: xmltvTime(input.generatedAt, 'UTC'),
    'source-info-url': absoluteUrl(input.baseUrl, '/epg.xml'),
    'source-info-name': 'Aerial Classroom',
    'generator-info-name': 'aerial-classroom',
  })}>\n`;
  for (const channel of sortedByXmltvId(input.channels)) xml += channelElement(channel, input.baseUrl);
  return xml;
}

export const XMLTV_TAIL = '</tv>\n';

/** DTD comment: channel elements sorted by id make diffs easy. Programmes follow the same order. */
export function sortedByXmltvId<T extends Pick<GuideChannel, 'id'>>(channels: readonly T[]): T[] {
  return [...channels].sort((a, b) => xmltvChannelId(a.id).localeCompare(xmltvChannelId(b.id)));
}

/**
 * What the programmes of one published day are rendered from: its guide items (slate runs merged) and the
 * earliest first run of each lesson that day, for reruns' previously-shown. A channel-day is the unit of
 * rendering (published days are immutable, so its programmes can be rendered once), which is why a rerun
 * names a first run of the same day only; one of an earlier day gets a bare `<previously-shown/>`.
 */
export interface XmltvDay {
  channel: GuideChannel;
  items: ScheduledItem[];
  firstRuns: ReadonlyMap<string, FirstRun>;
  /** Public base URL for the programmes' poster icons (absent: no icons). */
  baseUrl?: string;
}

export function xmltvDay(channel: GuideChannel, day: DaySnapshot, baseUrl?: string): XmltvDay {
  const items = mergeSlateRuns(day.items);
  const firstRuns = new Map<string, FirstRun>();
  for (const item of items) {
    if (item.kind !== 'lesson' || !item.lessonId) continue;
    const known = firstRuns.get(item.lessonId);
    if (!known || item.startMs < known.startMs)
      firstRuns.set(item.lessonId, { startMs: item.startMs, channelId: channel.id });
  }
  return { channel, items, firstRuns, ...(baseUrl ? { baseUrl } : {}) };
}

/** `<programme>` elements of items [from, to) of a day: callers render a big day in slices. */
export function xmltvProgrammes(day: XmltvDay, lessons: LessonIndex, from = 0, to = day.items.length): string {
  let xml = '';
  for (let i = from; i < Math.min(to, day.items.length); i++) {
    const item = day.items[i]!;
    const lesson = item.lessonId ? lessons.get(item.lessonId) : undefined;
    const firstRun = item.lessonId ? day.firstRuns.get(item.lessonId) : undefined;
    const earlier = firstRun && firstRun.startMs < item.startMs ? firstRun : undefined;
    xml += programmeElement(day.channel, item, lesson, earlier, day.baseUrl);
  }
  return xml;
}

/** The whole document as one string: for small guides and tests; the origin streams the same pieces. */
export function renderXmltv(input: XmltvInput): string {
  const lessons = toLessonIndex(input.lessons);
  let xml = xmltvHead(input);
  for (const channel of sortedByXmltvId(input.channels)) {
    const days = input.days.filter((day) => day.channelId === channel.id).sort((a, b) => a.startMs - b.startMs);
    for (const day of days) xml += xmltvProgrammes(xmltvDay(channel, day, input.baseUrl), lessons);
  }
  return xml + XMLTV_TAIL;
}

/**
 * Printable weekly timetable of a channel (`/timetable/:channel?week=YYYY-Www`): what a school forwards to
 * parents. One HTML page, print CSS for A4 landscape, readable in black and white (reruns are marked with
 * words and a dashed outline, not colour).
 *
 *   renderWeeklyTimetableHtml({ channel, week, days, lessons, notice? }): string
 *
 * - `week` is an ISO week `YYYY-Www`; the seven columns are its Monday–Sunday broadcast days.
 * - Lessons, reruns and special programmes are listed with local start–end times, subject and title; fillers
 *   and slate are left out (they are in the XMLTV guide). A day not published yet says so.
 * - Suspension notices: `notice` (e.g. from the route) and every distinct notice of the week's days, on top.
 * - Every text goes through `escapeHtml`. Pure: no I/O, no clock reads.
 */
import { DateTime } from 'luxon';
import type { DaySnapshot, LocalizedText, ScheduledItem } from './model.ts';
import {
  english,
  localDateTime,
  toLessonIndex,
  type GuideChannel,
  type GuideLesson,
  type LessonIndex,
} from './guide-types.ts';

export interface WeeklyTimetableInput {
  channel: GuideChannel;
  /** ISO week, e.g. `2026-W10`. */
  week: string;
  days: readonly DaySnapshot[];
  lessons: LessonIndex | readonly GuideLesson[];
  notice?: LocalizedText;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The Monday–Sunday dates (YYYY-MM-DD) of an ISO week; RangeError naming the value if it is not one. */
export function isoWeekDates(week: string): string[] {
  const match = /^(\d{4})-W(\d{2})$/.exec(week);
  const monday = match
    ? DateTime.fromObject({ weekYear: Number(match[1]), weekNumber: Number(match[2]), weekday: 1 }, { zone: 'UTC' })
    : undefined;
  if (!monday?.isValid || monday.weekNumber !== Number(match![2])) {
    throw new RangeError(`week must be an ISO week YYYY-Www (e.g. 2026-W10), got ${JSON.stringify(week)}`);
  }
  return Array.from({ length: 7 }, (_, i) => monday.plus({ days: i }).toISODate()!);
}

const WEEKDAY_ZH = ['一', '二', '三', '四', '五', '六', '日'];
const WEEKDAY_EN = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const LISTED: ReadonlySet<ScheduledItem['kind']> = new Set(['lesson', 'rerun', 'programme']);

const STYLE = `
@page { size: A4 landscape; margin: 10mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #000; background: #fff; margin: 0; font-size: 10pt; }
header { display: flex; justify-content: space-between; align-items: baseline; border-bottom: 2px solid #000; margin-bottom: 4mm; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
.notice { border: 2px solid #000; padding: 2mm 3mm; margin-bottom: 3mm; font-weight: bold; }
.notice p { margin: 0; }
.notice .en { font-weight: normal; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { border: 1px solid #000; vertical-align: top; padding: 1.5mm; }
th { font-size: 10pt; }
th .date { display: block; font-weight: normal; }
ol { list-style: none; margin: 0; padding: 0; }
li { margin-bottom: 1.5mm; padding: 1mm; break-inside: avoid; }
li.rerun { border: 1px dashed #000; }
li.programme { border: 1px solid #000; }
.time { font-weight: bold; font-variant-numeric: tabular-nums; display: block; }
.subject { font-weight: bold; }
.tag { font-size: 8pt; border: 1px solid #000; padding: 0 1mm; margin-left: 1mm; white-space: nowrap; }
.en { font-size: 8pt; display: block; }
.empty { font-style: italic; }
footer { margin-top: 3mm; font-size: 8pt; }
@media print { header, table { break-inside: avoid; } }
`;

function entry(item: ScheduledItem, lesson: GuideLesson | undefined, timezone: string): string {
  const start = localDateTime(item.startMs, timezone).toFormat('HH:mm');
  const end = localDateTime(item.startMs + item.durationMs, timezone).toFormat('HH:mm');
  const subject = lesson?.subjectName;
  const tag =
    item.kind === 'rerun'
      ? '<span class="tag">重播 Rerun</span>'
      : item.kind === 'programme'
        ? '<span class="tag">专题 Special</span>'
        : '';
  const lessonNo = lesson ? `第${lesson.lesson}课 ` : '';
  return [
    `<li class="${item.kind}">`,
    `<span class="time">${start}–${end}${tag}</span>`,
    subject ? `<span class="subject">${escapeHtml(subject.zh)}</span> ` : '',
    `${escapeHtml(lessonNo + item.title.zh)}`,
    `<span class="en">${escapeHtml([subject ? english(subject) : undefined, english(item.title)].filter(Boolean).join(' · '))}</span>`,
    '</li>',
  ].join('');
}

export function renderWeeklyTimetableHtml(input: WeeklyTimetableInput): string {
  const { channel, week } = input;
  const dates = isoWeekDates(week);
  const lessons = toLessonIndex(input.lessons);
  const dayByDate = new Map(input.days.filter((d) => d.channelId === channel.id).map((d) => [d.date, d]));

  const notices: LocalizedText[] = [];
  const seen = new Set<string>();
  const addNotice = (text: LocalizedText) => {
    const key = `${text.zh}\u0000${text.en ?? ''}`;
    if (!seen.has(key)) {
      seen.add(key);
      notices.push(text);
    }
  };
  if (input.notice) addNotice(input.notice);
  for (const date of dates) {
    const notice = dayByDate.get(date)?.notice;
    if (notice) addNotice(notice.text);
  }

  const headers = dates.map((date, i) => {
    const [, month, day] = date.split('-');
    return `<th scope="col">星期${WEEKDAY_ZH[i]} ${WEEKDAY_EN[i]}<span class="date">${Number(month)}月${Number(day)}日 · ${date}</span></th>`;
  });
  const cells = dates.map((date) => {
    const day = dayByDate.get(date);
    if (!day) return '<td><p class="empty">暂未发布 Not yet published</p></td>';
    const items = day.items
      .filter((item) => LISTED.has(item.kind))
      .sort((a, b) => a.startMs - b.startMs)
      .map((item) => entry(item, item.lessonId ? lessons.get(item.lessonId) : undefined, channel.timezone));
    return items.length ? `<td><ol>${items.join('')}</ol></td>` : '<td><p class="empty">无课程 No lessons</p></td>';
  });

  const title = `${channel.name.zh} 课程表 ${week}`;
  const noticeHtml = notices
    .map(
      (n) =>
        `<section class="notice" role="note"><p>${escapeHtml(n.zh)}</p>${n.en ? `<p class="en">${escapeHtml(n.en)}</p>` : ''}</section>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(channel.name.zh)} · 第${escapeHtml(String(channel.number))}频道 · 课程表</h1><span>${escapeHtml(english(channel.name))} · ${escapeHtml(week)} · ${escapeHtml(dates[0]!)} – ${escapeHtml(dates[6]!)}</span></header>
${noticeHtml}
<table>
<thead><tr>${headers.join('')}</tr></thead>
<tbody><tr>${cells.join('')}</tr></tbody>
</table>
<footer>时间为${escapeHtml(channel.timezone)}当地时间。标注“重播”的为重播课程。Times are local (${escapeHtml(channel.timezone)}); “Rerun” marks repeats.</footer>
</body>
</html>
`;
}

import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { renderChannelCalendar } from '../../playlists/icalendar.ts';
import type { DaySnapshot } from '../../playlists/model.ts';
import {
  BASE_URL,
  CHANNEL_G3,
  CHANNEL_NY,
  GENERATED_AT,
  LESSONS,
  g3Days,
  g8Days,
  makeDay,
  nyDays,
} from '../helpers/guide-day-fixtures.ts';

function render(days: DaySnapshot[] = [...g3Days(), ...g8Days()], generatedAt = GENERATED_AT): string {
  return renderChannelCalendar({ channel: CHANNEL_G3, days, lessons: LESSONS, baseUrl: BASE_URL, generatedAt });
}

/** Parse with ical.js, a real RFC 5545 parser, and return the calendar and its events. */
function parseCalendar(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  return { calendar, events };
}

describe('iCalendar', () => {
  it('parses with ical.js: calendar name and time zone, one event per first run only', () => {
    const { calendar, events } = parseCalendar(render());
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('空中课堂 三年级 课表');
    expect(calendar.getFirstPropertyValue('x-wr-timezone')).toBe('Asia/Shanghai');
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    // g3: first runs 大青树下的小学, 秒的认识 (2nd) and 花的学校 (3rd); reruns, fillers, slate and g8 left out.
    expect(events.map((e) => e.summary)).toEqual([
      '语文 · 大青树下的小学',
      '数学 · 秒的认识 <1> & "练习"',
      '语文 · 花的学校',
    ]);
  });

  it('has DTSTART/DTEND at the airing instants', () => {
    const { events } = parseCalendar(render());
    const first = events[0]!;
    expect(first.startDate.toJSDate().getTime()).toBe(Date.UTC(2026, 2, 2, 0, 0)); // 08:00 +0800
    expect(first.endDate.toJSDate().getTime()).toBe(Date.UTC(2026, 2, 2, 0, 20));
    expect(first.startDate.isDate).toBe(false);
    expect(events[1]!.startDate.toJSDate().getTime()).toBe(Date.UTC(2026, 2, 2, 0, 45));
    // DST channel: 08:00 EDT and 08:00 EST are different UTC hours.
    const ny = parseCalendar(
      renderChannelCalendar({
        channel: CHANNEL_NY,
        days: nyDays(),
        lessons: LESSONS,
        baseUrl: BASE_URL,
        generatedAt: GENERATED_AT,
      }),
    );
    expect(ny.events.map((e) => e.startDate.toJSDate().toISOString())).toEqual(['2026-10-31T12:00:00.000Z']);
    expect(ny.calendar.getFirstPropertyValue('x-wr-timezone')).toBe('America/New_York');
  });

  it('carries subject, unit, catch-up link and channel', () => {
    const { events } = parseCalendar(render());
    const first = events[0]!;
    expect(first.description).toContain('语文 / Chinese');
    expect(first.description).toContain('学校生活 / School life');
    expect(first.description).toContain('第1课 Lesson 1：大青树下的小学');
    expect(first.location).toBe('空中课堂 三年级（3频道）');
    expect(first.component.getFirstPropertyValue('url')).toBe(`${BASE_URL}/vod/airings/g3-2026-03-02-0800/master.m3u8`);
    expect(first.component.getFirstPropertyValue('categories')).toBe('语文');
  });

  it('keeps UIDs stable across renders and republishes, so calendar apps update instead of duplicating', () => {
    const before = parseCalendar(render()).events;
    // A later render of a republished day: new version, a later lesson changed, same airing ids for the rest.
    const republished = makeDay(
      CHANNEL_G3,
      '2026-03-02',
      [
        { at: '08:00', minutes: 20, kind: 'lesson', lessonId: 'cn-g3-v1-u1-l1' },
        { at: '08:45', minutes: 20, kind: 'lesson', lessonId: 'cn-g3-v1-u1-l2' },
      ],
      { version: 2 },
    );
    const after = parseCalendar(render([republished], GENERATED_AT + 3_600_000)).events;
    expect(before.map((e) => e.uid)).toEqual([
      'g3-2026-03-02-0800@aerial-classroom',
      'g3-2026-03-02-0845@aerial-classroom',
      'g3-2026-03-03-0800@aerial-classroom',
    ]);
    expect(after.map((e) => e.uid)).toEqual(before.slice(0, 2).map((e) => e.uid));
    expect(after[1]!.summary).toBe('语文 · 花的学校');
    expect(after[1]!.sequence).toBe(2);
    expect(render()).toBe(render());
  });

  it('stamps events with generatedAt and reads no clock', () => {
    const text = render();
    expect(text).toContain('DTSTAMP:20260301T120000Z');
    expect(text).not.toMatch(/DTSTAMP:(?!20260301T120000Z)/);
  });
});

/**
 * Hand-built published days for the guide renderer tests: first runs, reruns, fillers, slate gaps and a
 * class-suspension notice, on a +0800 channel and on a DST channel (America/New_York across 2026-11-01).
 * Days tile their broadcast day exactly (dayStart 06:00 local to the next day's 06:00), as the build's do.
 */
import { DateTime } from 'luxon';
import type { GuideChannel, GuideLesson } from '../../playlists/guide-types.ts';
import type { DaySnapshot, ItemKind, LocalizedText, Notice, ScheduledItem } from '../../playlists/model.ts';

const SEGMENT_MS = 6000;

export const CHANNEL_G3: GuideChannel = {
  id: 'g3',
  number: 3,
  name: { zh: '空中课堂 三年级', en: 'Aerial Classroom Grade 3' },
  logo: '/static/logos/g3.png',
  timezone: 'Asia/Shanghai',
  group: '小学',
  grades: [3],
};

export const CHANNEL_G8: GuideChannel = {
  id: 'g8',
  number: 8,
  name: { zh: '空中课堂 八年级', en: 'Aerial Classroom Grade 8' },
  timezone: 'Asia/Shanghai',
  group: '初中',
  grades: [8],
};

/** A channel on a DST zone, to check offsets across the 2026-11-01 fall-back. */
export const CHANNEL_NY: GuideChannel = {
  id: 'ny7',
  number: 107,
  name: { zh: '空中课堂 纽约七年级', en: 'Aerial Classroom NY Grade 7' },
  logo: 'https://cdn.example.org/logos/ny7.png',
  timezone: 'America/New_York',
  group: '初中',
  grades: [7],
};

const chinese: LocalizedText = { zh: '语文', en: 'Chinese' };
const math: LocalizedText = { zh: '数学', en: 'Mathematics' };
const physics: LocalizedText = { zh: '物理', en: 'Physics' };

export const LESSONS: GuideLesson[] = [
  {
    id: 'cn-g3-v1-u1-l1',
    grade: 3,
    subject: 'chinese',
    subjectName: chinese,
    edition: 'tongbian',
    volume: 1,
    unit: 1,
    unitTitle: { zh: '学校生活', en: 'School life' },
    lesson: 1,
    title: { zh: '大青树下的小学', en: 'The School under the Big Banyan' },
    teacher: '王老师',
    durationS: 1200,
    captions: ['zh'],
    poster: {
      small: '/media/cn-g3-v1-u1-l1.0123456789/poster/480.jpg',
      large: '/media/cn-g3-v1-u1-l1.0123456789/poster/1280.jpg',
    },
  },
  {
    id: 'cn-g3-v1-u1-l2',
    grade: 3,
    subject: 'chinese',
    subjectName: chinese,
    edition: 'tongbian',
    volume: 1,
    unit: 1,
    unitTitle: { zh: '学校生活', en: 'School life' },
    lesson: 2,
    title: { zh: '花的学校', en: 'The School of Flowers' },
    durationS: 1200,
    captions: [],
  },
  {
    // Text that needs escaping everywhere: markup characters, quotes, an ampersand.
    id: 'ma-g3-v1-u1-l1',
    grade: 3,
    subject: 'math',
    subjectName: math,
    edition: 'pep',
    volume: 1,
    unit: 1,
    unitTitle: { zh: '时、分、秒', en: 'Hours, minutes & seconds' },
    lesson: 1,
    title: { zh: '秒的认识 <1> & "练习"', en: 'Seconds < minutes & "practice"' },
    durationS: 1200,
    captions: ['zh', 'en'],
  },
  {
    id: 'ph-g8-v1-u2-l3',
    grade: 8,
    subject: 'physics',
    subjectName: physics,
    edition: 'pep',
    volume: 1,
    unit: 2,
    unitTitle: { zh: '声现象', en: 'Sound' },
    lesson: 3,
    title: { zh: '声的利用', en: 'Using sound' },
    durationS: 1800,
    captions: ['zh'],
  },
];

export const lessonById = (id: string): GuideLesson => {
  const lesson = LESSONS.find((l) => l.id === id);
  if (!lesson) throw new Error(`fixture lesson ${id} missing`);
  return lesson;
};

/** One planned airing: local start HH:MM on the broadcast day, minutes long. */
export interface PlannedAiring {
  at: string;
  minutes: number;
  kind: Exclude<ItemKind, 'slate'>;
  lessonId?: string;
  title?: LocalizedText;
}

/**
 * A day snapshot whose items are the planned airings, with slate filling every gap, tiling
 * [dayStart, next dayStart) in the channel's zone. Item ids are `<channel>-<date>-<HHMM>` (stable).
 */
export function makeDay(
  channel: GuideChannel,
  date: string,
  airings: PlannedAiring[],
  options: { notice?: Notice; timetable?: string; version?: number; sequenceStart?: number } = {},
): DaySnapshot {
  const zone = channel.timezone;
  const dayStart = DateTime.fromISO(`${date}T06:00`, { zone });
  const startMs = dayStart.toMillis();
  const endMs = dayStart.plus({ days: 1 }).toMillis();
  const items: ScheduledItem[] = [];
  let cursor = startMs;
  let mediaSequence = options.sequenceStart ?? 0;
  let discontinuitySequence = options.sequenceStart ?? 0;
  const push = (item: Omit<ScheduledItem, 'mediaSequence' | 'discontinuitySequence' | 'segmentOffset'>) => {
    items.push({ ...item, segmentOffset: 0, mediaSequence, discontinuitySequence });
    mediaSequence += item.segmentCount;
    discontinuitySequence += 1;
  };
  const slate = (untilMs: number) => {
    if (untilMs <= cursor) return;
    const durationMs = untilMs - cursor;
    push({
      id: `${channel.id}-${date}-slate-${cursor}`,
      kind: 'slate',
      assetId: 'slate',
      title: { zh: '休息时间', en: 'Break' },
      startMs: cursor,
      durationMs,
      segmentCount: Math.ceil(durationMs / 1000),
    });
    cursor = untilMs;
  };
  for (const airing of airings) {
    const at = DateTime.fromISO(`${date}T${airing.at}`, { zone });
    // Times before the day start belong to the next calendar day (still the same broadcast day).
    const airingStart = (at < dayStart ? at.plus({ days: 1 }) : at).toMillis();
    slate(airingStart);
    const durationMs = airing.minutes * 60_000;
    const lesson = airing.lessonId ? lessonById(airing.lessonId) : undefined;
    push({
      id: `${channel.id}-${date}-${airing.at.replace(':', '')}`,
      kind: airing.kind,
      assetId: lesson ? `asset-${lesson.id}` : `asset-${airing.kind}-${airing.at}`,
      ...(lesson ? { lessonId: lesson.id, unit: lesson.unitTitle, subject: lesson.subject } : {}),
      slotId: `slot-${airing.at.replace(':', '')}`,
      title: airing.title ?? lesson?.title ?? { zh: '节目' },
      startMs: airingStart,
      durationMs,
      segmentCount: Math.ceil(durationMs / SEGMENT_MS),
      slotStartMs: airingStart,
    });
    cursor = airingStart + durationMs;
  }
  slate(endMs);
  return {
    channelId: channel.id,
    date,
    version: options.version ?? 1,
    timetable: options.timetable ?? 'term',
    startMs,
    endMs,
    mediaSequenceStart: options.sequenceStart ?? 0,
    discontinuitySequenceStart: options.sequenceStart ?? 0,
    items,
    ...(options.notice ? { notice: options.notice } : {}),
    warnings: [],
    endState: {
      endMs,
      mediaSequence,
      discontinuitySequence,
      progression: {},
      recentFirstRuns: {},
    },
  };
}

const eyeExercises: LocalizedText = { zh: '眼保健操', en: 'Eye exercises' };

export const SUSPENSION_NOTICE: Notice = {
  orderId: 'sh-2026-03',
  text: {
    zh: '因疫情停课，3月3日起请收看空中课堂 <直播> & 回放',
    en: 'Schools closed from 3 March: watch the Aerial Classroom <live> & catch-up',
  },
};

/** Grade 3 (+0800): Monday 2026-03-02 term day; Tuesday 2026-03-03 a suspension day with a notice. */
export function g3Days(): DaySnapshot[] {
  return [
    makeDay(CHANNEL_G3, '2026-03-02', [
      { at: '08:00', minutes: 20, kind: 'lesson', lessonId: 'cn-g3-v1-u1-l1' },
      { at: '08:20', minutes: 5, kind: 'filler', title: eyeExercises },
      { at: '08:45', minutes: 20, kind: 'lesson', lessonId: 'ma-g3-v1-u1-l1' },
      { at: '14:00', minutes: 20, kind: 'rerun', lessonId: 'cn-g3-v1-u1-l1' },
      // After midnight local: still the 2026-03-02 broadcast day, on the 3rd's calendar date.
      { at: '01:00', minutes: 20, kind: 'rerun', lessonId: 'ma-g3-v1-u1-l1' },
    ]),
    makeDay(
      CHANNEL_G3,
      '2026-03-03',
      [
        { at: '08:00', minutes: 20, kind: 'lesson', lessonId: 'cn-g3-v1-u1-l2' },
        { at: '08:20', minutes: 5, kind: 'filler', title: eyeExercises },
        { at: '09:00', minutes: 20, kind: 'rerun', lessonId: 'cn-g3-v1-u1-l1' },
      ],
      { notice: SUSPENSION_NOTICE, timetable: 'suspension', version: 2, sequenceStart: 20_000 },
    ),
  ];
}

export function g8Days(): DaySnapshot[] {
  return [
    makeDay(CHANNEL_G8, '2026-03-02', [
      { at: '09:00', minutes: 30, kind: 'lesson', lessonId: 'ph-g8-v1-u2-l3' },
      { at: '10:00', minutes: 10, kind: 'programme', title: { zh: '升旗仪式', en: 'Flag-raising ceremony' } },
    ]),
  ];
}

/**
 * New York: the 2026-10-31 broadcast day (06:00 EDT to 06:00 EST next morning) is 25 h long because the
 * clocks fall back at 02:00 on 2026-11-01; its 08:00 lesson is at -0400, the 1st's 08:00 rerun at -0500.
 */
export function nyDays(): DaySnapshot[] {
  return [
    makeDay(CHANNEL_NY, '2026-10-31', [{ at: '08:00', minutes: 30, kind: 'lesson', lessonId: 'ph-g8-v1-u2-l3' }]),
    makeDay(CHANNEL_NY, '2026-11-01', [{ at: '08:00', minutes: 30, kind: 'rerun', lessonId: 'ph-g8-v1-u2-l3' }]),
  ];
}

export const BASE_URL = 'https://tv.example.net/aerial';
export const GENERATED_AT = Date.UTC(2026, 2, 1, 12, 0, 0);

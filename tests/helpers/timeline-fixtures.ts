/**
 * Hand-built channel days for renderer tests and benchmarks: realistic packaging (6 s segments ending
 * in a shorter one, 1 s slate segments that loop, AAC audio whose segments are 6.016 / 5.995 s) and a
 * small deterministic "build" that tiles broadcast days from 06:00 local to 06:00 local with slate in
 * the gaps, carries media / discontinuity sequences from day to day, and can republish a day mid-day
 * keeping every item that starts before the cutoff. Not the real schedule build: a fixture that obeys
 * the same published-day contract, so the renderers can be tested on their own.
 */
import { DateTime } from 'luxon';
import { captionTrackName } from '../../playlists/media-layout.ts';
import type {
  AssetTimeline,
  DaySnapshot,
  ItemKind,
  LocalizedText,
  RenditionInfo,
  ScheduledItem,
} from '../../playlists/model.ts';

export const VIDEO_RENDITIONS = ['v720', 'v360'] as const;
export const AUDIO_RENDITION = 'a64';
export const RENDITION_NAMES = [...VIDEO_RENDITIONS, AUDIO_RENDITION];

export const LADDER: RenditionInfo[] = [
  {
    name: 'v720',
    type: 'video',
    width: 1280,
    height: 720,
    frameRate: 25,
    bandwidth: 2_400_000,
    averageBandwidth: 1_900_000,
    codecs: 'avc1.64001f,mp4a.40.2',
  },
  {
    name: 'v360',
    type: 'video',
    width: 640,
    height: 360,
    frameRate: 25,
    bandwidth: 900_000,
    averageBandwidth: 700_000,
    codecs: 'avc1.4d401e,mp4a.40.2',
  },
  { name: 'a64', type: 'audio', bandwidth: 80_000, averageBandwidth: 70_000, codecs: 'mp4a.40.2' },
];

const AAC_FRAME_SAMPLES = 1024;
const AUDIO_RATE = 48_000;

/**
 * Audio segment durations as an audio-only packager cuts them: at the first AAC frame boundary at or after each
 * video cut.
 */
export function audioSecondsFor(segmentMs: readonly number[]): number[] {
  const out: number[] = [];
  let endMs = 0;
  let framesBefore = 0;
  for (const ms of segmentMs) {
    endMs += ms;
    const frames = Math.ceil((endMs * AUDIO_RATE) / 1000 / AAC_FRAME_SAMPLES);
    out.push(((frames - framesBefore) * AAC_FRAME_SAMPLES) / AUDIO_RATE);
    framesBefore = frames;
  }
  return out;
}

export function assetFromSegments(id: string, segmentMs: number[]): AssetTimeline {
  const video = segmentMs.map((ms) => ms / 1000);
  return { id, segmentMs, renditionSegmentSeconds: { v720: video, v360: [...video], a64: audioSecondsFor(segmentMs) } };
}

/** A packaged clip: 6 s segments, the last one shorter (or a full one when the duration divides evenly). */
export function clipAsset(id: string, durationMs: number, segmentMs = 6000): AssetTimeline {
  const segments: number[] = [];
  for (let left = durationMs; left > 0; left -= segmentMs) segments.push(Math.min(segmentMs, left));
  return assetFromSegments(id, segments);
}

export const SLATE_ID = 'slate';
export const SLATE_SEGMENTS = 10;
const MAX_SLATE_ITEM_SECONDS = 30 * 60;

/** The asset with caption tracks of these languages (catalog order), named as packaging names them. */
export function withCaptions(asset: AssetTimeline, languages: readonly string[]): AssetTimeline {
  return { ...asset, captions: languages.map((language) => ({ language, name: captionTrackName(language) })) };
}

/** Lessons 1–2 have Chinese captions, lesson 3 Chinese and English, lesson 4 none; fillers and the slate none. */
export function standardAssets(): Map<string, AssetTimeline> {
  const assets = [
    withCaptions(clipAsset('lesson-math-01', 20 * 60_000 + 3_200), ['zh']),
    withCaptions(clipAsset('lesson-chinese-02', 19 * 60_000 + 47_560), ['zh']),
    withCaptions(clipAsset('lesson-english-03', 25 * 60_000 + 400), ['zh', 'en']),
    clipAsset('lesson-science-04', 18 * 60_000),
    clipAsset('filler-eye-exercises', 5 * 60_000),
    clipAsset('filler-calisthenics', 4 * 60_000 + 2_500),
    clipAsset('ident', 8_500),
    assetFromSegments(
      SLATE_ID,
      Array.from({ length: SLATE_SEGMENTS }, () => 1000),
    ),
  ];
  return new Map(assets.map((a) => [a.id, a]));
}

export interface PlannedItem {
  /** Local wall time "HH:MM[:SS]" the slot wants; absent = right after the previous item. */
  at?: string;
  assetId: string;
  kind: ItemKind;
  title: LocalizedText;
  lessonId?: string;
}

const lesson = (at: string, assetId: string, zh: string, en: string, kind: ItemKind = 'lesson'): PlannedItem => ({
  at,
  assetId,
  kind,
  title: { zh, en },
  lessonId: assetId,
});
const filler = (assetId: string, zh: string, en: string, at?: string): PlannedItem => ({
  at,
  assetId,
  kind: 'filler',
  title: { zh, en },
});

/** A school day: morning first runs with eye exercises between, a burst of short idents, afternoon reruns. */
export const SCHOOL_DAY: PlannedItem[] = [
  lesson('08:00', 'lesson-math-01', '数学 第三单元 "图形", 第1课', 'Maths unit 3 "Shapes", lesson 1'),
  filler('filler-eye-exercises', '眼保健操', 'Eye exercises'),
  lesson('08:30', 'lesson-chinese-02', '语文 第2课 秋天', 'Chinese lesson 2: Autumn'),
  filler('filler-calisthenics', '课间操', 'Calisthenics'),
  lesson('09:00', 'lesson-english-03', '英语 Unit 1', 'English unit 1'),
  filler('ident', '台标', 'Ident', '09:30'),
  filler('ident', '台标', 'Ident'),
  filler('ident', '台标', 'Ident'),
  lesson('09:30:40', 'lesson-science-04', '科学 第4课 水', 'Science lesson 4: Water'),
  lesson('14:00', 'lesson-math-01', '数学 第三单元 "图形", 第1课（重播）', 'Maths unit 3, lesson 1 (rerun)', 'rerun'),
  filler('filler-eye-exercises', '眼保健操', 'Eye exercises'),
  lesson('14:30', 'lesson-chinese-02', '语文 第2课 秋天（重播）', 'Chinese lesson 2 (rerun)', 'rerun'),
];

/** What a mid-day republish puts in the afternoon instead: a special programme, then the reruns later. */
export const SPECIAL_AFTERNOON: PlannedItem[] = [
  {
    at: '12:00',
    assetId: 'lesson-science-04',
    kind: 'programme',
    title: { zh: '特别节目：防疫知识', en: 'Special: staying healthy' },
  },
  filler('ident', '台标', 'Ident'),
  lesson('15:00', 'lesson-math-01', '数学 第三单元 "图形", 第1课（重播）', 'Maths unit 3, lesson 1 (rerun)', 'rerun'),
  lesson('15:30', 'lesson-english-03', '英语 Unit 1（重播）', 'English unit 1 (rerun)', 'rerun'),
];

export interface FixtureChannel {
  id: string;
  zone: string;
  /** Local day start "HH:MM". */
  dayStart: string;
}

export const LONDON_CHANNEL: FixtureChannel = { id: 'g3-london', zone: 'Europe/London', dayStart: '06:00' };

function localInstant(channel: FixtureChannel, date: string, time: string): number {
  return DateTime.fromISO(`${date}T${time}`, { zone: channel.zone }).toMillis();
}

function nextDate(date: string): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;
}

interface Cursor {
  ms: number;
  mediaSequence: number;
  discontinuitySequence: number;
}

/** Build one broadcast day from the previous day's end (or the channel's epoch) by the fixture's rules. */
export function buildFixtureDay(
  channel: FixtureChannel,
  assets: ReadonlyMap<string, AssetTimeline>,
  date: string,
  previous: DaySnapshot | undefined,
  plan: readonly PlannedItem[],
  republish?: { of: DaySnapshot; cutoffMs: number; plan: readonly PlannedItem[] },
): DaySnapshot {
  const startMs = previous ? previous.endMs : localInstant(channel, date, channel.dayStart);
  const nominalEndMs = localInstant(channel, nextDate(date), channel.dayStart);
  const mediaSequenceStart = previous ? previous.endState.mediaSequence : 0;
  const discontinuitySequenceStart = previous ? previous.endState.discontinuitySequence : 0;
  const cursor: Cursor = {
    ms: startMs,
    mediaSequence: mediaSequenceStart,
    discontinuitySequence: discontinuitySequenceStart,
  };
  const items: ScheduledItem[] = [];
  const idPrefix = `${channel.id}-${date}${republish ? `-v${republish.of.version + 1}` : ''}`;

  const push = (
    assetId: string,
    kind: ItemKind,
    title: LocalizedText,
    segmentOffset: number,
    segmentCount: number,
    extra: Partial<ScheduledItem> = {},
  ) => {
    const asset = assets.get(assetId)!;
    const n = asset.segmentMs.length;
    let durationMs = 0;
    for (let k = 0; k < segmentCount; k++) durationMs += asset.segmentMs[(segmentOffset + k) % n]!;
    items.push({
      id: `${idPrefix}-${items.length}`,
      kind,
      assetId,
      title,
      startMs: cursor.ms,
      durationMs,
      segmentOffset,
      segmentCount,
      mediaSequence: cursor.mediaSequence,
      discontinuitySequence: cursor.discontinuitySequence,
      ...extra,
    });
    cursor.ms += durationMs;
    cursor.mediaSequence += segmentCount;
    cursor.discontinuitySequence += 1;
  };
  // Slate fills a gap to within 1 s, in items of at most 30 min so a republish can replace the rest of a
  // long gap; its loop position follows the wall clock so items loop from anywhere in the slate.
  const slateUntil = (ms: number) => {
    for (
      let seconds = Math.floor((ms - cursor.ms) / 1000);
      seconds >= 1;
      seconds = Math.floor((ms - cursor.ms) / 1000)
    ) {
      const count = Math.min(seconds, MAX_SLATE_ITEM_SECONDS);
      push(
        SLATE_ID,
        'slate',
        { zh: '稍后播出', en: 'Coming up' },
        Math.floor(cursor.ms / 1000) % SLATE_SEGMENTS,
        count,
      );
    }
  };
  const place = (planned: readonly PlannedItem[]) => {
    for (const p of planned) {
      const wanted = p.at ? localInstant(channel, date, p.at) : undefined;
      if (wanted !== undefined && wanted < cursor.ms) continue; // overrun past the slot: the fixture drops it
      if (wanted !== undefined) slateUntil(wanted);
      const asset = assets.get(p.assetId)!;
      push(p.assetId, p.kind, p.title, 0, asset.segmentMs.length, {
        ...(p.lessonId ? { lessonId: p.lessonId } : {}),
        ...(wanted !== undefined ? { slotStartMs: wanted } : {}),
      });
    }
  };

  if (republish) {
    for (const item of republish.of.items) {
      if (item.startMs >= republish.cutoffMs) break;
      items.push(item);
      cursor.ms = item.startMs + item.durationMs;
      cursor.mediaSequence = item.mediaSequence + item.segmentCount;
      cursor.discontinuitySequence = item.discontinuitySequence + 1;
    }
    place(republish.plan);
  } else {
    place(plan);
  }
  slateUntil(nominalEndMs);
  return {
    channelId: channel.id,
    date,
    version: republish ? republish.of.version + 1 : 1,
    timetable: 'term',
    startMs,
    endMs: cursor.ms,
    mediaSequenceStart,
    discontinuitySequenceStart,
    items,
    warnings: [],
    endState: {
      endMs: cursor.ms,
      mediaSequence: cursor.mediaSequence,
      discontinuitySequence: cursor.discontinuitySequence,
      progression: {},
      recentFirstRuns: {},
    },
  };
}

/** Consecutive school days from `firstDate`. */
export function buildFixtureDays(
  channel: FixtureChannel,
  assets: ReadonlyMap<string, AssetTimeline>,
  firstDate: string,
  count: number,
  plan: readonly PlannedItem[] = SCHOOL_DAY,
  previous?: DaySnapshot,
): DaySnapshot[] {
  const days: DaySnapshot[] = [];
  let date = firstDate;
  for (let i = 0; i < count; i++) {
    const day = buildFixtureDay(channel, assets, date, days[days.length - 1] ?? previous, plan);
    days.push(day);
    date = nextDate(date);
  }
  return days;
}

/**
 * The London channel around the end of British Summer Time: 2024-10-25 (24 h), 2024-10-26 (25 h: clocks
 * go back on the 27th at 02:00), 2024-10-27 and 2024-10-28; day 2024-10-27 is republished at 11:00 local
 * with a 2 min guard (items from 11:02 on change), and the following day is rebuilt after it.
 */
export interface RepublishScenario {
  channel: FixtureChannel;
  assets: Map<string, AssetTimeline>;
  /** Days as published before the republish. */
  before: DaySnapshot[];
  /** Days as published after it (same prefix, the republished day v2, the next day rebuilt). */
  after: DaySnapshot[];
  republishAtMs: number;
  cutoffMs: number;
}

export const REPUBLISH_GUARD_MS = 2 * 60_000;

export function londonDstScenario(): RepublishScenario {
  const channel = LONDON_CHANNEL;
  const assets = standardAssets();
  const before = buildFixtureDays(channel, assets, '2024-10-25', 4);
  const republishAtMs = localInstant(channel, '2024-10-27', '11:00');
  const cutoffMs = republishAtMs + REPUBLISH_GUARD_MS;
  const republished = buildFixtureDay(channel, assets, '2024-10-27', before[1], [], {
    of: before[2]!,
    cutoffMs,
    plan: SPECIAL_AFTERNOON,
  });
  const nextDay = buildFixtureDay(channel, assets, '2024-10-28', republished, SCHOOL_DAY);
  const after = [before[0]!, before[1]!, republished, nextDay];
  return { channel, assets, before, after, republishAtMs, cutoffMs };
}

/** A week of a grade channel in Asia/Shanghai with 20-minute lessons, for the benchmark. */
export function shanghaiWeek(channelIndex: number, assets: Map<string, AssetTimeline>): DaySnapshot[] {
  const channel: FixtureChannel = { id: `g${channelIndex + 1}`, zone: 'Asia/Shanghai', dayStart: '06:00' };
  return buildFixtureDays(channel, assets, '2024-03-04', 7);
}

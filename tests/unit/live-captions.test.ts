import { describe, expect, it } from 'vitest';
import {
  captionDisplayName,
  captionLanguageOf,
  channelCaptionLanguages,
  EMPTY_CAPTION_SEGMENT_PATH,
} from '../../playlists/captions.ts';
import { buildChannelTimeline, type ChannelTimeline } from '../../playlists/channel-timeline.ts';
import { renderLiveCaptionPlaylist, renderLiveMediaPlaylist } from '../../playlists/live.ts';
import { checkCaptionAlignment, checkLiveMediaPlaylist, parseMediaPlaylist } from '../helpers/hls-conformance.ts';
import {
  buildFixtureDays,
  LONDON_CHANNEL,
  SCHOOL_DAY,
  standardAssets,
  type PlannedItem,
} from '../helpers/timeline-fixtures.ts';

const assets = standardAssets();
/** Day 1: the school day (zh and en lessons); days 2–3: only the uncaptioned science lesson and fillers. */
const UNCAPTIONED_DAY: PlannedItem[] = [
  {
    at: '08:00',
    assetId: 'lesson-science-04',
    kind: 'lesson',
    title: { zh: '科学 第4课 水', en: 'Science 4' },
    lessonId: 'lesson-science-04',
  },
  { assetId: 'filler-eye-exercises', kind: 'filler', title: { zh: '眼保健操', en: 'Eye exercises' } },
];
const day1 = buildFixtureDays(LONDON_CHANNEL, assets, '2024-10-21', 1, SCHOOL_DAY);
const later = buildFixtureDays(LONDON_CHANNEL, assets, '2024-10-22', 2, UNCAPTIONED_DAY, day1[0]);
const days = [...day1, ...later];
const timeline = buildChannelTimeline(days, assets);

function caption(
  nowMs: number,
  language = 'zh',
  extra: { startAtMs?: number; timeline?: ChannelTimeline } = {},
): string {
  const rendered = renderLiveCaptionPlaylist({
    timeline: extra.timeline ?? timeline,
    language,
    nowMs,
    ...(extra.startAtMs !== undefined ? { startAtMs: extra.startAtMs } : {}),
  });
  if (typeof rendered !== 'string')
    throw new Error(`no caption playlist at ${new Date(nowMs).toISOString()}: ${rendered.reason}`);
  return rendered;
}

function video(nowMs: number, startAtMs?: number): string {
  const rendered = renderLiveMediaPlaylist({
    timeline,
    rendition: 'v720',
    nowMs,
    ...(startAtMs !== undefined ? { startAtMs } : {}),
  });
  if (typeof rendered !== 'string') throw new Error(rendered.reason);
  return rendered;
}

describe('caption names', () => {
  it('names zh 中文 and en English, anything else by its tag; sub-<lang> playlist names map back to the language', () => {
    expect([
      captionDisplayName('zh'),
      captionDisplayName('en'),
      captionDisplayName('yue'),
      captionDisplayName('constructor'),
    ]).toEqual(['中文', 'English', 'yue', 'constructor']);
    expect([
      captionLanguageOf('sub-zh'),
      captionLanguageOf('sub-zh-Hans'),
      captionLanguageOf('sub-'),
      captionLanguageOf('360p'),
    ]).toEqual(['zh', 'zh-Hans', undefined, undefined]);
  });
});

describe('channelCaptionLanguages: the broadcast day on air and the day before', () => {
  it('offers a language from the first instant of a day with a captioned item, through the next day, then drops it', () => {
    const [d1, d2, d3] = days;
    expect(channelCaptionLanguages(timeline, d1!.startMs)).toEqual(['zh', 'en']);
    // Day 2 has no captions of its own; start-over and yesterday's viewers still reach day 1.
    expect(channelCaptionLanguages(timeline, d2!.startMs)).toEqual(['zh', 'en']);
    expect(channelCaptionLanguages(timeline, d2!.endMs - 1)).toEqual(['zh', 'en']);
    expect(channelCaptionLanguages(timeline, d3!.startMs)).toEqual([]);
  });

  it('never changes within a broadcast day (polled every minute over three days)', () => {
    const byDate = new Map<string, Set<string>>();
    for (let t = timeline.startMs; t < timeline.endMs; t += 60_000) {
      const date = timeline.itemAt(t)!.date;
      if (!byDate.has(date)) byDate.set(date, new Set());
      byDate.get(date)!.add(channelCaptionLanguages(timeline, t).join(','));
    }
    expect([...byDate.entries()].map(([date, sets]) => [date, [...sets]])).toEqual([
      ['2024-10-21', ['zh,en']],
      ['2024-10-22', ['zh,en']],
      ['2024-10-23', ['']],
    ]);
  });
});

describe('renderLiveCaptionPlaylist', () => {
  const school = days[0]!;
  const lesson = school.items.find((i) => i.assetId === 'lesson-math-01')!;
  const filler = school.items[school.items.indexOf(lesson) + 1]!;

  it('mirrors the video window across a programme boundary: captioned lesson → .vtt segments, filler → the empty segment', () => {
    const now = filler.startMs + 20_000;
    const text = caption(now);
    const playlist = parseMediaPlaylist(text);
    const videoPlaylist = parseMediaPlaylist(video(now));
    expect(
      checkCaptionAlignment({
        caption: playlist,
        video: videoPlaylist,
        trackName: 'sub-zh',
        emptySegmentUri: EMPTY_CAPTION_SEGMENT_PATH,
      }),
    ).toEqual([]);
    expect(checkLiveMediaPlaylist({ playlist, nowMs: now, canonical: true }, { targetDuration: 6 })).toEqual([]);
    const uris = playlist.segments.map((s) => s.uri);
    expect(uris.filter((u) => u.startsWith('/media/lesson-math-01/sub-zh/')).length).toBeGreaterThan(0);
    expect(uris.filter((u) => u === EMPTY_CAPTION_SEGMENT_PATH).length).toBeGreaterThan(0);
    const boundary = playlist.segments.findIndex((s) => s.uri === EMPTY_CAPTION_SEGMENT_PATH);
    expect(playlist.segments[boundary]!.discontinuity).toBe(true);
    expect(playlist.segments[boundary]!.programDateTime!.getTime()).toBe(filler.startMs);
    expect(text).toContain('#EXT-X-VERSION:3');
  });

  it('an English track lists only the lesson that has English; the Chinese-only lessons point at the empty segment', () => {
    const english = school.items.find((i) => i.assetId === 'lesson-english-03')!;
    const inEnglish = parseMediaPlaylist(caption(english.startMs + 60_000, 'en'));
    expect(inEnglish.segments.every((s) => s.uri.startsWith('/media/lesson-english-03/sub-en/'))).toBe(true);
    const inMaths = parseMediaPlaylist(caption(lesson.startMs + 60_000, 'en'));
    expect(inMaths.segments.every((s) => s.uri === EMPTY_CAPTION_SEGMENT_PATH)).toBe(true);
  });

  it('start-over: the caption playlist starts at the same programme with the same EXT-X-START', () => {
    const now = lesson.startMs + 30 * 60_000;
    const playlist = parseMediaPlaylist(caption(now, 'zh', { startAtMs: lesson.startMs + 1_000 }));
    const videoPlaylist = parseMediaPlaylist(video(now, lesson.startMs + 1_000));
    expect(playlist.mediaSequenceBase).toBe(lesson.mediaSequence);
    expect(playlist.start).toEqual({ offset: 0, precise: true });
    expect(
      checkCaptionAlignment({
        caption: playlist,
        video: videoPlaylist,
        trackName: 'sub-zh',
        emptySegmentUri: EMPTY_CAPTION_SEGMENT_PATH,
      }),
    ).toEqual([]);
  });

  it('a language the channel does not offer at now is unavailable, not an all-empty playlist', () => {
    const onDay3 = days[2]!.startMs + 3_600_000;
    const result = renderLiveCaptionPlaylist({ timeline, language: 'zh', nowMs: onDay3 });
    expect(typeof result === 'string' ? 'rendered' : result.reason).toBe('unknown-caption-language');
    const french = renderLiveCaptionPlaylist({ timeline, language: 'fr', nowMs: lesson.startMs + 60_000 });
    expect(typeof french === 'string' ? 'rendered' : french.reason).toBe('unknown-caption-language');
  });
});

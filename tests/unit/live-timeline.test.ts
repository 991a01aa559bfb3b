import { describe, expect, it } from 'vitest';
import {
  buildChannelTimeline,
  ChannelTimelineError,
  contiguousDaysAround,
  type TimelineSegment,
} from '../../playlists/channel-timeline.ts';
import { LivePlaylistConfigError, renderLiveMediaPlaylist, type LiveUnavailable } from '../../playlists/live.ts';
import type { DaySnapshot } from '../../playlists/model.ts';
import { parseMediaPlaylist } from '../helpers/hls-conformance.ts';
import { londonDstScenario, SLATE_ID, SLATE_SEGMENTS } from '../helpers/timeline-fixtures.ts';

const scenario = londonDstScenario();
const timeline = buildChannelTimeline(scenario.before, scenario.assets);

function allSegments(): TimelineSegment[] {
  const out: TimelineSegment[] = [];
  for (let s: TimelineSegment | undefined = timeline.firstSegment(); s; s = timeline.next(s)) out.push(s);
  return out;
}

describe('channel timeline index', () => {
  const segments = allSegments();

  it('walks every segment contiguously: media sequence +1, PDT = previous PDT + canonical ms, items start on their published start', () => {
    expect(segments.length).toBe(scenario.before[3]!.endState.mediaSequence);
    // Collected rather than asserted one by one: 300k expect() calls would dominate the test's time.
    const broken: string[] = [];
    for (let i = 1; i < segments.length; i++) {
      const [a, b] = [segments[i - 1]!, segments[i]!];
      if (b.mediaSequence !== a.mediaSequence + 1) broken.push(`msn ${b.mediaSequence} after ${a.mediaSequence}`);
      if (b.startMs !== a.startMs + a.durationMs) broken.push(`segment ${b.mediaSequence} starts at ${b.startMs}`);
      if (b.indexInItem === 0 && b.startMs !== b.entry.item.startMs)
        broken.push(`item ${b.entry.item.id} first segment at ${b.startMs}`);
      if (b.indexInItem === 0 && b.discontinuitySequence !== a.discontinuitySequence + 1)
        broken.push(`item ${b.entry.item.id} discontinuity sequence`);
    }
    expect(broken).toEqual([]);
    expect(segments.at(-1)!.startMs + segments.at(-1)!.durationMs).toBe(timeline.endMs);
  });

  it('answers segmentAt, lastAiredSegment and segmentBySequence like a linear scan (sampled)', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let n = 0; n < 3000; n++) {
      const s = segments[Math.floor(random() * segments.length)]!;
      const t = s.startMs + Math.floor(random() * s.durationMs);
      expect(timeline.segmentAt(t)).toEqual(s);
      expect(timeline.segmentBySequence(s.mediaSequence)).toEqual(s);
      expect(timeline.lastAiredSegment(s.startMs + s.durationMs)).toEqual(s);
      if (t > s.startMs) expect(timeline.lastAiredSegment(t)?.mediaSequence).toBe(s.mediaSequence - 1);
    }
    expect(timeline.segmentAt(timeline.startMs - 1)).toBeUndefined();
    expect(timeline.segmentAt(timeline.endMs)).toBeUndefined();
    expect(timeline.segmentBySequence(segments.length)).toBeUndefined();
  });

  it('loops slate items through their asset from their offset', () => {
    const slate = timeline.items.find(
      (e) => e.item.assetId === SLATE_ID && e.item.segmentOffset > 0 && e.item.segmentCount > 2 * SLATE_SEGMENTS,
    )!;
    expect(slate).toBeDefined();
    for (let k = 0; k < slate.item.segmentCount; k += 7) {
      const s = timeline.segmentOf(slate, k);
      expect(s.assetSegment).toBe((slate.item.segmentOffset + k) % SLATE_SEGMENTS);
      expect(s.startMs).toBe(slate.startMs + k * 1000);
    }
  });

  it('rejects inconsistent days with problems naming the day, item and field, and indexes nothing', () => {
    const clone = (): DaySnapshot[] => structuredClone(scenario.before);
    const expectProblem = (days: DaySnapshot[], pattern: RegExp) => {
      let error: unknown;
      try {
        buildChannelTimeline(days, scenario.assets);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ChannelTimelineError);
      expect((error as ChannelTimelineError).problems.join('\n')).toMatch(pattern);
    };
    const gap = clone();
    gap.splice(1, 1);
    expectProblem(gap, /day 2024-10-27 v1: startMs \d+ does not equal the previous day's \(2024-10-25\) endMs/);
    const sequence = clone();
    sequence[0]!.items[3]!.mediaSequence += 1;
    expectProblem(sequence, /day 2024-10-25 v1 item 3 \(g3-london-2024-10-25-3\): mediaSequence \d+, expected \d+/);
    const discontinuity = clone();
    discontinuity[1]!.items[0]!.discontinuitySequence += 1;
    expectProblem(discontinuity, /day 2024-10-26 v1 item 0 .*discontinuitySequence/);
    const duration = clone();
    duration[0]!.items[4]!.durationMs += 1;
    expectProblem(duration, /item 4 .*durationMs \d+, but its \d+ segments last \d+ ms/);
    const unknown = clone();
    unknown[0]!.items[4]!.assetId = 'no-such-asset';
    expectProblem(unknown, /asset no-such-asset is unknown/);
    const mismatched = new Map(scenario.assets);
    const ident = mismatched.get('ident')!;
    mismatched.set('ident', { ...ident, renditionSegmentSeconds: { v720: ident.renditionSegmentSeconds.v720! } });
    expect(() => buildChannelTimeline(scenario.before, mismatched)).toThrow(
      /renditions \[v720\] differ from the channel's/,
    );
    expect(() => buildChannelTimeline([], scenario.assets)).toThrow(ChannelTimelineError);
  });

  it('finds the run of abutting days around an instant', () => {
    const days = [scenario.before[0]!, scenario.before[2]!, scenario.before[3]!];
    expect(contiguousDaysAround(days, scenario.before[3]!.startMs + 1)?.map((d) => d.date)).toEqual([
      '2024-10-27',
      '2024-10-28',
    ]);
    expect(contiguousDaysAround(days, scenario.before[1]!.startMs + 1)).toBeUndefined();
  });
});

describe('renderLiveMediaPlaylist', () => {
  const lessonEntry = timeline.items.find((e) => e.item.kind === 'lesson')!;
  const render = (nowMs: number, rendition = 'v720', extra: object = {}) =>
    renderLiveMediaPlaylist({ timeline, rendition, nowMs, ...extra });

  it('gives identical bytes for the same instant from two separately built timelines', () => {
    const again = londonDstScenario();
    const other = buildChannelTimeline(structuredClone(again.before), again.assets);
    for (const offset of [0, 1, 5_999, 6_000, 3600_000, 20 * 3600_000, 30 * 3600_000]) {
      const nowMs = lessonEntry.startMs + offset;
      for (const rendition of ['v720', 'a64']) {
        expect(renderLiveMediaPlaylist({ timeline: other, rendition, nowMs })).toBe(render(nowMs, rendition));
      }
    }
  });

  it('lists the last 10 fully aired segments, and more when short slate segments would last under 3 target durations', () => {
    const inLesson = parseMediaPlaylist(render(lessonEntry.startMs + 120_000) as string);
    expect(inLesson.segments).toHaveLength(10);
    expect(inLesson.segments.at(-1)!.programDateTime!.getTime() + 6000).toBe(lessonEntry.startMs + 120_000);
    const inSlate = parseMediaPlaylist(render(timeline.startMs + 600_500) as string);
    expect(inSlate.segments.length).toBeGreaterThan(10);
    expect(inSlate.segments.reduce((sum, s) => sum + s.duration, 0)).toBeGreaterThanOrEqual(18);
    expect(
      parseMediaPlaylist(render(lessonEntry.startMs + 120_000, 'v720', { windowSegments: 12 }) as string).segments,
    ).toHaveLength(12);
  });

  it('takes EXTINF from each rendition and PDT from the canonical timeline', () => {
    const now = lessonEntry.startMs + 120_000;
    const video = parseMediaPlaylist(render(now, 'v720') as string);
    const audio = parseMediaPlaylist(render(now, 'a64') as string);
    expect(video.segments.map((s) => s.duration)).toEqual(Array(10).fill(6));
    expect(new Set(audio.segments.map((s) => s.duration))).toEqual(new Set([6.016, 5.995]));
    expect(audio.segments.map((s) => s.programDateTime!.getTime())).toEqual(
      video.segments.map((s) => s.programDateTime!.getTime()),
    );
    expect(audio.segments[0]!.uri).toMatch(/^\/media\/lesson-math-01\/a64\/seg\d{5}\.ts$/);
    expect(render(now, 'a64', { mediaBaseUrl: 'https://cdn.example/m' })).toContain(
      '\nhttps://cdn.example/m/lesson-math-01/a64/seg',
    );
  });

  it('starts a window on an item boundary with that item’s discontinuity sequence and no EXT-X-DISCONTINUITY', () => {
    const text = render(lessonEntry.startMs + 60_000) as string;
    expect(text).toContain(`#EXT-X-MEDIA-SEQUENCE:${lessonEntry.item.mediaSequence}\n`);
    expect(text).toContain(`#EXT-X-DISCONTINUITY-SEQUENCE:${lessonEntry.item.discontinuitySequence}\n`);
    expect(text).not.toContain('#EXT-X-DISCONTINUITY\n');
    expect(text).toContain(`START-DATE="${new Date(lessonEntry.startMs).toISOString()}"`);
  });

  it('announces programmes with a DATERANGE carrying safe quoted titles', () => {
    const text = render(lessonEntry.startMs + 60_000) as string;
    const line = text.split('\n').find((l) => l.startsWith('#EXT-X-DATERANGE'))!;
    expect(line).toBe(
      `#EXT-X-DATERANGE:ID="${lessonEntry.item.id}",CLASS="cn.aerial-classroom.programme",START-DATE="${new Date(lessonEntry.startMs).toISOString()}",` +
        `DURATION=1203.200,X-KIND="lesson",X-TITLE="数学 第三单元 “图形”, 第1课",X-TITLE-EN="Maths unit 3 “Shapes”, lesson 1",X-LESSON-ID="lesson-math-01"`,
    );
    expect(parseMediaPlaylist(text).segments[0]!.dateRange!.attributes['X-TITLE-EN']).toBe(
      'Maths unit 3 “Shapes”, lesson 1',
    );
    expect(text).not.toContain('PLAYLIST-TYPE');
  });

  it('returns a typed answer when nothing can be listed, and throws on misconfiguration', () => {
    const reason = (r: string | LiveUnavailable) => (typeof r === 'string' ? 'playlist' : r.reason);
    expect(reason(render(timeline.startMs - 1))).toBe('before-start');
    expect(reason(render(timeline.endMs))).toBe('after-end');
    expect(reason(render(timeline.startMs + 500))).toBe('no-segment-yet');
    expect(reason(render(lessonEntry.startMs, 'v1080'))).toBe('unknown-rendition');
    expect(reason(render(lessonEntry.startMs, 'v720', { startAtMs: timeline.startMs - 1 }))).toBe(
      'start-not-available',
    );
    expect(reason(render(lessonEntry.startMs, 'v720', { startAtMs: lessonEntry.startMs + 1 }))).toBe(
      'start-not-available',
    );
    const unavailable = render(timeline.endMs) as LiveUnavailable;
    expect(unavailable).toMatchObject({ kind: 'unavailable', channelId: 'g3-london', publishedEndMs: timeline.endMs });
    expect(() => render(lessonEntry.startMs, 'v720', { windowSegments: 5 })).toThrow(LivePlaylistConfigError);
    expect(() => render(lessonEntry.startMs, 'v720', { targetDurationS: 5 })).toThrow(/below the longest segment/);
  });

  it('start-over of the last few seconds is the live window, without EXT-X-START', () => {
    const now = lessonEntry.startMs + 120_000;
    const live = render(now) as string;
    const recent = render(now, 'v720', { startAtMs: now - 3_000 }) as string;
    expect(recent).toBe(live);
  });
});

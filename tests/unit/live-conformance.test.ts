import { describe, expect, it } from 'vitest';
import { buildChannelTimeline, type ChannelTimeline } from '../../playlists/channel-timeline.ts';
import { EMPTY_CAPTION_SEGMENT_PATH } from '../../playlists/captions.ts';
import { renderLiveCaptionPlaylist, renderLiveMediaPlaylist } from '../../playlists/live.ts';
import {
  checkCaptionAlignment,
  checkLiveMediaPlaylist,
  parseMediaPlaylist,
  type MediaPlaylist,
  type Violation,
} from '../helpers/hls-conformance.ts';
import { londonDstScenario, RENDITION_NAMES } from '../helpers/timeline-fixtures.ts';

const POLL_MS = 2_000;
const TARGET_DURATION = 6;

const CAPTION_LANGUAGES = ['zh', 'en'];
/** zh (most lessons) is checked at every poll, en (one lesson a day) at every 5th: the test stays quick. */
const EVERY_NTH_POLL: Record<string, number> = { zh: 1, en: 5 };

/** A rendition name, or `sub-<lang>` for that language's caption track. */
function render(timeline: ChannelTimeline, rendition: string, nowMs: number, startAtMs?: number): string {
  const common = { timeline, nowMs, ...(startAtMs !== undefined ? { startAtMs } : {}) };
  const text = rendition.startsWith('sub-')
    ? renderLiveCaptionPlaylist({ ...common, language: rendition.slice(4) })
    : renderLiveMediaPlaylist({ ...common, rendition });
  if (typeof text !== 'string')
    throw new Error(`no ${rendition} playlist at ${new Date(nowMs).toISOString()}: ${text.reason}`);
  return text;
}

/** The caption tracks polled with the renditions: each stays conformant and aligned with the canonical video. */
function checkCaptions(
  timeline: ChannelTimeline,
  now: number,
  canonical: MediaPlaylist,
  previous: Map<string, MediaPlaylist>,
  poll: number,
  startAtMs?: number,
): { violations: Violation[]; captioned: number } {
  const violations: Violation[] = [];
  let captioned = 0;
  for (const language of CAPTION_LANGUAGES) {
    if (poll % EVERY_NTH_POLL[language]! !== 0) continue;
    const track = `sub-${language}`;
    const playlist = parseMediaPlaylist(render(timeline, track, now, startAtMs));
    violations.push(
      ...checkLiveMediaPlaylist(
        { playlist, previous: previous.get(track), nowMs: now, canonical: true },
        { targetDuration: TARGET_DURATION },
      ),
      ...checkCaptionAlignment({
        caption: playlist,
        video: canonical,
        trackName: track,
        emptySegmentUri: EMPTY_CAPTION_SEGMENT_PATH,
      }),
    );
    captioned += playlist.segments.filter((s) => s.uri.endsWith('.vtt') && s.uri !== EMPTY_CAPTION_SEGMENT_PATH).length;
    previous.set(track, playlist);
  }
  return { violations, captioned };
}

describe('live playlists polled every 2 s over three simulated days (day boundary, 25 h DST day, mid-day republish)', () => {
  it('every poll of every rendition and caption track parses strictly, passes the conformance checker, and captions stay aligned with the video', () => {
    const scenario = londonDstScenario();
    const before = buildChannelTimeline(scenario.before, scenario.assets);
    const after = buildChannelTimeline(scenario.after, scenario.assets);
    const dstDay = scenario.before[1]!;
    expect(dstDay.endMs - dstDay.startMs).toBeGreaterThan(25 * 3600_000 - 1000); // the 25 h day

    const fromMs = before.startMs + 60_000; // once a full window has aired
    const toMs = scenario.after[3]!.startMs + 3600_000; // into the day after the republished one
    expect(toMs - fromMs).toBeGreaterThanOrEqual(3 * 24 * 3600_000);

    const previous = new Map<string, MediaPlaylist>();
    const violations: Array<Violation & { at: string; rendition: string }> = [];
    const programmesSeen = new Set<string>();
    const datesInOneWindow = new Set<string>();
    let polls = 0;
    let captionPolls = 0;
    let captionedSegments = 0;
    const discontinuitySegments = new Set<number>();
    for (let now = fromMs; now <= toMs; now += POLL_MS) {
      const timeline = now < scenario.republishAtMs ? before : after;
      const polled = RENDITION_NAMES.map((rendition) => ({
        rendition,
        playlist: parseMediaPlaylist(render(timeline, rendition, now)),
      }));
      for (const [i, { rendition, playlist }] of polled.entries()) {
        const found = checkLiveMediaPlaylist(
          {
            playlist,
            previous: previous.get(rendition),
            // Agreement is transitive: compare the canonical rendition with every other one.
            siblings: i === 0 ? polled.slice(1).map((p) => p.playlist) : [],
            nowMs: now,
            canonical: rendition === 'v720',
          },
          { targetDuration: TARGET_DURATION },
        );
        for (const v of found)
          if (violations.length < 20) violations.push({ ...v, at: new Date(now).toISOString(), rendition });
        previous.set(rendition, playlist);
        polls++;
      }
      const canonical = polled[0]!.playlist;
      const captions = checkCaptions(timeline, now, canonical, previous, captionPolls);
      for (const v of captions.violations)
        if (violations.length < 20) violations.push({ ...v, at: new Date(now).toISOString(), rendition: 'captions' });
      captionedSegments += captions.captioned;
      captionPolls++;
      for (const s of canonical.segments) {
        if (s.dateRange) programmesSeen.add(s.dateRange.id);
        if (s.discontinuity) discontinuitySegments.add(s.mediaSequenceNumber);
      }
      if (
        canonical.segments[0]!.programDateTime!.getTime() < dstDay.endMs &&
        canonical.segments.at(-1)!.programDateTime!.getTime() >= dstDay.endMs
      ) {
        datesInOneWindow.add('dst-day→next');
      }
    }
    expect(violations).toEqual([]);
    expect(polls).toBeGreaterThan(3 * 3 * 43_000);
    // The simulation really crossed what it claims to: a window spanning the DST day's end, the republished
    // special programme on air, and every programme of the polled range announced by a DATERANGE.
    expect(datesInOneWindow).toContain('dst-day→next');
    const special = scenario.after[2]!.items.find((item) => item.kind === 'programme')!;
    expect(programmesSeen).toContain(special.id);
    const expectedIds = [
      ...before.items.filter((e) => e.endMs > fromMs && e.startMs < scenario.republishAtMs),
      ...after.items.filter((e) => e.endMs > scenario.republishAtMs && e.startMs < toMs - 10_000),
    ].map((e) => e.item.id);
    expect(expectedIds.length).toBeGreaterThan(60);
    expect([...expectedIds].filter((id) => !programmesSeen.has(id))).toEqual([]);
    expect(discontinuitySegments.size).toBeGreaterThan(60);
    // The caption tracks were polled as often, and listed real caption segments (not only the empty one).
    expect(captionPolls).toBe(polls / RENDITION_NAMES.length);
    expect(captionedSegments).toBeGreaterThan(10_000);
  }, 600_000);

  it('start-over playlists grow from the requested programme and stay conformant as they grow', () => {
    const scenario = londonDstScenario();
    const timeline = buildChannelTimeline(scenario.before, scenario.assets);
    const programme = scenario.before[0]!.items.find((item) => item.kind === 'lesson')!;
    const previous = new Map<string, MediaPlaylist>();
    const violations: Violation[] = [];
    for (let now = programme.startMs + 3600_000; now < programme.startMs + 3600_000 + 20 * 60_000; now += 30_000) {
      const polled = RENDITION_NAMES.map((rendition) => ({
        rendition,
        text: render(timeline, rendition, now, programme.startMs + 1_500),
      }));
      for (const [i, { rendition, text }] of polled.entries()) {
        const playlist = parseMediaPlaylist(text);
        expect(playlist.mediaSequenceBase).toBe(programme.mediaSequence);
        expect(playlist.segments[0]!.programDateTime!.getTime()).toBe(programme.startMs);
        expect(playlist.start).toEqual({ offset: 0, precise: true });
        violations.push(
          ...checkLiveMediaPlaylist(
            {
              playlist,
              previous: previous.get(rendition),
              siblings: i === 0 ? polled.slice(1).map((p) => parseMediaPlaylist(p.text)) : [],
              nowMs: now,
              canonical: rendition === 'v720',
            },
            { targetDuration: TARGET_DURATION },
          ),
        );
        previous.set(rendition, playlist);
      }
      violations.push(
        ...checkCaptions(timeline, now, parseMediaPlaylist(polled[0]!.text), previous, 0, programme.startMs + 1_500)
          .violations,
      );
    }
    expect(violations).toEqual([]);
  });
});

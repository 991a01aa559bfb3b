import { describe, expect, it } from 'vitest';
import { buildChannelTimeline } from '../../playlists/channel-timeline.ts';
import { EMPTY_CAPTION_SEGMENT_PATH } from '../../playlists/captions.ts';
import { renderLiveCaptionPlaylist, renderLiveMediaPlaylist } from '../../playlists/live.ts';
import {
  checkCaptionAlignment,
  checkLiveMediaPlaylist,
  parseMediaPlaylist,
  type ConformanceRule,
  type MediaPlaylist,
} from '../helpers/hls-conformance.ts';
import { londonDstScenario } from '../helpers/timeline-fixtures.ts';

// A known-good pair of consecutive polls across a programme boundary; each test breaks one invariant.
const scenario = londonDstScenario();
const timeline = buildChannelTimeline(scenario.before, scenario.assets);
const day = scenario.before[0]!;
const lessonIndex = day.items.findIndex((item) => item.kind === 'lesson');
const lesson = day.items[lessonIndex]!;
const nextItem = day.items[lessonIndex + 1]!;
/** 18 s after the lesson ended: the window holds the lesson's tail and the next item's start. */
const NOW = nextItem.startMs + 18_000;
const PREVIOUS_NOW = NOW - 6_000;

function text(rendition: string, nowMs: number): string {
  const rendered = renderLiveMediaPlaylist({ timeline, rendition, nowMs });
  if (typeof rendered !== 'string') throw new Error(rendered.reason);
  return rendered;
}
const good = {
  current: text('v720', NOW),
  previous: text('v720', PREVIOUS_NOW),
  audio: text('a64', NOW),
};

/** `previous: null` checks the playlist on its own. */
function rulesOf(
  current: string | MediaPlaylist,
  extra: { previous?: string | null; siblings?: string[]; nowMs?: number } = {},
): ConformanceRule[] {
  const playlist = typeof current === 'string' ? parseMediaPlaylist(current) : current;
  const previous = extra.previous === null ? undefined : parseMediaPlaylist(extra.previous ?? good.previous);
  return checkLiveMediaPlaylist(
    {
      playlist,
      previous,
      siblings: (extra.siblings ?? [good.audio]).map(parseMediaPlaylist),
      nowMs: extra.nowMs ?? NOW,
      canonical: true,
    },
    { targetDuration: 6 },
  ).map((v) => v.rule);
}

/** Replace exactly one occurrence (the test would prove nothing if the pattern were absent). */
function replaceOnce(
  source: string,
  pattern: string | RegExp,
  replacement: string | ((match: string, ...groups: string[]) => string),
): string {
  const out =
    typeof replacement === 'string' ? source.replace(pattern, replacement) : source.replace(pattern, replacement);
  expect(out).not.toBe(source);
  return out;
}

describe('the conformance checker', () => {
  it('accepts the renderer output it is meant to police (the fixture spans a programme boundary)', () => {
    expect(good.current).toContain('#EXT-X-DISCONTINUITY\n');
    expect(good.current).toContain(`ID="${lesson.id}"`);
    expect(good.current).toContain(`ID="${nextItem.id}"`);
    expect(rulesOf(good.current)).toEqual([]);
  });

  it('flags EXT-X-PLAYLIST-TYPE and EXT-X-ENDLIST on a live playlist', () => {
    expect(
      rulesOf(
        replaceOnce(good.current, '#EXT-X-TARGETDURATION:6', '#EXT-X-TARGETDURATION:6\n#EXT-X-PLAYLIST-TYPE:EVENT'),
      ),
    ).toContain('no-playlist-type');
    expect(rulesOf(`${good.current}#EXT-X-ENDLIST\n`)).toContain('no-endlist');
  });

  it('flags a target duration that changes between polls or differs from the channel', () => {
    expect(rulesOf(replaceOnce(good.current, '#EXT-X-TARGETDURATION:6', '#EXT-X-TARGETDURATION:7'))).toContain(
      'target-duration-constant',
    );
  });

  it('flags an EXTINF that rounds above the target duration', () => {
    // Strict parsing already rejects it in text, so break the parsed playlist.
    const playlist = parseMediaPlaylist(good.current);
    playlist.segments[2]!.duration = 6.6;
    expect(rulesOf(playlist)).toContain('extinf-within-target');
  });

  it('flags a window that shrank below 6 segments or 3 target durations', () => {
    const playlist = parseMediaPlaylist(good.current);
    playlist.segments.splice(0, playlist.segments.length - 5);
    playlist.mediaSequenceBase = playlist.segments[0]!.mediaSequenceNumber;
    expect(rulesOf(playlist)).toContain('window-size');
  });

  it('flags a media sequence that does not follow the removed segments', () => {
    const shifted = replaceOnce(
      good.current,
      /#EXT-X-MEDIA-SEQUENCE:(\d+)/,
      (_: string, n: string) => `#EXT-X-MEDIA-SEQUENCE:${Number(n) + 1}`,
    );
    expect(rulesOf(shifted)).toContain('media-sequence-identity');
    const back = replaceOnce(
      good.current,
      /#EXT-X-MEDIA-SEQUENCE:(\d+)/,
      (_: string, n: string) => `#EXT-X-MEDIA-SEQUENCE:${Number(n) - 5}`,
    );
    expect(rulesOf(back)).toContain('media-sequence-monotonic');
  });

  it('flags a window that skipped segments between polls', () => {
    expect(rulesOf(good.current, { previous: text('v720', NOW - 120_000) })).toContain('segments-skipped');
  });

  it('flags a discontinuity sequence that does not grow by one per removed discontinuity', () => {
    const later = text('v720', NOW + 6_000 * 7); // the boundary has left the window
    const broken = replaceOnce(
      later,
      /#EXT-X-DISCONTINUITY-SEQUENCE:(\d+)/,
      (_: string, n: string) => `#EXT-X-DISCONTINUITY-SEQUENCE:${Number(n) - 1}`,
    );
    expect(rulesOf(broken, { previous: good.current, siblings: [], nowMs: NOW + 6_000 * 7 })).toContain(
      'discontinuity-sequence',
    );
    expect(rulesOf(later, { previous: good.current, siblings: [], nowMs: NOW + 6_000 * 7 })).toEqual([]);
  });

  it('flags a programme boundary without EXT-X-DISCONTINUITY, one inside a programme, and one at the window edge', () => {
    const missing = replaceOnce(good.current, '#EXT-X-DISCONTINUITY\n', '');
    expect(rulesOf(missing)).toContain('discontinuity-at-boundary');
    const lines = good.current.split('\n');
    const firstPdt = lines.findIndex((l) => l.startsWith('#EXT-X-PROGRAM-DATE-TIME'));
    const secondPdt = lines.findIndex((l, i) => i > firstPdt && l.startsWith('#EXT-X-PROGRAM-DATE-TIME'));
    const inside = [...lines.slice(0, secondPdt), '#EXT-X-DISCONTINUITY', ...lines.slice(secondPdt)].join('\n');
    expect(rulesOf(inside, { previous: null })).toContain('unexpected-discontinuity');
    const edge = [...lines.slice(0, firstPdt), '#EXT-X-DISCONTINUITY', ...lines.slice(firstPdt)].join('\n');
    expect(rulesOf(edge)).toContain('discontinuity-at-window-edge');
  });

  it('flags a segment without PDT, and PDTs that are not contiguous', () => {
    const lines = good.current.split('\n');
    const pdt = lines.findIndex(
      (l, i) => i > 10 && l.startsWith('#EXT-X-PROGRAM-DATE-TIME') && !lines[i + 1]!.startsWith('#EXT-X-DATERANGE'),
    );
    const without = [...lines.slice(0, pdt), ...lines.slice(pdt + 1)].join('\n');
    expect(rulesOf(without)).toContain('pdt-on-every-segment');
    const shifted = new Date(
      new Date(lines[pdt]!.slice('#EXT-X-PROGRAM-DATE-TIME:'.length)).getTime() + 40,
    ).toISOString();
    const drifted = [...lines.slice(0, pdt), `#EXT-X-PROGRAM-DATE-TIME:${shifted}`, ...lines.slice(pdt + 1)].join('\n');
    expect(rulesOf(drifted)).toContain('pdt-contiguous');
  });

  it('flags missing, duplicated, untitled, misplaced, changed and prematurely removed DATERANGEs', () => {
    const withoutNext = good.current
      .split('\n')
      .filter((l) => !l.includes(`ID="${nextItem.id}"`))
      .join('\n');
    expect(rulesOf(withoutNext)).toContain('daterange-coverage');
    const untitled = replaceOnce(good.current, /,X-TITLE="[^"]*"/, '');
    expect(rulesOf(untitled)).toContain('daterange-title');
    const renamed = replaceOnce(good.current, /X-TITLE-EN="[^"]*"/, 'X-TITLE-EN="Another title"');
    expect(rulesOf(renamed)).toContain('daterange-stable');
    const moved = good.current
      .split('\n')
      .map((l) =>
        l.includes(`ID="${nextItem.id}"`)
          ? replaceOnce(l, new Date(nextItem.startMs).toISOString(), new Date(nextItem.startMs + 500).toISOString())
          : l,
      )
      .join('\n');
    expect(rulesOf(moved, { previous: null })).toContain('daterange-start-is-pdt');
    const duplicated = parseMediaPlaylist(good.current);
    duplicated.segments[1]!.dateRange = duplicated.segments.find((s) => s.dateRange)!.dateRange!;
    expect(rulesOf(duplicated)).toContain('daterange-unique');
    // The lesson's DATERANGE disappears while the lesson's tail is still listed.
    const removed = good.current
      .split('\n')
      .filter((l) => !l.includes(`ID="${lesson.id}"`))
      .join('\n');
    expect(rulesOf(removed)).toContain('daterange-removed-early');
  });

  it('flags renditions that disagree on sequence numbers or PDT', () => {
    const audioShifted = replaceOnce(
      good.audio,
      /#EXT-X-MEDIA-SEQUENCE:(\d+)/,
      (_: string, n: string) => `#EXT-X-MEDIA-SEQUENCE:${Number(n) + 1}`,
    );
    expect(rulesOf(good.current, { siblings: [audioShifted] })).toContain('renditions-agree');
    const earlierAudio = text('a64', NOW - 6_000);
    expect(rulesOf(good.current, { siblings: [earlierAudio] })).toContain('renditions-agree');
  });

  it('flags a stale playlist (no new segment for 1.5 target durations) and segments from the future', () => {
    expect(rulesOf(good.current, { nowMs: NOW + 10_000 })).toContain('freshness');
    expect(rulesOf(good.current, { nowMs: NOW - 3_000 })).toContain('future-segment');
  });

  it('flags a caption playlist that is not aligned with the video (other window, lost discontinuity, wrong segment)', () => {
    const captionAt = (nowMs: number) => {
      const rendered = renderLiveCaptionPlaylist({ timeline, language: 'zh', nowMs });
      if (typeof rendered !== 'string') throw new Error(rendered.reason);
      return rendered;
    };
    const video = parseMediaPlaylist(good.current);
    const rules = (caption: string) =>
      checkCaptionAlignment({
        caption: parseMediaPlaylist(caption),
        video,
        trackName: 'sub-zh',
        emptySegmentUri: EMPTY_CAPTION_SEGMENT_PATH,
      }).map((v) => v.rule);
    const good_ = captionAt(NOW);
    // The fixture window holds the captioned lesson's tail and the uncaptioned item after it.
    expect(good_).toContain(`/${lesson.assetId}/sub-zh/seg`);
    expect(good_).toContain(EMPTY_CAPTION_SEGMENT_PATH);
    expect(rules(good_)).toEqual([]);
    expect(rules(captionAt(NOW - 6_000))).toContain('caption-aligned');
    expect(rules(replaceOnce(good_, '#EXT-X-DISCONTINUITY\n', ''))).toContain('caption-aligned');
    expect(
      rules(
        replaceOnce(
          good_,
          /seg(\d{5})\.vtt/,
          (_: string, n: string) => `seg${String(Number(n) + 1).padStart(5, '0')}.vtt`,
        ),
      ),
    ).toEqual(['caption-uri']);
  });
});

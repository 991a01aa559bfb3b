/**
 * Live media playlist renderer (RFC 8216 + Apple's HLS authoring spec). Pure: the bytes depend only on
 * (timeline, rendition, now, options), so two processes — or one before and after a restart — serve the
 * same playlist at the same instant.
 *
 *   const result = renderLiveMediaPlaylist({ timeline, rendition: 'v720', nowMs });
 *   if (typeof result !== 'string') → LiveUnavailable: { reason: 'unknown-rendition' | 'before-start' |
 *     'after-end' | 'no-segment-yet' | 'start-not-available' } — the origin decides (404, slate, 4xx).
 *   Misconfiguration (window < 6 segments, target duration below the longest segment) throws
 *   LivePlaylistConfigError.
 *
 * What a playlist holds:
 * - the segments that have fully aired (end ≤ now): the last `windowSegments`, extended backwards until
 *   every rendition's window lasts ≥ 3 target durations (1 s slate segments need more than 10);
 *   with `startAtMs` (start-over), everything from the segment containing that instant to now, plus
 *   EXT-X-START pointing at it;
 * - EXT-X-MEDIA-SEQUENCE / EXT-X-DISCONTINUITY-SEQUENCE of the first segment, before any segment;
 * - EXT-X-PROGRAM-DATE-TIME on every segment, from the canonical timeline (identical for all renditions);
 * - EXTINF from this rendition's own packaging (audio segments differ from video by a few ms);
 * - EXT-X-DISCONTINUITY before the first segment of every item, except the window's first segment (its
 *   boundary is already counted in the discontinuity sequence);
 * - one EXT-X-DATERANGE per programme with a segment in the window, before that programme's first segment
 *   in the window, with attributes derived only from the (immutable) item so they never change;
 * - no EXT-X-PLAYLIST-TYPE, no EXT-X-ENDLIST.
 * renderLiveCaptionPlaylist() writes a language's WebVTT track over exactly the same window (see there).
 */
import type { ChannelTimeline, TimelineItem, TimelineSegment } from './channel-timeline.ts';
import { decimalSeconds, isoInstant, joinUrl, msAsSeconds, quotedString } from './hls-format.ts';
import { captionSegmentPath, segmentPath } from './media-layout.ts';
import { captionTrackOf, channelCaptionLanguages, EMPTY_CAPTION_SEGMENT_PATH } from './captions.ts';
import type { Instant } from './model.ts';

export const DEFAULT_WINDOW_SEGMENTS = 10;
export const MIN_WINDOW_SEGMENTS = 6;
export const MIN_WINDOW_TARGET_DURATIONS = 3;
export const DEFAULT_TARGET_DURATION_S = 6;
/** CLASS of our programme DATERANGEs (RFC 8216 §4.3.2.7: a client-interpretable namespace). */
export const PROGRAMME_DATERANGE_CLASS = 'cn.aerial-classroom.programme';
/** Decimal floating-point EXTINF needs protocol version 3; nothing else we emit needs more. */
const MEDIA_PLAYLIST_VERSION = 3;

export interface LivePlaylistOptions {
  timeline: ChannelTimeline;
  rendition: string;
  nowMs: Instant;
  /** Segments in the sliding window (≥ 6); the window grows further if needed to last 3 target durations. */
  windowSegments?: number;
  /** The channel's constant EXT-X-TARGETDURATION, whole seconds. */
  targetDurationS?: number;
  /** Start-over: begin at the segment on air at this instant (the caller bounds it to the last 24 h). */
  startAtMs?: Instant;
  /** Prefix of segment URIs; segment paths come from media-layout's segmentPath(). */
  mediaBaseUrl?: string;
}

export type LiveUnavailableReason =
  /** The channel's ladder has no rendition of that name. */
  | 'unknown-rendition'
  /** Nothing is published yet at `nowMs`. */
  | 'before-start'
  /** The published days end at or before `nowMs` (publish more, or serve slate). */
  | 'after-end'
  /** Published, but not one segment has finished airing yet (the channel's epoch just began). */
  | 'no-segment-yet'
  /** `startAtMs` is outside the published timeline or not in the past. */
  | 'start-not-available'
  /** Caption playlists: the channel offers no caption track of that language at `nowMs` (captions.ts rule). */
  | 'unknown-caption-language';

export interface LiveUnavailable {
  kind: 'unavailable';
  reason: LiveUnavailableReason;
  channelId: string;
  nowMs: Instant;
  publishedStartMs: Instant;
  publishedEndMs: Instant;
}

/** A caller-side mistake (bad window or target duration): fix the configuration, not the request. */
export class LivePlaylistConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LivePlaylistConfigError';
  }
}

export function validateLiveConfig(timeline: ChannelTimeline, windowSegments: number, targetDurationS: number): void {
  if (!Number.isInteger(windowSegments) || windowSegments < MIN_WINDOW_SEGMENTS) {
    throw new LivePlaylistConfigError(`windowSegments ${windowSegments} must be an integer ≥ ${MIN_WINDOW_SEGMENTS}`);
  }
  if (!Number.isInteger(targetDurationS) || targetDurationS < 1) {
    throw new LivePlaylistConfigError(`targetDurationS ${targetDurationS} must be a positive integer`);
  }
  if (targetDurationS < timeline.maxRoundedSegmentSeconds) {
    throw new LivePlaylistConfigError(
      `targetDurationS ${targetDurationS} is below the longest segment of channel ${timeline.channelId} (${timeline.maxRoundedSegmentSeconds} s rounded)`,
    );
  }
}

/**
 * The first segment of the sliding window ending at `last`: ≥ windowSegments segments and ≥ 3 target durations in
 * every rendition.
 */
export function slidingWindowStart(
  timeline: ChannelTimeline,
  last: TimelineSegment,
  windowSegments: number,
  targetDurationS: number,
): TimelineSegment {
  const minMs = MIN_WINDOW_TARGET_DURATIONS * targetDurationS * 1000;
  let first = last;
  let count = 1;
  let shortestTotalMs = timeline.shortestDurationMs(last);
  while (count < windowSegments || shortestTotalMs < minMs) {
    const before = timeline.previous(first);
    if (!before) break;
    first = before;
    count++;
    shortestTotalMs += timeline.shortestDurationMs(before);
  }
  return first;
}

export function programmeDateRange(entry: TimelineItem): string {
  const { item } = entry;
  let line =
    `#EXT-X-DATERANGE:ID=${quotedString(item.id)},CLASS="${PROGRAMME_DATERANGE_CLASS}",` +
    `START-DATE="${isoInstant(item.startMs)}",DURATION=${msAsSeconds(item.durationMs)},` +
    `X-KIND="${item.kind}",X-TITLE=${quotedString(item.title.zh)}`;
  if (item.title.en !== undefined) line += `,X-TITLE-EN=${quotedString(item.title.en)}`;
  if (item.lessonId !== undefined) line += `,X-LESSON-ID=${quotedString(item.lessonId)}`;
  return line;
}

function unavailable(
  options: Pick<LivePlaylistOptions, 'timeline' | 'nowMs'>,
  reason: LiveUnavailableReason,
): LiveUnavailable {
  const { timeline, nowMs } = options;
  return {
    kind: 'unavailable',
    reason,
    channelId: timeline.channelId,
    nowMs,
    publishedStartMs: timeline.startMs,
    publishedEndMs: timeline.endMs,
  };
}

/** One segment line of a track: its EXTINF and URI. */
type SegmentWriter = (segment: TimelineSegment) => { extinf: string; uri: string };

export function renderLiveMediaPlaylist(options: LivePlaylistOptions): string | LiveUnavailable {
  const { timeline, rendition, mediaBaseUrl = '/media/' } = options;
  validateLiveConfig(
    timeline,
    options.windowSegments ?? DEFAULT_WINDOW_SEGMENTS,
    options.targetDurationS ?? DEFAULT_TARGET_DURATION_S,
  );
  if (!timeline.renditions.includes(rendition)) return unavailable(options, 'unknown-rendition');
  return renderWindow(options, (segment) => {
    const { entry } = segment;
    const seconds = entry.asset.timeline.renditionSegmentSeconds[rendition]![segment.assetSegment]!;
    return {
      extinf: decimalSeconds(seconds),
      uri: joinUrl(mediaBaseUrl, segmentPath(entry.item.assetId, rendition, segment.assetSegment)),
    };
  });
}

export interface LiveCaptionPlaylistOptions extends Omit<LivePlaylistOptions, 'rendition'> {
  /** BCP 47 tag of the caption track. */
  language: string;
  /** URI of the empty WebVTT segment listed for items without this language (see captions.ts). */
  emptySegmentUri?: string;
}

/**
 * The live caption (WebVTT) media playlist of a language: the video playlist's window exactly — same
 * EXT-X-MEDIA-SEQUENCE, EXT-X-DISCONTINUITY-SEQUENCE, discontinuities, PROGRAM-DATE-TIME, DATERANGEs and
 * EXT-X-START — with EXTINF from the canonical timeline, so hls.js maps every caption segment onto the video
 * segment of the same sequence number and discontinuity, across programme boundaries. An item whose asset
 * has an L track lists its segments (media/<asset>/sub-L/segNNNNN.vtt, one per canonical segment); any other
 * item lists the empty segment once per video segment. A language the channel does not offer at now
 * (channelCaptionLanguages) is 'unknown-caption-language'.
 */
export function renderLiveCaptionPlaylist(options: LiveCaptionPlaylistOptions): string | LiveUnavailable {
  const { timeline, language, nowMs, mediaBaseUrl = '/media/', emptySegmentUri = EMPTY_CAPTION_SEGMENT_PATH } = options;
  validateLiveConfig(
    timeline,
    options.windowSegments ?? DEFAULT_WINDOW_SEGMENTS,
    options.targetDurationS ?? DEFAULT_TARGET_DURATION_S,
  );
  if (!channelCaptionLanguages(timeline, nowMs).includes(language))
    return unavailable(options, 'unknown-caption-language');
  return renderWindow(options, (segment) => {
    const { entry } = segment;
    const track = captionTrackOf(entry.asset.timeline, language);
    const uri = track
      ? joinUrl(mediaBaseUrl, captionSegmentPath(entry.item.assetId, track.name, segment.assetSegment))
      : emptySegmentUri;
    return { extinf: msAsSeconds(segment.durationMs), uri };
  });
}

/** The window (live or start-over) of any track of the channel: the structure every track shares. */
function renderWindow(
  options: LivePlaylistOptions | LiveCaptionPlaylistOptions,
  writeSegment: SegmentWriter,
): string | LiveUnavailable {
  const {
    timeline,
    nowMs,
    windowSegments = DEFAULT_WINDOW_SEGMENTS,
    targetDurationS = DEFAULT_TARGET_DURATION_S,
    startAtMs,
  } = options;
  if (nowMs < timeline.startMs) return unavailable(options, 'before-start');
  if (nowMs >= timeline.endMs) return unavailable(options, 'after-end');
  const last = timeline.lastAiredSegment(nowMs);
  if (!last) return unavailable(options, 'no-segment-yet');

  let first = slidingWindowStart(timeline, last, windowSegments, targetDurationS);
  let startAt: TimelineSegment | undefined;
  if (startAtMs !== undefined) {
    const requested = startAtMs < nowMs ? timeline.segmentAt(startAtMs) : undefined;
    if (!requested) return unavailable(options, 'start-not-available');
    // Never shorter than the live window: a start-over of the last few seconds is just the live window.
    if (requested.mediaSequence < first.mediaSequence) first = requested;
    startAt = requested;
  }

  const lines: string[] = [
    '#EXTM3U',
    `#EXT-X-VERSION:${MEDIA_PLAYLIST_VERSION}`,
    `#EXT-X-TARGETDURATION:${targetDurationS}`,
    `#EXT-X-MEDIA-SEQUENCE:${first.mediaSequence}`,
    `#EXT-X-DISCONTINUITY-SEQUENCE:${first.discontinuitySequence}`,
  ];
  const startLineIndex = lines.length;
  // Integer ms of this track's EXTINFs so far: EXT-X-START is in the track's own media time.
  let elapsedMs = 0;
  let startOffsetMs: number | undefined;
  let previousEntry: TimelineItem | undefined;
  for (let segment: TimelineSegment | undefined = first; segment; segment = timeline.next(segment)) {
    const { entry } = segment;
    if (startAt && segment.mediaSequence === startAt.mediaSequence) startOffsetMs = elapsedMs;
    if (entry !== previousEntry) {
      if (previousEntry) lines.push('#EXT-X-DISCONTINUITY');
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${isoInstant(segment.startMs)}`, programmeDateRange(entry));
      previousEntry = entry;
    } else {
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${isoInstant(segment.startMs)}`);
    }
    const { extinf, uri } = writeSegment(segment);
    lines.push(`#EXTINF:${extinf},`, uri);
    elapsedMs += Math.round(Number(extinf) * 1000);
    if (segment.mediaSequence === last.mediaSequence) break;
  }
  // RFC 8216 §4.3.5.2: a live start point SHOULD NOT be within three target durations of the end.
  if (
    startOffsetMs !== undefined &&
    elapsedMs - startOffsetMs >= MIN_WINDOW_TARGET_DURATIONS * targetDurationS * 1000
  ) {
    lines.splice(startLineIndex, 0, `#EXT-X-START:TIME-OFFSET=${msAsSeconds(startOffsetMs)},PRECISE=YES`);
  }
  lines.push('');
  return lines.join('\n');
}

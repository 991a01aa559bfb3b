/**
 * VOD media playlist renderer: a packaged lesson on demand, or a past airing as catch-up. Pure.
 *
 *   renderVodMediaPlaylist(asset, 'v720')                                   → the whole asset
 *   renderVodMediaPlaylist(asset, 'v720', { segmentRange: { offset: item.segmentOffset, count: item.segmentCount },
 *                                           programDateTimeMs: item.startMs })  → a past airing
 *
 * EXT-X-PLAYLIST-TYPE:VOD and EXT-X-ENDLIST; EXTINF from this rendition's own packaging; segment k of a
 * range is asset segment (offset + k) mod count, as on air, so a looping slate or filler airing replays
 * exactly what aired — with EXT-X-DISCONTINUITY at each loop wrap, where the media timestamps restart.
 * With `programDateTimeMs` every segment carries EXT-X-PROGRAM-DATE-TIME from the canonical timeline
 * (the airing's real start + offset), so catch-up shows the wall clock of the broadcast.
 * EXT-X-TARGETDURATION defaults to the smallest legal value for the segments listed.
 * renderVodCaptionPlaylist(asset, 'zh', sameOptions) lists the asset's WebVTT caption segments over the same range.
 * Bad arguments (unknown rendition or caption language, range outside the asset) throw VodPlaylistError.
 */
import type { AssetTimeline, Instant } from './model.ts';
import { decimalSeconds, isoInstant, joinUrl, msAsSeconds, roundedSeconds } from './hls-format.ts';
import { captionSegmentPath, segmentPath } from './media-layout.ts';
import { captionTrackOf } from './captions.ts';

export interface SegmentRange {
  /** First asset segment. */
  offset: number;
  /** Number of segments; may exceed the asset's (the range loops). */
  count: number;
}

export interface VodPlaylistOptions {
  segmentRange?: SegmentRange;
  /** Wall-clock start of the airing: adds EXT-X-PROGRAM-DATE-TIME to every segment. */
  programDateTimeMs?: Instant;
  mediaBaseUrl?: string;
  /** Whole seconds; defaults to the longest listed segment, rounded. */
  targetDurationS?: number;
}

export class VodPlaylistError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VodPlaylistError';
  }
}

export function renderVodMediaPlaylist(
  asset: AssetTimeline,
  rendition: string,
  options: VodPlaylistOptions = {},
): string {
  const seconds = asset.renditionSegmentSeconds[rendition];
  if (!seconds) throw new VodPlaylistError(`asset ${asset.id} has no rendition ${rendition}`);
  const n = asset.segmentMs.length;
  if (n === 0 || seconds.length !== n)
    throw new VodPlaylistError(
      `asset ${asset.id} rendition ${rendition}: ${seconds.length} durations for ${n} segments`,
    );
  const mediaBaseUrl = options.mediaBaseUrl ?? '/media/';
  return renderSegments(asset, options, (index) => ({
    extinf: decimalSeconds(seconds[index]!),
    uri: joinUrl(mediaBaseUrl, segmentPath(asset.id, rendition, index)),
  }));
}

/**
 * The caption (WebVTT) media playlist of a language, for the same lesson or airing as renderVodMediaPlaylist
 * with the same options: one EXTINF per canonical segment (durations from the canonical timeline), pointing
 * at media/<asset>/sub-<lang>/segNNNNN.vtt, with the same discontinuities and PROGRAM-DATE-TIMEs as the
 * video, so captions stay on the video's timeline. An asset without that language throws VodPlaylistError.
 */
export function renderVodCaptionPlaylist(
  asset: AssetTimeline,
  language: string,
  options: VodPlaylistOptions = {},
): string {
  const track = captionTrackOf(asset, language);
  if (!track) {
    const have = (asset.captions ?? []).map((t) => t.language);
    throw new VodPlaylistError(
      `asset ${asset.id} has no caption track in '${language}' (${have.length ? `captions: ${have.join(', ')}` : 'it has no captions'})`,
    );
  }
  if (asset.segmentMs.length === 0) throw new VodPlaylistError(`asset ${asset.id} has no segments`);
  const mediaBaseUrl = options.mediaBaseUrl ?? '/media/';
  return renderSegments(asset, options, (index) => ({
    extinf: msAsSeconds(asset.segmentMs[index]!),
    uri: joinUrl(mediaBaseUrl, captionSegmentPath(asset.id, track.name, index)),
  }));
}

function renderSegments(
  asset: AssetTimeline,
  options: VodPlaylistOptions,
  segmentLine: (index: number) => { extinf: string; uri: string },
): string {
  const n = asset.segmentMs.length;
  const { offset, count } = options.segmentRange ?? { offset: 0, count: n };
  if (!Number.isInteger(offset) || offset < 0 || offset >= n)
    throw new VodPlaylistError(`segmentRange.offset ${offset} outside asset ${asset.id} (0..${n - 1})`);
  if (!Number.isInteger(count) || count < 1)
    throw new VodPlaylistError(`segmentRange.count ${count} must be a positive integer`);

  const segments: { extinf: string; uri: string }[] = [];
  let longest = 1;
  for (let k = 0; k < count; k++) {
    const line = segmentLine((offset + k) % n);
    segments.push(line);
    longest = Math.max(longest, roundedSeconds(Number(line.extinf)));
  }
  const targetDurationS = options.targetDurationS ?? longest;
  if (!Number.isInteger(targetDurationS) || targetDurationS < longest) {
    throw new VodPlaylistError(
      `targetDurationS ${targetDurationS} is below the longest segment (${longest} s rounded)`,
    );
  }

  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-TARGETDURATION:${targetDurationS}`,
    '#EXT-X-PLAYLIST-TYPE:VOD',
    '#EXT-X-MEDIA-SEQUENCE:0',
  ];
  let pdtMs = options.programDateTimeMs;
  for (let k = 0; k < count; k++) {
    const index = (offset + k) % n;
    if (k > 0 && index === 0) lines.push('#EXT-X-DISCONTINUITY');
    if (pdtMs !== undefined) {
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${isoInstant(pdtMs)}`);
      pdtMs += asset.segmentMs[index]!;
    }
    lines.push(`#EXTINF:${segments[k]!.extinf},`, segments[k]!.uri);
  }
  lines.push('#EXT-X-ENDLIST', '');
  return lines.join('\n');
}

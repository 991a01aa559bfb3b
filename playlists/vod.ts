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
 * Bad arguments (unknown rendition, range outside the asset) throw VodPlaylistError.
 */
import type { AssetTimeline, Instant } from './model.ts';
import { decimalSeconds, isoInstant, joinUrl, roundedSeconds } from './hls-format.ts';
import { segmentPath } from './media-layout.ts';

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

export function renderVodMediaPlaylist(asset: AssetTimeline, rendition: string, options: VodPlaylistOptions = {}): string {
  const seconds = asset.renditionSegmentSeconds[rendition];
  if (!seconds) throw new VodPlaylistError(`asset ${asset.id} has no rendition ${rendition}`);
  const n = asset.segmentMs.length;
  if (n === 0 || seconds.length !== n) throw new VodPlaylistError(`asset ${asset.id} rendition ${rendition}: ${seconds.length} durations for ${n} segments`);
  const { offset, count } = options.segmentRange ?? { offset: 0, count: n };
  if (!Number.isInteger(offset) || offset < 0 || offset >= n) throw new VodPlaylistError(`segmentRange.offset ${offset} outside asset ${asset.id} (0..${n - 1})`);
  if (!Number.isInteger(count) || count < 1) throw new VodPlaylistError(`segmentRange.count ${count} must be a positive integer`);
  const mediaBaseUrl = options.mediaBaseUrl ?? '/media/';

  const extinfs: string[] = [];
  let longest = 1;
  for (let k = 0; k < count; k++) {
    const extinf = decimalSeconds(seconds[(offset + k) % n]!);
    extinfs.push(extinf);
    longest = Math.max(longest, roundedSeconds(Number(extinf)));
  }
  const targetDurationS = options.targetDurationS ?? longest;
  if (!Number.isInteger(targetDurationS) || targetDurationS < longest) {
    throw new VodPlaylistError(`targetDurationS ${targetDurationS} is below the longest segment (${longest} s rounded)`);
  }

  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', `#EXT-X-TARGETDURATION:${targetDurationS}`, '#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-MEDIA-SEQUENCE:0'];
  let pdtMs = options.programDateTimeMs;
  for (let k = 0; k < count; k++) {
    const index = (offset + k) % n;
    if (k > 0 && index === 0) lines.push('#EXT-X-DISCONTINUITY');
    if (pdtMs !== undefined) {
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${isoInstant(pdtMs)}`);
      pdtMs += asset.segmentMs[index]!;
    }
    lines.push(`#EXTINF:${extinfs[k]},`, joinUrl(mediaBaseUrl, segmentPath(asset.id, rendition, index)));
  }
  lines.push('#EXT-X-ENDLIST', '');
  return lines.join('\n');
}

/**
 * HLS conformance checker for our live, VOD and master playlists: the invariants of DESIGN.md
 * "Live HLS" (RFC 8216 + Apple's HLS authoring spec), checked on playlists parsed by hls-parser in
 * strict mode (which already rejects what the RFC's grammar forbids: sequence tags after a segment,
 * EXTINF rounding above the target duration, a too-low EXT-X-VERSION…).
 *
 *   const playlist = parseMediaPlaylist(text);                       // strict; throws on invalid syntax
 *   const violations = checkLiveMediaPlaylist({ playlist, previous, siblings, nowMs, canonical });
 *   expect(violations).toEqual([]);                                  // empty = conformant
 *
 * `previous` is the same rendition's previous poll, `siblings` the other renditions at the same instant,
 * `canonical` says this rendition's EXTINFs are the canonical timeline (PDT contiguity checked exactly;
 * other renditions within `pdtToleranceMs`). Also checkMasterPlaylist(), checkVodMediaPlaylist(), and
 * checkCaptionAlignment() for a WebVTT caption playlist against the video playlist it accompanies.
 */
import * as HLS from 'hls-parser';

export type MediaPlaylist = HLS.types.MediaPlaylist;
export type MasterPlaylist = HLS.types.MasterPlaylist;
type Segment = HLS.types.Segment;
type DateRange = HLS.types.DateRange;

export type ConformanceRule =
  | 'no-playlist-type'
  | 'no-endlist'
  | 'sequence-tags-present'
  | 'target-duration-constant'
  | 'extinf-within-target'
  | 'window-size'
  | 'media-sequence-monotonic'
  | 'media-sequence-identity'
  | 'segments-skipped'
  | 'discontinuity-sequence'
  | 'discontinuity-at-boundary'
  | 'discontinuity-at-window-edge'
  | 'unexpected-discontinuity'
  | 'pdt-on-every-segment'
  | 'pdt-contiguous'
  | 'daterange-coverage'
  | 'daterange-unique'
  | 'daterange-title'
  | 'daterange-start-is-pdt'
  | 'daterange-stable'
  | 'daterange-removed-early'
  | 'renditions-agree'
  | 'freshness'
  | 'future-segment'
  | 'master-attributes'
  | 'master-audio-only'
  | 'vod-type'
  | 'caption-aligned'
  | 'caption-uri'
  | 'master-subtitles';

export interface Violation {
  rule: ConformanceRule;
  message: string;
}

export interface LivePlaylistCheck {
  playlist: MediaPlaylist;
  /** The same rendition's previous poll. */
  previous?: MediaPlaylist;
  /** The other renditions of the channel, polled at the same instant. */
  siblings?: readonly MediaPlaylist[];
  /** The instant the playlist was served at (freshness, no future segments). */
  nowMs?: number;
  /** This rendition's EXTINFs are the canonical durations: PDT[i+1] = PDT[i] + EXTINF[i] exactly (to the ms). */
  canonical?: boolean;
}

export interface ConformanceOptions {
  minSegments?: number;
  minTargetDurations?: number;
  /** A new segment must have appeared within this many target durations of `nowMs`. */
  freshnessTargetDurations?: number;
  /** Non-canonical renditions: |PDT[i+1] − PDT[i] − EXTINF[i]| allowed (AAC frames are 21.3 ms). */
  pdtToleranceMs?: number;
  /** The target duration every playlist of the channel must carry. */
  targetDuration?: number;
}

let strictModeSet = false;
function strictParse(text: string): MediaPlaylist | MasterPlaylist {
  if (!strictModeSet) {
    HLS.setOptions({ strictMode: true });
    strictModeSet = true;
  }
  return HLS.parse(text) as MediaPlaylist | MasterPlaylist;
}

/** Parse a media playlist with hls-parser in strict mode; throws on invalid syntax or a master playlist. */
export function parseMediaPlaylist(text: string): MediaPlaylist {
  const parsed = strictParse(text);
  if (parsed.isMasterPlaylist) throw new Error('expected a media playlist, got a master playlist');
  return parsed as MediaPlaylist;
}

export function parseMasterPlaylist(text: string): MasterPlaylist {
  const parsed = strictParse(text);
  if (!parsed.isMasterPlaylist) throw new Error('expected a master playlist, got a media playlist');
  return parsed as MasterPlaylist;
}

const ms = (d: Date | undefined): number | undefined => d?.getTime();
const iso = (t: number | undefined): string => (t === undefined ? 'none' : new Date(t).toISOString());
const durationMs = (s: Segment): number => Math.round(s.duration * 1000);
const endMs = (r: DateRange): number => r.start!.getTime() + Math.round((r.duration ?? 0) * 1000);

/** The asset directory of a segment URI …/<asset>/<rendition>/segNNNNN.ts (our media layout). */
function assetOf(uri: string): string {
  const parts = uri.split('/');
  return parts[parts.length - 3] ?? '';
}

function dateRangesOf(playlist: MediaPlaylist): DateRange[] {
  const ranges = [...playlist.dateRanges];
  for (const s of playlist.segments) if (s.dateRange) ranges.push(s.dateRange);
  return ranges;
}

function describeRange(r: DateRange): string {
  return JSON.stringify({
    id: r.id,
    classId: r.classId,
    start: ms(r.start),
    duration: r.duration,
    end: ms(r.end),
    attributes: Object.fromEntries(Object.entries(r.attributes).sort(([a], [b]) => a.localeCompare(b))),
  });
}

function windowMs(playlist: MediaPlaylist): number {
  return playlist.segments.reduce((sum, s) => sum + durationMs(s), 0);
}

export function checkLiveMediaPlaylist(check: LivePlaylistCheck, options: ConformanceOptions = {}): Violation[] {
  const { playlist, previous, siblings = [], nowMs, canonical = false } = check;
  const minSegments = options.minSegments ?? 6;
  const minTargetDurations = options.minTargetDurations ?? 3;
  const freshness = options.freshnessTargetDurations ?? 1.5;
  const tolerance = options.pdtToleranceMs ?? 50;
  const violations: Violation[] = [];
  const fail = (rule: ConformanceRule, message: string) => violations.push({ rule, message });
  const td = playlist.targetDuration;
  const segments = playlist.segments;

  // Playlist-level tags.
  if (playlist.playlistType !== undefined)
    fail('no-playlist-type', `live playlist carries EXT-X-PLAYLIST-TYPE:${playlist.playlistType}`);
  if (playlist.endlist) fail('no-endlist', 'live playlist carries EXT-X-ENDLIST');
  if (playlist.mediaSequenceBase === undefined) fail('sequence-tags-present', 'no EXT-X-MEDIA-SEQUENCE');
  if (playlist.discontinuitySequenceBase === undefined)
    fail('sequence-tags-present', 'no EXT-X-DISCONTINUITY-SEQUENCE');
  if (options.targetDuration !== undefined && td !== options.targetDuration) {
    fail('target-duration-constant', `EXT-X-TARGETDURATION ${td}, the channel's is ${options.targetDuration}`);
  }
  if (previous && previous.targetDuration !== td)
    fail('target-duration-constant', `EXT-X-TARGETDURATION changed from ${previous.targetDuration} to ${td}`);
  if (segments.length === 0) {
    fail('window-size', 'no segments');
    return violations;
  }

  // Window size: never below the minimum once a segment has been removed (RFC 8216 §6.2.2).
  const totalMs = windowMs(playlist);
  if (segments.length < minSegments || totalMs < minTargetDurations * td * 1000) {
    const removedNothing = previous !== undefined && previous.mediaSequenceBase === playlist.mediaSequenceBase;
    if (!removedNothing) {
      fail(
        'window-size',
        `${segments.length} segments lasting ${totalMs / 1000} s: need ≥ ${minSegments} segments and ≥ ${minTargetDurations * td} s`,
      );
    }
  }

  // Segments: EXTINF, PDT, discontinuities at item boundaries.
  const ranges = dateRangesOf(playlist);
  const rangeStarts = new Set(ranges.map((r) => ms(r.start)));
  for (const [i, s] of segments.entries()) {
    const at = `segment ${s.mediaSequenceNumber} (${s.uri})`;
    if (Math.round(s.duration) > td)
      fail('extinf-within-target', `${at}: EXTINF ${s.duration} rounds above the target duration ${td}`);
    const pdt = ms(s.programDateTime);
    if (pdt === undefined) fail('pdt-on-every-segment', `${at}: no EXT-X-PROGRAM-DATE-TIME`);
    if (i === 0) {
      if (s.discontinuity)
        fail(
          'discontinuity-at-window-edge',
          `${at}: EXT-X-DISCONTINUITY on the window's first segment (its boundary is counted in the sequence)`,
        );
      continue;
    }
    const before = segments[i - 1]!;
    const beforePdt = ms(before.programDateTime);
    if (pdt !== undefined && beforePdt !== undefined) {
      const gap = pdt - beforePdt;
      if (gap <= 0) fail('pdt-contiguous', `${at}: PDT ${iso(pdt)} does not increase after ${iso(beforePdt)}`);
      else if (canonical ? gap !== durationMs(before) : Math.abs(gap - durationMs(before)) > tolerance) {
        fail(
          'pdt-contiguous',
          `${at}: PDT ${iso(pdt)} is ${gap} ms after the previous segment, which lasts ${durationMs(before)} ms`,
        );
      }
    }
    const boundary = assetOf(s.uri) !== assetOf(before.uri) || (pdt !== undefined && rangeStarts.has(pdt));
    if (boundary && !s.discontinuity)
      fail('discontinuity-at-boundary', `${at}: starts a programme without EXT-X-DISCONTINUITY`);
    if (!boundary && s.discontinuity) fail('unexpected-discontinuity', `${at}: EXT-X-DISCONTINUITY inside a programme`);
  }

  // DATERANGE: one per programme, unique, titled, starting on a segment, covering every segment.
  const rangeById = new Map<string, DateRange>();
  for (const r of ranges) {
    if (rangeById.has(r.id)) fail('daterange-unique', `EXT-X-DATERANGE ID ${r.id} appears twice`);
    rangeById.set(r.id, r);
    const title = r.attributes['X-TITLE'];
    if (typeof title !== 'string' || title.trim() === '')
      fail('daterange-title', `EXT-X-DATERANGE ${r.id} has no X-TITLE`);
    const start = ms(r.start);
    const firstPdt = ms(segments[0]!.programDateTime);
    if (start === undefined) fail('daterange-start-is-pdt', `EXT-X-DATERANGE ${r.id} has no START-DATE`);
    else if (firstPdt !== undefined && start >= firstPdt && !segments.some((s) => ms(s.programDateTime) === start)) {
      fail('daterange-start-is-pdt', `EXT-X-DATERANGE ${r.id} starts at ${iso(start)}, which is no segment's PDT`);
    }
  }
  for (const s of segments) {
    const pdt = ms(s.programDateTime);
    if (pdt === undefined) continue;
    if (!ranges.some((r) => r.start && r.start.getTime() <= pdt && pdt < endMs(r))) {
      fail(
        'daterange-coverage',
        `segment ${s.mediaSequenceNumber} at ${iso(pdt)} is in no programme's EXT-X-DATERANGE`,
      );
    }
  }

  if (previous) checkAgainstPrevious(playlist, previous, rangeById, fail);
  for (const sibling of siblings) checkSibling(playlist, sibling, fail);

  if (nowMs !== undefined) {
    const last = segments[segments.length - 1]!;
    const lastPdt = ms(last.programDateTime);
    if (lastPdt !== undefined) {
      const lastEnd = lastPdt + durationMs(last);
      if (lastEnd < nowMs - freshness * td * 1000 - tolerance) {
        fail(
          'freshness',
          `newest segment ended at ${iso(lastEnd)}, more than ${freshness} target durations before now ${iso(nowMs)}`,
        );
      }
      if (lastEnd > nowMs + (canonical ? 0 : tolerance))
        fail('future-segment', `newest segment ends at ${iso(lastEnd)}, after now ${iso(nowMs)}`);
    }
  }
  return violations;
}

function checkAgainstPrevious(
  playlist: MediaPlaylist,
  previous: MediaPlaylist,
  rangeById: Map<string, DateRange>,
  fail: (rule: ConformanceRule, message: string) => void,
): void {
  const base = playlist.mediaSequenceBase ?? 0;
  const prevBase = previous.mediaSequenceBase ?? 0;
  if (base < prevBase) fail('media-sequence-monotonic', `EXT-X-MEDIA-SEQUENCE went back from ${prevBase} to ${base}`);
  const prevLast = prevBase + previous.segments.length - 1;
  const last = base + playlist.segments.length - 1;
  if (last < prevLast) fail('media-sequence-monotonic', `newest segment went back from ${prevLast} to ${last}`);
  if (base > prevLast + 1)
    fail(
      'segments-skipped',
      `window jumped from ${prevBase}..${prevLast} to ${base}..: segments ${prevLast + 1}..${base - 1} were never listed`,
    );

  // Every segment in both polls is the same segment: URI, PDT, duration, discontinuity sequence.
  const prevBySequence = new Map(previous.segments.map((s) => [s.mediaSequenceNumber, s]));
  for (const s of playlist.segments) {
    const p = prevBySequence.get(s.mediaSequenceNumber);
    if (!p) continue;
    if (p.uri !== s.uri || ms(p.programDateTime) !== ms(s.programDateTime) || p.duration !== s.duration) {
      fail(
        'media-sequence-identity',
        `media sequence ${s.mediaSequenceNumber} was ${p.uri} at ${iso(ms(p.programDateTime))} (${p.duration} s), now ${s.uri} at ${iso(ms(s.programDateTime))} (${s.duration} s)`,
      );
    }
    if (p.discontinuitySequence !== s.discontinuitySequence) {
      fail(
        'discontinuity-sequence',
        `segment ${s.mediaSequenceNumber} had discontinuity sequence ${p.discontinuitySequence}, now ${s.discontinuitySequence} (EXT-X-DISCONTINUITY-SEQUENCE must grow by one per removed discontinuity)`,
      );
    }
  }

  // DATERANGEs: same attributes for the same ID; never removed while they cover a listed segment.
  const previousRanges = dateRangesOf(previous);
  for (const r of previousRanges) {
    const now = rangeById.get(r.id);
    if (now) {
      if (describeRange(now) !== describeRange(r))
        fail('daterange-stable', `EXT-X-DATERANGE ${r.id} changed: ${describeRange(r)} → ${describeRange(now)}`);
      continue;
    }
    const covers = playlist.segments.some((s) => {
      const pdt = ms(s.programDateTime);
      return pdt !== undefined && r.start !== undefined && r.start.getTime() <= pdt && pdt < endMs(r);
    });
    if (covers)
      fail('daterange-removed-early', `EXT-X-DATERANGE ${r.id} was removed while it still covers a listed segment`);
  }
}

function checkSibling(
  playlist: MediaPlaylist,
  sibling: MediaPlaylist,
  fail: (rule: ConformanceRule, message: string) => void,
): void {
  const disagree = (what: string, mine: unknown, theirs: unknown) =>
    fail(
      'renditions-agree',
      `renditions disagree on ${what}: ${String(mine)} here, ${String(theirs)} in ${sibling.segments[0]?.uri ?? 'the other'}`,
    );
  if (playlist.targetDuration !== sibling.targetDuration)
    disagree('EXT-X-TARGETDURATION', playlist.targetDuration, sibling.targetDuration);
  if (playlist.mediaSequenceBase !== sibling.mediaSequenceBase)
    disagree('EXT-X-MEDIA-SEQUENCE', playlist.mediaSequenceBase, sibling.mediaSequenceBase);
  if (playlist.discontinuitySequenceBase !== sibling.discontinuitySequenceBase) {
    disagree('EXT-X-DISCONTINUITY-SEQUENCE', playlist.discontinuitySequenceBase, sibling.discontinuitySequenceBase);
  }
  if (playlist.segments.length !== sibling.segments.length) {
    disagree('the number of segments', playlist.segments.length, sibling.segments.length);
    return;
  }
  for (const [i, s] of playlist.segments.entries()) {
    const o = sibling.segments[i]!;
    if (ms(s.programDateTime) !== ms(o.programDateTime))
      disagree(`the PDT of segment ${s.mediaSequenceNumber}`, iso(ms(s.programDateTime)), iso(ms(o.programDateTime)));
    if (Boolean(s.discontinuity) !== Boolean(o.discontinuity))
      disagree(`the discontinuity before segment ${s.mediaSequenceNumber}`, s.discontinuity, o.discontinuity);
    if (s.dateRange?.id !== o.dateRange?.id)
      disagree(`the programme starting at segment ${s.mediaSequenceNumber}`, s.dateRange?.id, o.dateRange?.id);
  }
}

export interface MasterExpectations {
  /** Number of video variants expected. */
  videoVariants: number;
}

export function checkMasterPlaylist(master: MasterPlaylist, expected: MasterExpectations): Violation[] {
  const violations: Violation[] = [];
  const fail = (rule: ConformanceRule, message: string) => violations.push({ rule, message });
  const isAudioOnly = (codecs: string | undefined) =>
    !!codecs && codecs.split(',').every((c) => c.trim().startsWith('mp4a.'));
  const video = master.variants.filter((v) => !isAudioOnly(v.codecs));
  const audioOnly = master.variants.filter((v) => isAudioOnly(v.codecs));
  if (video.length !== expected.videoVariants)
    fail('master-attributes', `${video.length} video variants, expected ${expected.videoVariants}`);
  for (const v of master.variants) {
    const at = `variant ${v.uri}`;
    if (!(v.bandwidth > 0)) fail('master-attributes', `${at}: no BANDWIDTH`);
    if (!(v.averageBandwidth !== undefined && v.averageBandwidth > 0))
      fail('master-attributes', `${at}: no AVERAGE-BANDWIDTH`);
    else if (v.averageBandwidth > v.bandwidth) fail('master-attributes', `${at}: AVERAGE-BANDWIDTH above BANDWIDTH`);
    if (!v.codecs) fail('master-attributes', `${at}: no CODECS`);
  }
  for (const v of video) {
    if (!v.resolution) fail('master-attributes', `variant ${v.uri}: no RESOLUTION`);
    if (!(v.frameRate !== undefined && v.frameRate > 0)) fail('master-attributes', `variant ${v.uri}: no FRAME-RATE`);
  }
  if (audioOnly.length === 0) fail('master-audio-only', 'no audio-only variant');
  for (const v of audioOnly) {
    if (v.resolution) fail('master-audio-only', `audio-only variant ${v.uri} has a RESOLUTION`);
    if (v.frameRate !== undefined) fail('master-audio-only', `audio-only variant ${v.uri} has a FRAME-RATE`);
  }
  if (master.variants[0] && isAudioOnly(master.variants[0].codecs) && video.length > 0) {
    fail('master-audio-only', 'the first variant (where clients start) is audio-only');
  }
  return violations;
}

export function checkVodMediaPlaylist(playlist: MediaPlaylist): Violation[] {
  const violations: Violation[] = [];
  const fail = (rule: ConformanceRule, message: string) => violations.push({ rule, message });
  if (playlist.playlistType !== 'VOD')
    fail('vod-type', `EXT-X-PLAYLIST-TYPE is ${playlist.playlistType ?? 'absent'}, expected VOD`);
  if (!playlist.endlist) fail('vod-type', 'no EXT-X-ENDLIST');
  if (playlist.segments.length === 0) fail('vod-type', 'no segments');
  for (const s of playlist.segments) {
    if (Math.round(s.duration) > playlist.targetDuration)
      fail('extinf-within-target', `${s.uri}: EXTINF ${s.duration} rounds above ${playlist.targetDuration}`);
  }
  return violations;
}

export interface CaptionAlignmentCheck {
  /** The caption (WebVTT) media playlist. */
  caption: MediaPlaylist;
  /** The canonical video rendition's playlist of the same instant (live) or the same lesson/airing (VOD). */
  video: MediaPlaylist;
  /** The caption track's directory, e.g. `sub-zh`. */
  trackName: string;
  /** URI the caption playlist lists for items without this language (live only). */
  emptySegmentUri?: string;
}

const segmentIndexOf = (uri: string): string | undefined => /seg(\d{5})\.(?:ts|vtt)$/.exec(uri)?.[1];

/**
 * A caption playlist is aligned with its video when hls.js can map every caption segment onto the video
 * segment it belongs to: the same EXT-X-MEDIA-SEQUENCE, EXT-X-DISCONTINUITY-SEQUENCE, target duration,
 * playlist type, start point and number of segments, and per segment the same PDT, discontinuity,
 * programme (DATERANGE) and EXTINF (the canonical one), and a URI that is the same asset's caption
 * segment of the same index (…/<asset>/<trackName>/segNNNNN.vtt) or the empty segment.
 */
export function checkCaptionAlignment(check: CaptionAlignmentCheck): Violation[] {
  const { caption, video, trackName, emptySegmentUri } = check;
  const violations: Violation[] = [];
  const fail = (rule: ConformanceRule, message: string) => violations.push({ rule, message });
  const differ = (what: string, mine: unknown, theirs: unknown) =>
    fail('caption-aligned', `caption and video disagree on ${what}: ${String(mine)} vs ${String(theirs)}`);
  if (caption.targetDuration !== video.targetDuration)
    differ('EXT-X-TARGETDURATION', caption.targetDuration, video.targetDuration);
  if (caption.mediaSequenceBase !== video.mediaSequenceBase)
    differ('EXT-X-MEDIA-SEQUENCE', caption.mediaSequenceBase, video.mediaSequenceBase);
  if (caption.discontinuitySequenceBase !== video.discontinuitySequenceBase)
    differ('EXT-X-DISCONTINUITY-SEQUENCE', caption.discontinuitySequenceBase, video.discontinuitySequenceBase);
  if (caption.playlistType !== video.playlistType)
    differ('EXT-X-PLAYLIST-TYPE', caption.playlistType, video.playlistType);
  if (Boolean(caption.endlist) !== Boolean(video.endlist)) differ('EXT-X-ENDLIST', caption.endlist, video.endlist);
  if (JSON.stringify(caption.start ?? null) !== JSON.stringify(video.start ?? null))
    differ('EXT-X-START', JSON.stringify(caption.start), JSON.stringify(video.start));
  if (caption.segments.length !== video.segments.length) {
    differ('the number of segments', caption.segments.length, video.segments.length);
    return violations;
  }
  for (const [i, c] of caption.segments.entries()) {
    const v = video.segments[i]!;
    const at = `segment ${v.mediaSequenceNumber}`;
    if (c.mediaSequenceNumber !== v.mediaSequenceNumber)
      differ(`the media sequence of position ${i}`, c.mediaSequenceNumber, v.mediaSequenceNumber);
    if (c.discontinuitySequence !== v.discontinuitySequence)
      differ(`the discontinuity sequence of ${at}`, c.discontinuitySequence, v.discontinuitySequence);
    if (Boolean(c.discontinuity) !== Boolean(v.discontinuity))
      differ(`the discontinuity before ${at}`, c.discontinuity, v.discontinuity);
    if (ms(c.programDateTime) !== ms(v.programDateTime))
      differ(`the PDT of ${at}`, iso(ms(c.programDateTime)), iso(ms(v.programDateTime)));
    if (c.duration !== v.duration) differ(`the EXTINF of ${at}`, c.duration, v.duration);
    if (c.dateRange?.id !== v.dateRange?.id)
      differ(`the programme starting at ${at}`, c.dateRange?.id, v.dateRange?.id);
    if (emptySegmentUri !== undefined && c.uri === emptySegmentUri) continue;
    const parts = c.uri.split('/');
    const ok =
      c.uri.endsWith('.vtt') &&
      parts[parts.length - 2] === trackName &&
      assetOf(c.uri) === assetOf(v.uri) &&
      segmentIndexOf(c.uri) === segmentIndexOf(v.uri);
    if (!ok) fail('caption-uri', `${at}: caption ${c.uri} is not the ${trackName} segment of video ${v.uri}`);
  }
  return violations;
}

/** Subtitle renditions of a master: one group, every variant refers to it, names unique, languages as expected. */
export function checkMasterSubtitles(master: MasterPlaylist, expectedLanguages: readonly string[]): Violation[] {
  const violations: Violation[] = [];
  const fail = (message: string) => violations.push({ rule: 'master-subtitles', message });
  for (const v of master.variants) {
    const languages = v.subtitles.map((r) => r.language);
    if (JSON.stringify(languages) !== JSON.stringify(expectedLanguages))
      fail(
        `variant ${v.uri}: subtitle languages [${languages.join(', ')}], expected [${expectedLanguages.join(', ')}]`,
      );
    for (const r of v.subtitles) {
      if (r.type !== 'SUBTITLES') fail(`variant ${v.uri}: rendition ${r.name} has TYPE ${r.type}`);
      if (!r.uri) fail(`variant ${v.uri}: subtitle rendition ${r.name} has no URI`);
      if (r.autoselect !== true) fail(`variant ${v.uri}: subtitle rendition ${r.name} is not AUTOSELECT=YES`);
    }
  }
  return violations;
}

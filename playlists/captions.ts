/**
 * Caption (subtitle) tracks in playlists: names, the channel's language rule, the empty segment. Pure.
 *
 *   captionDisplayName('zh') → '中文'   (EXT-X-MEDIA NAME: zh 中文, en English, otherwise the tag itself)
 *   captionLanguageOf('sub-zh') → 'zh'  (the media playlist name `sub-<lang>` → the language; undefined otherwise)
 *   channelCaptionLanguages(timeline, nowMs) → ['zh', 'en']   (what a live channel's master offers at now)
 *
 * The live rule (DESIGN: the master must not flap within a day): a channel offers language L at instant t
 * when any item of the broadcast day on air at t, or of the broadcast day before it, airs an asset with an
 * L caption track. Whole broadcast days, so the set changes only at a day boundary (or when today is
 * republished with a different set of captioned lessons ahead); the day before is included because
 * start-over (`?start=`, 24 h back) and a player that has been watching since yesterday still reach it.
 * Items without an L track (fillers, the slate, uncaptioned lessons) point at one empty WebVTT segment.
 * Languages are ordered zh, en, then by tag (stable for any set, whatever order items air in).
 */
import type { ChannelTimeline, TimelineItem } from './channel-timeline.ts';
import type { AssetTimeline, CaptionTrack, Instant } from './model.ts';
import { captionTrackName } from './media-layout.ts';

/** GROUP-ID of the subtitle renditions in every master playlist. */
export const SUBTITLES_GROUP_ID = 'subs';

/**
 * Where the origin serves the empty WebVTT segment that caption playlists list for items without captions
 * (relative to the origin's root; prefix it with the public base URL behind a CDN).
 */
export const EMPTY_CAPTION_SEGMENT_PATH = '/captions/empty.vtt';

/**
 * The empty segment's bytes: a WebVTT file with no cue. It needs no X-TIMESTAMP-MAP (there is nothing to
 * place on the timeline), so one file serves every position of every channel.
 */
export const EMPTY_WEBVTT = 'WEBVTT\n\n';

const DISPLAY_NAMES: Readonly<Record<string, string>> = { zh: '中文', en: 'English' };

/** NAME of a subtitle rendition: a name a viewer recognises in a track menu. */
export function captionDisplayName(language: string): string {
  return Object.prototype.hasOwnProperty.call(DISPLAY_NAMES, language) ? DISPLAY_NAMES[language]! : language;
}

const TRACK_PREFIX = captionTrackName('');

/** The language of a caption media playlist name (`sub-zh` → `zh`), or undefined for any other name. */
export function captionLanguageOf(playlistName: string): string | undefined {
  if (!playlistName.startsWith(TRACK_PREFIX)) return undefined;
  const language = playlistName.slice(TRACK_PREFIX.length);
  return language === '' ? undefined : language;
}

/** The asset's caption track of a language, if it has one. */
export function captionTrackOf(asset: AssetTimeline, language: string): CaptionTrack | undefined {
  return asset.captions?.find((track) => track.language === language);
}

const PREFERRED_ORDER = ['zh', 'en'];

/** zh, en, then the others by tag. */
export function sortCaptionLanguages(languages: Iterable<string>): string[] {
  const rank = (l: string) => {
    const i = PREFERRED_ORDER.indexOf(l);
    return i < 0 ? PREFERRED_ORDER.length : i;
  };
  return [...new Set(languages)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Per timeline, per broadcast-day label: the languages of the day and the day before (computed once). */
const languagesByTimeline = new WeakMap<ChannelTimeline, Map<string, readonly string[]>>();

/**
 * The caption languages a live channel offers at `nowMs` (see the rule above). Outside the published
 * range the nearest end's day counts. Cached per timeline (immutable) and day, so the per-request cost is
 * one binary search.
 */
export function channelCaptionLanguages(timeline: ChannelTimeline, nowMs: Instant): readonly string[] {
  const onAir: TimelineItem =
    timeline.itemAt(nowMs) ??
    (nowMs < timeline.startMs ? timeline.items[0]! : timeline.items[timeline.items.length - 1]!);
  let perDay = languagesByTimeline.get(timeline);
  if (!perDay) languagesByTimeline.set(timeline, (perDay = new Map()));
  const cached = perDay.get(onAir.date);
  if (cached) return cached;

  // Items of one day are consecutive: walk back to the day's first item, then through the day before.
  let first = onAir.index;
  while (first > 0 && timeline.items[first - 1]!.date === onAir.date) first--;
  const dayBefore = first > 0 ? timeline.items[first - 1]!.date : undefined;
  while (first > 0 && timeline.items[first - 1]!.date === dayBefore) first--;
  let last = onAir.index;
  while (last + 1 < timeline.items.length && timeline.items[last + 1]!.date === onAir.date) last++;

  const found = new Set<string>();
  const seenAssets = new Set<string>();
  for (let i = first; i <= last; i++) {
    const asset = timeline.items[i]!.asset.timeline;
    if (seenAssets.has(asset.id)) continue;
    seenAssets.add(asset.id);
    for (const track of asset.captions ?? []) found.add(track.language);
  }
  const languages = Object.freeze(sortCaptionLanguages(found));
  perDay.set(onAir.date, languages);
  return languages;
}

import { LRUCache } from 'lru-cache';
import { gzipSync } from 'node:zlib';
import type { TimelineSegment } from '../../playlists/channel-timeline.ts';
import type { ChannelSchedule } from './channel-timelines.ts';

/**
 * Rendered live playlists, kept until the next segment boundary. A live (or start-over) playlist is a
 * pure function of (channel schedule, track, start-over anchor, the segment on air): every viewer asking
 * between two boundaries gets the same bytes, so they are rendered — and gzipped, on first demand — once.
 *
 * Key: channel, track (rendition, caption track or master) and start-over anchor (the media sequence of
 * the anchor segment, so every instant inside one segment shares an entry). An entry is used only for the
 * very schedule object it was rendered from (a publish builds a new one) and only while now lies in the
 * segment it was rendered in. Bounded by entries and bytes (LRU): start-over URLs cannot grow it.
 */
export interface CachedPlaylist {
  body: Buffer;
  /** The instants [fromMs, untilMs) this answer holds for (the segment on air); empty when it was not cached. */
  fromMs: number;
  untilMs: number;
  /** gzip of body, made on the first request that accepts it. */
  gzip(): Buffer;
}

interface Entry extends CachedPlaylist {
  schedule: ChannelSchedule;
  gzipped?: Buffer;
}

export interface LivePlaylistCacheOptions {
  /** Most entries kept (default 4096). */
  maxEntries?: number;
  /** Most bytes kept, bodies and their gzip (default 64 MiB). */
  maxBytes?: number;
}

export interface LivePlaylistCache {
  /**
   * The cached answer for `key` at `nowMs`, or the one `render` makes (cached when `render` returns a
   * string and a segment is on air). Anything else `render` returns is handed back uncached.
   */
  get<T>(
    schedule: ChannelSchedule,
    key: string,
    nowMs: number,
    render: () => string | T,
  ): CachedPlaylist | Exclude<T, string>;
  readonly entries: number;
  readonly bytes: number;
}

export function createLivePlaylistCache(options: LivePlaylistCacheOptions = {}): LivePlaylistCache {
  const cache = new LRUCache<string, Entry>({
    max: options.maxEntries ?? 4096,
    maxSize: options.maxBytes ?? 64 * 1024 * 1024,
    sizeCalculation: (entry) => entry.body.length * 2 + 64,
  });
  return {
    get(schedule, key, nowMs, render) {
      const found = cache.get(key);
      if (found && found.schedule === schedule && found.fromMs <= nowMs && nowMs < found.untilMs) return found;
      const rendered = render();
      if (typeof rendered !== 'string') return rendered as Exclude<typeof rendered, string>;
      const onAir = schedule.timeline.segmentAt(nowMs);
      const entry: Entry = {
        schedule,
        fromMs: onAir?.startMs ?? nowMs,
        untilMs: onAir ? segmentEndMs(schedule, onAir) : nowMs,
        body: Buffer.from(rendered),
        gzip() {
          // Only for bodies worth compressing (the caller checks the threshold); sizes are counted as 2× body.
          return (this.gzipped ??= gzipSync(this.body));
        },
      };
      if (onAir) cache.set(key, entry);
      return entry;
    },
    get entries() {
      return cache.size;
    },
    get bytes() {
      return cache.calculatedSize;
    },
  };
}

function segmentEndMs(schedule: ChannelSchedule, segment: TimelineSegment): number {
  return schedule.timeline.next(segment)?.startMs ?? schedule.timeline.endMs;
}

/** The cache key part of a start-over anchor: the segment it falls in, or '' for the live window. */
export function anchorKey(schedule: ChannelSchedule, startAtMs: number | undefined, nowMs: number): string | undefined {
  if (startAtMs === undefined) return '';
  const anchor = schedule.timeline.segmentAt(startAtMs);
  // Inside the segment on air the answer still depends on the exact instant (start < now): not cached.
  if (!anchor || segmentEndMs(schedule, anchor) > nowMs) return undefined;
  return String(anchor.mediaSequence);
}

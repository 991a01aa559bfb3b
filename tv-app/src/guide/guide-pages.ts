/**
 * The guide as the app holds it: fixed 3-hour pages of `/api/guide`, fetched around where the viewer looks
 * (now on Live, the focused programme on the Guide) instead of the whole span at once. A page is a bounded request
 * however dense the schedule is (12 channels of 20-minute lessons: under 100 KB; a demo carousel of 12 s clips:
 * a few MB), the origin's time per answer stays bounded, and a box holds at most `maxPages` of them.
 * Pure (no fetch, no clock reads): services.ts does the I/O and passes "now" in.
 *
 * Pages are aligned to multiples of GUIDE_PAGE_MS since the epoch, so the same instant always falls in the
 * same page. The API returns every programme overlapping the range, so a programme across a page boundary
 * comes in both pages; each page contributes the programmes that start inside it, and the first page of a
 * run of loaded pages also the one already on air at its start.
 */
import type { GuideProgramme, GuideResponse } from '../../../playlists/guide-json.ts';
import { firstEndingAfter, mergeSlateRuns } from './time-grid.ts';

const HOUR_MS = 3_600_000;
export const GUIDE_PAGE_MS = 3 * HOUR_MS;
/** The guide reaches this far back (catch-up of the last 24 h) and ahead (whatever of it is published). */
export const GUIDE_BACK_MS = 24 * HOUR_MS;
export const GUIDE_AHEAD_MS = 72 * HOUR_MS;

export function pageStartOf(ms: number): number {
  return Math.floor(ms / GUIDE_PAGE_MS) * GUIDE_PAGE_MS;
}

/** Whether page `startMs` is the page of `centerMs` or one of its two neighbours. */
function isNextTo(startMs: number, centerMs: number): boolean {
  return Math.abs(startMs - pageStartOf(centerMs)) <= GUIDE_PAGE_MS;
}

export interface GuidePage {
  startMs: number;
  guide: GuideResponse;
  /** When it was fetched: pages reaching past "now" are fetched again after a while (republishes). */
  loadedAtMs: number;
}

export class GuidePages {
  private readonly pages = new Map<number, GuidePage>();
  /** Per channel, sorted by start with slate runs merged; rebuilt lazily after a change. */
  private merged: Map<string, GuideProgramme[]> | undefined;

  constructor(readonly maxPages = 12) {}

  /** The loaded pages, earliest first (what the offline cache keeps a part of). */
  list(): GuidePage[] {
    return [...this.pages.values()].sort((a, b) => a.startMs - b.startMs);
  }

  put(page: GuidePage): void {
    if (page.startMs !== pageStartOf(page.startMs))
      throw new RangeError(`guide page start ${page.startMs} is not on a ${GUIDE_PAGE_MS} ms boundary`);
    this.pages.set(page.startMs, page);
    this.merged = undefined;
  }

  /**
   * Pages to fetch so the viewer has what is around `centerMs`: its page first, then the next and the previous
   * one (moving on is likelier than moving back), within [now − 24 h, now + 72 h] and not loaded yet.
   */
  missingAround(centerMs: number, nowMs: number, alsoMs?: number): number[] {
    const first = pageStartOf(nowMs - GUIDE_BACK_MS);
    const last = pageStartOf(nowMs + GUIDE_AHEAD_MS);
    const center = pageStartOf(Math.min(Math.max(centerMs, first), last));
    const also = alsoMs === undefined ? [] : [pageStartOf(alsoMs)];
    return [center, center + GUIDE_PAGE_MS, center - GUIDE_PAGE_MS, ...also].filter(
      (p, i, all) => p >= first && p <= last && !this.pages.has(p) && all.indexOf(p) === i,
    );
  }

  /**
   * Where a channel's next programme starts, when the page holding it is not loaded: the end of the programme on
   * air at `nowMs` with nothing loaded after it. A night off air (21:00–07:55) runs past the pages next to now, so
   * the info banner would say "next: —" until someone scrolled the guide there; Live asks for that page too
   * (missingAround's `alsoMs`). Undefined when the next programme is known, nothing airs, or its page is loaded
   * (nothing is published after it).
   */
  nextStartToLoad(channelId: string, nowMs: number): number | undefined {
    const programmes = this.programmesOf(channelId);
    const i = firstEndingAfter(programmes, nowMs);
    const current = programmes[i];
    if (current === undefined || current.startMs > nowMs || programmes[i + 1] !== undefined) return undefined;
    return this.pages.has(pageStartOf(current.endMs)) ? undefined : current.endMs;
  }

  /**
   * Loaded pages that may have changed since they were fetched (republishes), next to where the viewer looks: the
   * page of `centerMs` and its neighbours that reach past `nowMs` (what has aired never changes) and are older than
   * `maxAgeMs`, earliest first. Stale pages farther away are dropped by evict() and fetched again when looked at.
   */
  stale(centerMs: number, nowMs: number, maxAgeMs: number): number[] {
    return this.staleStarts(nowMs, maxAgeMs).filter((start) => isNextTo(start, centerMs));
  }

  /**
   * Drops the pages the guide can no longer reach (older than 24 h back), stale pages away from `centerMs` (see
   * stale()), then the farthest from `centerMs` beyond `maxPages`.
   */
  evict(centerMs: number, nowMs: number, maxAgeMs = Number.POSITIVE_INFINITY): void {
    const before = this.pages.size;
    const first = pageStartOf(nowMs - GUIDE_BACK_MS);
    for (const start of this.pages.keys()) if (start < first) this.pages.delete(start);
    for (const start of this.staleStarts(nowMs, maxAgeMs)) if (!isNextTo(start, centerMs)) this.pages.delete(start);
    const center = pageStartOf(centerMs);
    const byDistance = [...this.pages.keys()].sort((a, b) => Math.abs(b - center) - Math.abs(a - center) || a - b);
    while (this.pages.size > this.maxPages) this.pages.delete(byDistance.shift()!);
    // Only a real change costs the merged rows (rebuilt on the next read, which layout does on every key).
    if (this.pages.size !== before) this.merged = undefined;
  }

  private staleStarts(nowMs: number, maxAgeMs: number): number[] {
    return this.list()
      .filter((p) => p.startMs + GUIDE_PAGE_MS > nowMs && nowMs - p.loadedAtMs >= maxAgeMs)
      .map((p) => p.startMs);
  }

  /** A channel's loaded programmes, sorted by start, consecutive slate pieces merged into one break. */
  programmesOf(channelId: string): GuideProgramme[] {
    this.merged ??= this.merge();
    return this.merged.get(channelId) ?? [];
  }

  private merge(): Map<string, GuideProgramme[]> {
    const rows = new Map<string, GuideProgramme[]>();
    let previousEnd = Number.NaN;
    for (const page of this.list()) {
      const endMs = page.startMs + GUIDE_PAGE_MS;
      // The first page of a run also keeps the programme in progress at its start, unless the run before it (a gap
      // in the loaded pages away) has it already: a night off air spans several pages.
      const firstOfRun = page.startMs !== previousEnd;
      for (const channel of page.guide.channels) {
        let row = rows.get(channel.channelId);
        if (!row) rows.set(channel.channelId, (row = []));
        for (const p of channel.programmes) {
          if (p.startMs >= endMs) continue;
          if (p.startMs >= page.startMs) row.push(p);
          else if (firstOfRun && !row.some((q) => q.id === p.id)) row.push(p);
        }
      }
      previousEnd = endMs;
    }
    for (const [id, row] of rows) rows.set(id, mergeSlateRuns(row.sort((a, b) => a.startMs - b.startMs)));
    return rows;
  }
}

import { describe, expect, it } from 'vitest';
import type { GuideProgramme, GuideResponse } from '../../playlists/guide-json.ts';
import { GUIDE_PAGE_MS, GuidePages, pageStartOf } from '../../tv-app/src/guide/guide-pages.ts';
import { nowNext } from '../../tv-app/src/live/now-next.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const PAGE = GUIDE_PAGE_MS;
/** A page boundary (2026-03-02 00:00 UTC is a multiple of 3 h since the epoch). */
const T0 = Date.UTC(2026, 2, 2, 0, 0);
const NOW = T0 + 30 * MIN;

function programme(
  channel: string,
  startMin: number,
  lengthMin: number,
  kind: GuideProgramme['kind'] = 'lesson',
): GuideProgramme {
  const startMs = T0 + startMin * MIN;
  const endMs = startMs + lengthMin * MIN;
  return {
    id: `${channel}-${startMs}`,
    kind,
    title: { zh: `节目 ${startMin}` },
    startMs,
    endMs,
    start: new Date(startMs).toISOString(),
    end: new Date(endMs).toISOString(),
    catchUpUrl: `/vod/airings/${channel}-${startMs}/master.m3u8`,
  };
}

/** What /api/guide answers for [fromMs, toMs): every programme of the day that overlaps it. */
function answer(fromMs: number, toMs: number, day: Record<string, GuideProgramme[]>): GuideResponse {
  return {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    channels: Object.entries(day).map(([channelId, programmes]) => ({
      channelId,
      timezone: 'Asia/Shanghai',
      programmes: programmes.filter((p) => p.endMs > fromMs && p.startMs < toMs),
    })),
  };
}

/** 40-minute programmes back to back from T0 − 6 h to T0 + 12 h, one crossing each page boundary. */
function day(channel: string): GuideProgramme[] {
  const programmes: GuideProgramme[] = [];
  for (let m = -360; m < 720; m += 40) programmes.push(programme(channel, m, 40));
  return programmes;
}

function load(pages: GuidePages, startMs: number, source: Record<string, GuideProgramme[]>, loadedAtMs = NOW): void {
  pages.put({ startMs, guide: answer(startMs, startMs + PAGE, source), loadedAtMs });
}

describe('guide pages', () => {
  it('aligns pages to fixed boundaries and refuses a page off them', () => {
    expect(pageStartOf(T0)).toBe(T0);
    expect(pageStartOf(T0 + PAGE - 1)).toBe(T0);
    expect(pageStartOf(T0 - 1)).toBe(T0 - PAGE);
    expect(() =>
      new GuidePages().put({ startMs: T0 + MIN, guide: answer(T0, T0 + PAGE, {}), loadedAtMs: NOW }),
    ).toThrow(/boundary/);
  });

  it('asks for the page of the instant looked at first, then the next, then the previous, none twice, within 24 h back and 72 h ahead', () => {
    const pages = new GuidePages();
    expect(pages.missingAround(NOW, NOW)).toEqual([T0, T0 + PAGE, T0 - PAGE]);
    load(pages, T0, {});
    expect(pages.missingAround(NOW, NOW)).toEqual([T0 + PAGE, T0 - PAGE]);
    // Looking far back or ahead is clamped to the reachable span.
    const earliest = pageStartOf(NOW - 24 * HOUR);
    const latest = pageStartOf(NOW + 72 * HOUR);
    expect(pages.missingAround(NOW - 40 * HOUR, NOW)).toEqual([earliest, earliest + PAGE]);
    expect(pages.missingAround(NOW + 100 * HOUR, NOW)).toEqual([latest, latest - PAGE]);
  });

  it('merges loaded pages into one sorted row per channel: a programme across a page boundary appears once', () => {
    const source = { g3: day('g3'), g4: day('g4') };
    const pages = new GuidePages();
    for (const start of [T0, T0 - PAGE, T0 + PAGE]) load(pages, start, source);
    const expected = source.g3.filter((p) => p.endMs > T0 - PAGE && p.startMs < T0 + 2 * PAGE);
    expect(pages.programmesOf('g3').map((p) => p.id)).toEqual(expected.map((p) => p.id));
    expect(pages.programmesOf('g4')).toHaveLength(expected.length);
    expect(pages.programmesOf('g9')).toEqual([]);
    // Two runs of pages with a gap between them: each run keeps the programme on air at its start.
    const gapped = new GuidePages();
    load(gapped, T0 - PAGE, source);
    load(gapped, T0 + PAGE, source);
    const ids = gapped.programmesOf('g3').map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(source.g3.find((p) => p.startMs < T0 + PAGE && p.endMs > T0 + PAGE)!.id);
    expect(ids).not.toContain(source.g3.find((p) => p.startMs >= T0 + 60 * MIN && p.endMs <= T0 + PAGE)!.id);
  });

  it('keeps a page refetched after a republish consistent: its programmes replace the old ones', () => {
    const pages = new GuidePages();
    load(pages, T0, { g3: day('g3') });
    // A special programme from 01:20 replaces the lessons after it.
    const republished = [...day('g3').filter((p) => p.startMs < T0 + 80 * MIN), programme('g3', 80, 120, 'programme')];
    load(pages, T0, { g3: republished });
    const row = pages.programmesOf('g3');
    expect(row.at(-1)!.kind).toBe('programme');
    for (let i = 1; i < row.length; i++) expect(row[i]!.startMs).toBe(row[i - 1]!.endMs);
  });

  it('merges the slate pieces of a break into one entry, across a page boundary too', () => {
    const source = {
      g3: [
        programme('g3', 150, 20),
        { ...programme('g3', 170, 10, 'slate'), title: { zh: '课间休息' } },
        { ...programme('g3', 180, 10, 'slate'), title: { zh: '课间休息' } },
        programme('g3', 190, 20),
      ],
    };
    const pages = new GuidePages();
    load(pages, T0, source);
    load(pages, T0 + PAGE, source);
    const row = pages.programmesOf('g3');
    expect(row.map((p) => p.kind)).toEqual(['lesson', 'slate', 'lesson']);
    expect(row[1]!.endMs - row[1]!.startMs).toBe(20 * MIN);
  });

  it('finds the next programme after a night off air hours away: the page where it starts is asked for too', () => {
    // 21:00 close (9 h of slate, to the day boundary), then the next day's off air until its 07:55 ident.
    const night = {
      g3: [
        programme('g3', -60, 60),
        { ...programme('g3', 0, 540, 'slate'), title: { zh: '今日节目已结束' } },
        { ...programme('g3', 540, 115, 'slate'), title: { zh: '07:55 开播' } },
        { ...programme('g3', 655, 1, 'filler'), title: { zh: '空中课堂' } },
        programme('g3', 660, 20),
      ],
    };
    const now = T0 + 90 * MIN;
    const pages = new GuidePages();
    for (const start of pages.missingAround(now, now)) load(pages, start, night);
    expect(nowNext(pages.programmesOf('g3'), now, 'zh')).toMatchObject({ nowTitle: '今日节目已结束', nextTitle: '—' });
    const nextStart = pages.nextStartToLoad('g3', now);
    expect(nextStart).toBe(T0 + 540 * MIN);
    const wanted = pages.missingAround(now, now, nextStart);
    expect(wanted).toEqual([pageStartOf(T0 + 540 * MIN)]);
    load(pages, wanted[0]!, night);
    // The pages are not contiguous: the night's first piece, in progress at the far page's start, is listed once;
    // the two off-air stretches keep their own titles (not merged into one break).
    const row = pages.programmesOf('g3');
    expect(row.filter((p) => p.kind === 'slate').map((p) => p.title.zh)).toEqual(['今日节目已结束', '07:55 开播']);
    expect(nowNext(row, now, 'zh')).toMatchObject({ nowTitle: '今日节目已结束', nextTitle: '07:55 开播' });
    expect(pages.nextStartToLoad('g3', now)).toBeUndefined();
    // At the end of what is published, nothing more is asked for.
    const lastDay = { g3: night.g3.slice(0, 2) };
    const end = new GuidePages();
    for (const start of [...end.missingAround(now, now), pageStartOf(T0 + 540 * MIN)]) load(end, start, lastDay);
    expect(end.nextStartToLoad('g3', now)).toBeUndefined();
  });

  it('holds at most maxPages, dropping the farthest from where the viewer looks, and what fell out of the 24 h back', () => {
    const pages = new GuidePages(3);
    for (let i = -2; i <= 2; i++) load(pages, T0 + i * PAGE, {});
    pages.evict(NOW, NOW);
    expect(pages.list().map((p) => p.startMs)).toEqual([T0 - PAGE, T0, T0 + PAGE]);
    const old = new GuidePages();
    load(old, pageStartOf(NOW - 30 * HOUR), {});
    load(old, T0, {});
    old.evict(NOW, NOW);
    expect(old.list().map((p) => p.startMs)).toEqual([T0]);
  });

  it('refetches stale pages next to where the viewer looks, drops those farther away; what has aired never changes', () => {
    const pages = new GuidePages();
    load(pages, T0 - PAGE, {}, NOW - HOUR);
    load(pages, T0, {}, NOW - HOUR);
    load(pages, T0 + PAGE, {}, NOW - 5 * MIN);
    load(pages, T0 + 3 * PAGE, {}, NOW - HOUR);
    expect(pages.stale(NOW, NOW, 15 * MIN)).toEqual([T0]);
    expect(pages.stale(NOW, NOW, 2 * MIN)).toEqual([T0, T0 + PAGE]);
    pages.evict(NOW, NOW, 15 * MIN);
    expect(pages.list().map((p) => p.startMs)).toEqual([T0 - PAGE, T0, T0 + PAGE]);
    // Looking 9 hours ahead: the page of now is stale and away from the focus, the aired one is kept.
    pages.evict(T0 + 3 * PAGE, NOW, 15 * MIN);
    expect(pages.list().map((p) => p.startMs)).toEqual([T0 - PAGE, T0 + PAGE]);
  });
});

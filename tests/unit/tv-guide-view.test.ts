import { describe, expect, it } from 'vitest';
import type { ChannelJson, GuideProgramme, GuideResponse } from '../../playlists/guide-json.ts';
import { GUIDE_PAGE_MS, GuidePages } from '../../tv-app/src/guide/guide-pages.ts';
import {
  GuideView,
  HELD_KEY_MS,
  NO_DETAILS,
  type GuideFrame,
  type GuideSource,
  type MoveOutcome,
} from '../../tv-app/src/guide/guide-view.ts';
import { COLORS, GUIDE } from '../../tv-app/src/theme.ts';

const MIN = 60_000;
/** A guide page boundary: 2026-03-02 00:00 UTC, 08:00 in Shanghai. */
const T0 = Date.UTC(2026, 2, 2, 0, 0);
const NOW = T0 + 10 * MIN;
const PX_PER_MIN = GUIDE.programmeAreaW / GUIDE.minutesShown;
/** The strip origin while the guide is open: the half hour 24 h before now. */
const ORIGIN = T0 - 24 * 60 * MIN;
/** A lesson's title in English: "Lesson 40 (课 40)" (the Chinese is never lost). */
const lesson = (minute: number) => `Lesson ${minute} (课 ${minute})`;
const x = (ms: number) => Math.round(((ms - ORIGIN) / MIN) * PX_PER_MIN);

function channel(n: number): ChannelJson {
  const id = `c${n}`;
  return {
    id,
    number: n,
    name: { zh: `频道${n}`, en: `Channel ${n}` },
    timezone: 'Asia/Shanghai',
    group: '小学',
    grades: [n],
    streamUrl: `/live/${id}/master.m3u8`,
    calendarUrl: `/calendar/${id}.ics`,
    timetableUrl: `/timetable/${id}`,
    epgUrl: `/epg/${id}.xml`,
  };
}

function programme(channelId: string, startMs: number, lengthMs: number): GuideProgramme {
  const endMs = startMs + lengthMs;
  return {
    id: `${channelId}-${startMs}`,
    kind: 'lesson',
    title: { zh: `课 ${(startMs - T0) / MIN}`, en: `Lesson ${(startMs - T0) / MIN}` },
    unit: { zh: '第一单元', en: 'Unit 1' },
    subjectName: { zh: '数学', en: 'Maths' },
    startMs,
    endMs,
    start: new Date(startMs + 8 * 60 * MIN).toISOString().replace('Z', '+08:00'),
    end: new Date(endMs + 8 * 60 * MIN).toISOString().replace('Z', '+08:00'),
    catchUpUrl: `/vod/airings/${channelId}-${startMs}/master.m3u8`,
  };
}

/** 40-minute lessons back to back from T0 − 6 h to T0 + 12 h: one starts at T0, the one airing at NOW. */
function day(channelId: string): GuideProgramme[] {
  const programmes: GuideProgramme[] = [];
  for (let m = -360; m < 720; m += 40) programmes.push(programme(channelId, T0 + m * MIN, 40 * MIN));
  return programmes;
}

/** The app's services as the guide reads them: a channel list and real guide pages loaded from whole days. */
class Guide implements GuideSource {
  readonly pages = new GuidePages();
  channelList: ChannelJson[] = [];
  lastChannelId: string | undefined;
  constructor(private readonly days: Record<string, GuideProgramme[]>) {}
  channels(): ChannelJson[] {
    return this.channelList;
  }
  programmesOf(channelId: string): GuideProgramme[] {
    return this.pages.programmesOf(channelId);
  }
  /** What /api/guide answers for one page: every programme overlapping it. */
  load(startMs: number): void {
    const endMs = startMs + GUIDE_PAGE_MS;
    const guide: GuideResponse = {
      from: new Date(startMs).toISOString(),
      to: new Date(endMs).toISOString(),
      channels: Object.entries(this.days).map(([channelId, programmes]) => ({
        channelId,
        timezone: 'Asia/Shanghai',
        programmes: programmes.filter((p) => p.endMs > startMs && p.startMs < endMs),
      })),
    };
    this.pages.put({ startMs, guide, loadedAtMs: NOW });
  }
}

function guideOf(channelCount: number): Guide {
  const days: Record<string, GuideProgramme[]> = {};
  for (let n = 1; n <= channelCount; n++) days[`c${n}`] = day(`c${n}`);
  const guide = new Guide(days);
  guide.channelList = Object.keys(days).map((_, i) => channel(i + 1));
  guide.load(T0 - GUIDE_PAGE_MS);
  guide.load(T0);
  return guide;
}

/** Lays out like the page does after a move that changed the grid. */
function laidOut(view: GuideView, outcome: MoveOutcome | boolean): GuideFrame | undefined {
  const relayout = typeof outcome === 'boolean' ? outcome : outcome.relayout;
  return relayout ? view.layout('en', true) : undefined;
}

function focusedCell(frame: GuideFrame) {
  return frame.cells.find((c) => c.key === frame.focusCell);
}

describe('guide view: opening', () => {
  it('shows nothing until channels arrive, then focuses the last tuned channel on the programme airing now', () => {
    const guide = guideOf(4);
    const channels = guide.channelList;
    guide.channelList = [];
    guide.lastChannelId = 'c3';
    const view = new GuideView(guide, NOW);
    expect(view.layout('en', true)).toBeUndefined();
    expect(view.details('en')).toEqual(NO_DETAILS);

    guide.channelList = channels;
    const frame = view.layout('en', true)!;
    expect(frame.focusRow).toBe('c3');
    expect(view.focusedProgramme()!.startMs).toBe(T0);
    expect(frame.focusCell).toBe(`c3/c3-${T0}`);
    expect(frame.lookAtMs).toBe(T0);
    expect(view.details('en')).toEqual({
      title: lesson(0),
      when: '03-02  08:00–08:40   3 Channel 3',
      unit: 'Maths (数学) · Unit 1 (第一单元)',
      state: 'Now',
    });
  });

  it('lays the window out from the half hour of now: markers, rows, cells, the now line', () => {
    const view = new GuideView(guideOf(8), NOW);
    const frame = view.layout('en', true)!;
    expect(frame.empty).toBe(false);
    expect(frame.stripX).toBe(-x(T0));
    expect(frame.markers.map((m) => m.label)).toEqual(['08:00', '08:30', '09:00']);
    expect(frame.markers.map((m) => m.x)).toEqual([x(T0), x(T0 + 30 * MIN), x(T0 + 60 * MIN)]);
    // Six of the eight rows, under the markers.
    expect(frame.rows.map((r) => r.key)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    expect(frame.rows.map((r) => r.y)).toEqual([48, 140, 232, 324, 416, 508]);
    expect(frame.rows[0]).toMatchObject({ number: '1', name: 'Channel 1' });
    expect(frame.gridHeight).toBe(6 * GUIDE.rowH);
    expect(frame.nowX).toBe(x(NOW));
    // Per row the programmes overlapping 08:00–09:30, full width minus the gap, coloured by airing state.
    const row1 = frame.cells.filter((c) => c.channel === 'c1');
    expect(row1.map((c) => c.x)).toEqual([x(T0), x(T0 + 40 * MIN), x(T0 + 80 * MIN)]);
    expect(row1[0]).toMatchObject({
      w: x(T0 + 40 * MIN) - x(T0) - GUIDE.cellGap,
      state: 'airing',
      color: COLORS.cellAiring,
      textColor: COLORS.text,
      title: lesson(0),
      count: 1,
    });
    expect(row1[1]).toMatchObject({ state: 'future', color: COLORS.cell });
    expect(frame.focus).toEqual({ shown: true, x: x(T0), y: 48, w: row1[0]!.w });
  });

  it('titles a programme that began before the window at the grid’s left edge', () => {
    const frame = new GuideView(guideOf(2), T0 + 50 * MIN).layout('en', true)!;
    // The window starts at 08:30 (the strip's origin too is half an hour later than at NOW); the 08:00–08:40
    // lesson shows its last ten minutes, titled from 08:30.
    const at = (ms: number) => x(ms - 30 * MIN);
    const first = frame.cells.find((c) => c.channel === 'c1')!;
    const visibleW = at(T0 + 40 * MIN) - GUIDE.cellGap - at(T0 + 30 * MIN);
    expect(first).toMatchObject({ x: at(T0), textX: at(T0 + 30 * MIN), title: lesson(0) });
    expect(first.textWidth).toBe(visibleW - GUIDE.cellTextInset);
    // Programmes that start inside the window keep their titles at their own left edge.
    const second = frame.cells.filter((c) => c.channel === 'c1')[1]!;
    expect(second.textX).toBe(second.x);
  });

  it('shows no focused row or cell while the tabs have the focus', () => {
    const frame = new GuideView(guideOf(2), NOW).layout('zh', false)!;
    expect(frame.focusRow).toBe('');
    expect(frame.focusCell).toBe('');
    expect(frame.focus.shown).toBe(false);
    expect(frame.rows[0]!.name).toBe('频道1');
  });

  it('draws programmes too narrow to tell apart as one block per run in the same airing state', () => {
    const clips: GuideProgramme[] = [];
    for (let ms = T0 - 60 * MIN; ms < T0 + 180 * MIN; ms += 30_000) clips.push(programme('c1', ms, 30_000));
    const guide = new Guide({ c1: clips, c2: day('c2') });
    guide.channelList = [channel(1), channel(2)];
    guide.load(T0);
    const view = new GuideView(guide, NOW);
    const frame = view.layout('en', true)!;
    const row = frame.cells.filter((c) => c.channel === 'c1');
    expect(row.map((c) => c.state)).toEqual(['past', 'airing', 'future']);
    expect(row.map((c) => c.count)).toEqual([20, 1, 159]);
    expect(row[0]).toMatchObject({
      key: `c1/run/c1-${T0}`,
      title: '',
      color: COLORS.cellPast,
      textColor: COLORS.textDim,
    });
    // The focus (the clip airing now) stands alone.
    expect(frame.focusCell).toBe(`c1/c1-${NOW}`);
  });
});

describe('guide view: moving', () => {
  it('moves programme by programme, scrolling the window only when the programme starts past it', () => {
    const view = new GuideView(guideOf(2), NOW);
    view.layout('en', true);
    let frame = laidOut(view, view.moveProgramme(1, 1000))!;
    expect(view.focusedProgramme()!.startMs).toBe(T0 + 40 * MIN);
    expect(frame.stripX).toBe(-x(T0));
    expect(focusedCell(frame)!.x).toBe(x(T0 + 40 * MIN));
    frame = laidOut(view, view.moveProgramme(1, 2000))!;
    expect(view.focusedProgramme()!.startMs).toBe(T0 + 80 * MIN);
    expect(frame.stripX).toBe(-x(T0 + 60 * MIN));
    expect(frame.nowX).toBeNull();
    // Back to a programme that still overlaps the window's left edge: the window stays.
    frame = laidOut(view, view.moveProgramme(-1, 3000))!;
    expect(view.focusedProgramme()!.startMs).toBe(T0 + 40 * MIN);
    expect(frame.stripX).toBe(-x(T0 + 60 * MIN));
    frame = laidOut(view, view.moveProgramme(-1, 4000))!;
    expect(frame.stripX).toBe(-x(T0));
  });

  it('keeps the focus time when moving between rows, scrolls rows to keep the focus shown, stops at the ends', () => {
    const view = new GuideView(guideOf(8), NOW);
    view.layout('en', true);
    laidOut(view, view.moveProgramme(1, 1000));
    expect(view.moveRow(-1)).toBe(false);
    for (let i = 0; i < 6; i++) expect(view.moveRow(1)).toBe(true);
    const frame = view.layout('en', true)!;
    expect(frame.focusRow).toBe('c7');
    expect(frame.rows.map((r) => r.key)).toEqual(['c2', 'c3', 'c4', 'c5', 'c6', 'c7']);
    expect(frame.focus.y).toBe(48 + 5 * GUIDE.rowH);
    expect(view.focusedProgramme()!.startMs).toBe(T0 + 40 * MIN);
    expect(view.moveRow(1)).toBe(true);
    expect(view.moveRow(1)).toBe(false);
  });

  it('does not move before the 24 hours of catch-up', () => {
    const dayAgo = NOW - 24 * 60 * MIN;
    const guide = new Guide({
      c1: [programme('c1', dayAgo - 60 * MIN, 60 * MIN), programme('c1', dayAgo, 25 * 60 * MIN)],
    });
    guide.channelList = [channel(1)];
    for (let page = -9; page <= 0; page++) guide.load(T0 + page * GUIDE_PAGE_MS);
    const view = new GuideView(guide, NOW);
    view.layout('en', true);
    expect(view.focusedProgramme()!.startMs).toBe(dayAgo);
    expect(view.moveProgramme(-1, 1000)).toEqual({ relayout: false });
    expect(view.focusedProgramme()!.startMs).toBe(dayAgo);
  });

  it('keeps a move past the loaded pages, asks for the page there, and makes the move when it arrives', () => {
    const guide = guideOf(1);
    const view = new GuideView(guide, NOW);
    view.layout('en', true);
    // The page of T0 holds the lessons starting 08:00 … 10:40; the last ends at 11:20.
    for (let i = 0; i < 4; i++) laidOut(view, view.moveProgramme(1, 1000 * (i + 1)));
    expect(view.focusedProgramme()!.startMs).toBe(T0 + 160 * MIN);
    expect(view.moveProgramme(1, 5000)).toEqual({ relayout: false, wantGuideAroundMs: T0 + 200 * MIN });
    expect(view.moveProgramme(1, 6000)).toEqual({ relayout: false, wantGuideAroundMs: T0 + 200 * MIN });
    guide.load(T0 + GUIDE_PAGE_MS);
    const frame = laidOut(view, view.guideChanged(7000))!;
    expect(view.focusedProgramme()!.startMs).toBe(T0 + 240 * MIN);
    expect(frame.lookAtMs).toBe(T0 + 240 * MIN);
    // Nothing is left waiting: the next page changes nothing.
    guide.load(T0 + 2 * GUIDE_PAGE_MS);
    laidOut(view, view.guideChanged(8000));
    expect(view.focusedProgramme()!.startMs).toBe(T0 + 240 * MIN);
  });

  it('puts the focus back on now when pages arrive before the viewer moved, and keeps it after', () => {
    const guide = new Guide({ c1: day('c1') });
    guide.channelList = [channel(1)];
    guide.load(T0 + GUIDE_PAGE_MS);
    const view = new GuideView(guide, NOW);
    view.layout('en', true);
    expect(view.focusedProgramme()!.startMs).toBe(T0 + 3 * 60 * MIN - 20 * MIN);
    guide.load(T0);
    expect(view.guideChanged(1000)).toEqual({ relayout: true });
    view.layout('en', true);
    expect(view.focusedProgramme()!.startMs).toBe(T0);
    laidOut(view, view.moveProgramme(1, 2000));
    guide.load(T0 - GUIDE_PAGE_MS);
    laidOut(view, view.guideChanged(3000));
    expect(view.focusedProgramme()!.startMs).toBe(T0 + 40 * MIN);
  });

  it('while a key is held, leaves the titles of cells scrolling in until it rests', () => {
    const view = new GuideView(guideOf(1), NOW);
    view.layout('en', true);
    laidOut(view, view.moveProgramme(1, 1000));
    const frame = laidOut(view, view.moveProgramme(1, 1000 + HELD_KEY_MS - 1))!;
    expect(frame.titlesDeferred).toBe(true);
    expect(frame.cells.map((c) => c.title)).toEqual([lesson(40), lesson(80), '']);
    view.releaseHeldKey();
    const rested = view.layout('en', true)!;
    expect(rested.titlesDeferred).toBe(false);
    expect(rested.cells.map((c) => c.title)).toEqual([lesson(40), lesson(80), lesson(120)]);
    // Moves further apart than a key repeat are not a held key.
    const apart = laidOut(view, view.moveProgramme(1, 1000 + 10 * HELD_KEY_MS))!;
    expect(apart.titlesDeferred).toBe(false);
  });

  it('follows the clock: airing states and the now line move with setNow', () => {
    const view = new GuideView(guideOf(1), NOW);
    view.layout('en', true);
    view.setNow(T0 + 50 * MIN);
    const frame = view.layout('en', true)!;
    expect(frame.cells.map((c) => c.state)).toEqual(['past', 'airing', 'future']);
    expect(frame.nowX).toBe(x(T0 + 50 * MIN));
  });
});

describe('guide view: OK', () => {
  it('tunes to an airing programme, plays a past one, opens the details of one not aired yet', () => {
    const view = new GuideView(guideOf(1), NOW);
    view.layout('en', true);
    expect(view.select(NOW, 'en')).toEqual({ kind: 'live', channelId: 'c1' });
    // The time of the press counts, not the last clock tick.
    expect(view.select(T0 + 45 * MIN, 'en')).toEqual({
      kind: 'catch-up',
      url: `/vod/airings/c1-${T0}/master.m3u8`,
      heading: lesson(0),
    });
    laidOut(view, view.moveProgramme(1, 1000));
    expect(view.select(NOW, 'en')).toEqual({ kind: 'details' });
    expect(view.details('zh')).toMatchObject({ title: '课 40', state: expect.any(String) });
    expect(new GuideView(new Guide({}), NOW).select(NOW, 'en')).toBeUndefined();
  });
});

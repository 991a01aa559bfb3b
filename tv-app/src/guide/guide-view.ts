/**
 * The programme guide apart from drawing: which channel and programme have the focus, which rows and which
 * 90 minutes are shown, how a key press moves them, and the plain lists (time markers, rows, cells, focus ring)
 * that pages/Guide.js hands to its template. Pure (no Blits, no clock reads, no fetches): the page passes "now"
 * and the time of each key press in, and acts on what comes back (asks the services for guide pages, starts
 * timers, navigates).
 *
 * Invariants: the strip origin is fixed while the guide is open (a cell keeps its strip x whatever the window
 * does, see time-grid.ts); the focused programme always stands alone (never merged into a run of narrow cells);
 * a move past the loaded guide pages is remembered (at most MAX_PENDING_MOVES) and made when the page arrives.
 */
import type { ChannelJson, GuideProgramme } from '../api/client.ts';
import { channelName, dateAt, t, title, wallClock, wallClockAt, type Language } from '../i18n/strings.ts';
import { COLORS, GUIDE } from '../theme.ts';
import { GUIDE_AHEAD_MS, GUIDE_BACK_MS } from './guide-pages.ts';
import {
  airingState,
  firstVisibleRow,
  floorToHalfHour,
  focusTimeFor,
  groupNarrowCells,
  halfHourMarkers,
  programmeIndexAt,
  stripCells,
  stripX,
  windowEndMs,
  windowStartFor,
  type AiringState,
  type GridScale,
  type TimeStrip,
} from './time-grid.ts';

/** Quiet time after a focus move before the details panel follows the focus (remote auto-repeat is ~30 Hz). */
export const DETAILS_SETTLE_MS = 150;
/** Moves closer together than this are a held key (auto-repeat): cells scrolled in get their titles once it rests. */
export const HELD_KEY_MS = 120;
/** Moves past the loaded guide pages wait for the page there; at most this many are kept. */
const MAX_PENDING_MOVES = 10;
const PX_PER_MINUTE = GUIDE.programmeAreaW / GUIDE.minutesShown;
/** The markers' zone when there is no channel to take it from. */
const DEFAULT_ZONE = 'Asia/Shanghai';

/** What the guide reads from the app's services. */
export interface GuideSource {
  channels(): readonly ChannelJson[];
  /** A channel's loaded programmes, sorted by start. */
  programmesOf(channelId: string): readonly GuideProgramme[];
  /** The channel last tuned on Live: the guide opens on its row. */
  readonly lastChannelId: string | undefined;
}

export interface MarkerNode {
  key: string;
  /** Strip x of the half hour. */
  x: number;
  label: string;
}

export interface RowNode {
  key: string;
  y: number;
  number: string;
  name: string;
}

export interface CellNode {
  key: string;
  channel: string;
  programme: string;
  state: AiringState;
  x: number;
  y: number;
  w: number;
  /** Where the title starts: the cell's left edge, or the grid's left edge for a programme that began earlier. */
  textX: number;
  textWidth: number;
  /** Programmes the cell stands for (a run of narrow ones is one cell). */
  count: number;
  title: string;
  color: string;
  textColor: string;
}

export interface FocusRing {
  shown: boolean;
  x: number;
  y: number;
  w: number;
}

/** Everything the template shows of the grid, for one state of the focus and the window. */
export interface GuideFrame {
  /** No channel to show. */
  empty: boolean;
  markers: MarkerNode[];
  rows: RowNode[];
  cells: CellNode[];
  /** Keys of the focused row and cell ('' while the tabs have the focus). */
  focusRow: string;
  focusCell: string;
  focus: FocusRing;
  /** The strip's offset under the programme area: minus the strip x of the window start. */
  stripX: number;
  gridHeight: number;
  /** Strip x of "now", null when now is outside the window. */
  nowX: number | null;
  /** Titles of cells that scrolled in while a key was held were left out: lay out again once it rests. */
  titlesDeferred: boolean;
  /** Where the viewer looks (the focused programme's start, else now): the guide pages around it are wanted. */
  lookAtMs: number;
}

export interface ProgrammeDetails {
  title: string;
  when: string;
  unit: string;
  state: string;
}

export const NO_DETAILS: Readonly<ProgrammeDetails> = Object.freeze({ title: '', when: '', unit: '', state: '' });

/** What OK on the focused programme does: tune in, play its catch-up, or open its details (not aired yet). */
export type Selection =
  { kind: 'live'; channelId: string } | { kind: 'catch-up'; url: string; heading: string } | { kind: 'details' };

/** The result of a move: whether the grid changed, and a guide page to fetch for a move that has to wait. */
export interface MoveOutcome {
  relayout: boolean;
  wantGuideAroundMs?: number;
}

/** Cell colours by airing state. */
function cellColors(state: AiringState): { color: string; textColor: string } {
  const color = state === 'past' ? COLORS.cellPast : state === 'airing' ? COLORS.cellAiring : COLORS.cell;
  return { color, textColor: state === 'past' ? COLORS.textDim : COLORS.text };
}

export class GuideView {
  private rowFocus = 0;
  private firstRow = 0;
  private programmeFocus = 0;
  private windowStartMs = 0;
  /** Instant at strip x = 0, set when the first channels arrive. */
  private originMs = 0;
  private initialised = false;
  /** Whether the viewer has moved the focus: until then a new guide page puts it back on now. */
  private focusMoved = false;
  /** Start of the programme that had the focus at the last layout: it is found again there when pages change. */
  private focusAtMs: number | undefined;
  /** Programme moves waiting for a guide page (negative: back in time). */
  private pendingMove = 0;
  private holdingKey = false;
  private lastMoveAtMs = Number.NEGATIVE_INFINITY;
  /** The cells of the last layout (their titles stay while a key is held). */
  private shownCells: CellNode[] = [];

  constructor(
    private readonly source: GuideSource,
    private nowMs: number,
  ) {}

  /** The page's clock tick: airing states, the now line and what counts as "now" follow. */
  setNow(nowMs: number): void {
    this.nowMs = nowMs;
  }

  /** The key rested after a held move: the next layout gives every cell its title. */
  releaseHeldKey(): void {
    this.holdingKey = false;
  }

  focusedChannel(): ChannelJson | undefined {
    return this.source.channels()[this.rowFocus];
  }

  focusedProgramme(): GuideProgramme | undefined {
    const channel = this.focusedChannel();
    return channel ? this.source.programmesOf(channel.id)[this.programmeFocus] : undefined;
  }

  /**
   * The grid for the current focus and window; undefined while no channel has arrived. `gridFocused` is false
   * while the tabs have the focus (no row or cell is focused then).
   */
  layout(language: Language, gridFocused: boolean): GuideFrame | undefined {
    const channels = this.source.channels();
    if (!this.initialised && !this.initialFocus()) return undefined;
    const scale = this.scale();
    const strip = this.strip();
    const zone = channels[0] ? channels[0].timezone : DEFAULT_ZONE;
    const markers = halfHourMarkers(scale).map((ms) => ({
      key: 'm' + ms,
      x: stripX(ms, strip),
      label: wallClockAt(ms, zone),
    }));
    const last = Math.min(channels.length, this.firstRow + GUIDE.visibleRows);
    const viewLeft = stripX(this.windowStartMs, strip);
    // While a key is held, cells scrolling in wait for their titles (rasterising text is most of what a scroll
    // costs a box); cells already shown keep theirs, so nothing on screen is re-rasterised either way.
    const shownTitles = this.holdingKey ? new Map(this.shownCells.map((c) => [c.key, c.title])) : undefined;
    let titlesDeferred = false;
    const titleOf = (key: string, full: string): string => {
      if (!shownTitles) return full;
      const shown = shownTitles.get(key) ?? '';
      if (shown !== full) titlesDeferred = true;
      return shown;
    };
    const rows: RowNode[] = [];
    const cells: CellNode[] = [];
    let focusRow = '';
    let focus = { shown: false, x: 0, y: 0, w: 0, key: '' };
    for (let r = this.firstRow; r < last; r++) {
      const channel = channels[r]!;
      const y = GUIDE.markersH + (r - this.firstRow) * GUIDE.rowH;
      const focusedRow = r === this.rowFocus && gridFocused;
      if (focusedRow) focusRow = channel.id;
      rows.push({ key: channel.id, y, number: String(channel.number), name: channelName(channel.name, language) });
      const keep = focusedRow ? this.programmeFocus : -1;
      const programmes = this.source.programmesOf(channel.id);
      const stateAt = (p: GuideProgramme) => airingState(p, this.nowMs);
      for (const cell of groupNarrowCells(stripCells(programmes, scale, strip), GUIDE.minDrawnCellW, keep, stateAt)) {
        const p = cell.programme;
        const key = channel.id + (cell.count > 1 ? '/run/' : '/') + p.id;
        const state = stateAt(p);
        const w = Math.max(2, cell.w - GUIDE.cellGap);
        if (focusedRow && cell.index === this.programmeFocus) focus = { shown: true, x: cell.x, y, w, key };
        // The title of a programme that began before the window sits at the grid's left edge, like a printed
        // guide's "continued" entry; a visible part narrower than about two characters shows no title.
        const textX = Math.max(cell.x, viewLeft);
        const visibleW = cell.x + w - textX;
        const full = visibleW >= GUIDE.minTitledCellW && cell.count === 1 ? title(p.title, language) : '';
        cells.push({
          key,
          channel: channel.id,
          programme: p.id,
          state,
          x: cell.x,
          y,
          w,
          textX,
          textWidth: Math.max(1, visibleW - GUIDE.cellTextInset),
          count: cell.count,
          title: titleOf(key, full),
          ...cellColors(state),
        });
      }
    }
    this.shownCells = cells;
    const focused = this.focusedProgramme();
    if (focused) this.focusAtMs = focused.startMs;
    const nowShown = this.nowMs >= this.windowStartMs && this.nowMs <= windowEndMs(scale);
    return {
      empty: channels.length === 0,
      markers,
      rows,
      cells,
      focusRow,
      focusCell: focus.key,
      focus: { shown: focus.shown, x: focus.x, y: focus.y, w: focus.w },
      stripX: -stripX(this.windowStartMs, strip),
      gridHeight: (last - this.firstRow) * GUIDE.rowH,
      nowX: nowShown ? stripX(this.nowMs, strip) : null,
      titlesDeferred,
      // Before the first programme arrives the focus is now.
      lookAtMs: focused ? focused.startMs : this.nowMs,
    };
  }

  /**
   * A guide page arrived or was refreshed. Programme indices shift, so the focus is found again by the time of
   * the programme that had it — or by now, until the viewer moves it (the page of now may come after others).
   * A move that waited for this page goes as far as the programmes now loaded allow.
   */
  guideChanged(atMonotonicMs: number): MoveOutcome {
    const channel = this.focusedChannel();
    if (this.initialised && channel) {
      const atMs = this.focusMoved ? (this.focusAtMs ?? this.nowMs) : this.nowMs;
      this.programmeFocus = programmeIndexAt(this.source.programmesOf(channel.id), atMs);
    }
    const count = channel ? this.source.programmesOf(channel.id).length : 0;
    const target = Math.max(0, Math.min(count - 1, this.programmeFocus + this.pendingMove));
    if (this.pendingMove !== 0 && target !== this.programmeFocus) {
      this.pendingMove = 0;
      return this.focusProgramme(target, atMonotonicMs);
    }
    return { relayout: true };
  }

  /** Left/Right: the previous or next programme of the focused row, scrolling the window as needed. */
  moveProgramme(step: number, atMonotonicMs: number): MoveOutcome {
    return this.focusProgramme(this.programmeFocus + step, atMonotonicMs);
  }

  /** Up/Down: the programme airing at the focus time in the row above or below; false at the first or last row. */
  moveRow(step: number): boolean {
    const channels = this.source.channels();
    const target = this.rowFocus + step;
    if (target < 0 || target >= channels.length) return false;
    const atMs = focusTimeFor(this.focusedProgramme(), this.scale());
    this.rowFocus = target;
    this.focusMoved = true;
    this.pendingMove = 0;
    this.firstRow = firstVisibleRow(target, this.firstRow, GUIDE.visibleRows, channels.length);
    this.programmeFocus = programmeIndexAt(this.source.programmesOf(channels[target]!.id), atMs);
    return true;
  }

  /** The details panel's texts for the focused programme. */
  details(language: Language): ProgrammeDetails {
    const p = this.focusedProgramme();
    const channel = this.focusedChannel();
    if (!p || !channel) return { ...NO_DETAILS };
    const state = airingState(p, this.nowMs);
    const on = channel.number + ' ' + channelName(channel.name, language);
    return {
      title: title(p.title, language),
      when: dateAt(p.startMs, channel.timezone) + '  ' + wallClock(p.start) + '–' + wallClock(p.end) + '   ' + on,
      unit: [p.subjectName ? title(p.subjectName, language) : '', p.unit ? title(p.unit, language) : '']
        .filter(Boolean)
        .join(' · '),
      state: t(state === 'past' ? 'catchUp' : state === 'airing' ? 'now' : 'upcoming', language),
    };
  }

  /** What OK does at `nowMs` (the time of the press, not of the last tick); undefined with nothing focused. */
  select(nowMs: number, language: Language): Selection | undefined {
    const p = this.focusedProgramme();
    const channel = this.focusedChannel();
    if (!p || !channel) return undefined;
    const state = airingState(p, nowMs);
    if (state === 'airing') return { kind: 'live', channelId: channel.id };
    if (state === 'past') return { kind: 'catch-up', url: p.catchUpUrl, heading: title(p.title, language) };
    return { kind: 'details' };
  }

  private scale(): GridScale {
    return { windowStartMs: this.windowStartMs, widthPx: GUIDE.programmeAreaW, pxPerMinute: PX_PER_MINUTE };
  }

  private strip(): TimeStrip {
    return { originMs: this.originMs, pxPerMinute: PX_PER_MINUTE };
  }

  /** On the first channels: the last tuned channel's row (else the first), the programme airing now. */
  private initialFocus(): boolean {
    const channels = this.source.channels();
    if (channels.length === 0) return false;
    const tuned = channels.findIndex((c) => c.id === this.source.lastChannelId);
    this.rowFocus = Math.max(0, tuned);
    this.firstRow = firstVisibleRow(this.rowFocus, 0, GUIDE.visibleRows, channels.length);
    this.windowStartMs = floorToHalfHour(this.nowMs);
    // Fixed while the guide is open: cells keep their strip positions whatever the window does.
    this.originMs = floorToHalfHour(this.nowMs - GUIDE_BACK_MS);
    this.programmeFocus = programmeIndexAt(this.source.programmesOf(channels[this.rowFocus]!.id), this.nowMs);
    this.initialised = true;
    return true;
  }

  /** Moves the focus to programme `index` of the focused row, scrolling the window as needed. */
  private focusProgramme(index: number, atMonotonicMs: number): MoveOutcome {
    this.holdingKey = atMonotonicMs - this.lastMoveAtMs < HELD_KEY_MS;
    this.lastMoveAtMs = atMonotonicMs;
    const channel = this.focusedChannel();
    if (!channel) return { relayout: false };
    const programmes = this.source.programmesOf(channel.id);
    const earliestMs = this.nowMs - GUIDE_BACK_MS;
    if (index < 0 || index >= programmes.length) return this.waitForPage(index < 0 ? -1 : 1, programmes, earliestMs);
    const p = programmes[index]!;
    if (p.endMs <= earliestMs) return { relayout: false };
    this.focusMoved = true;
    this.programmeFocus = index;
    const latestStart = floorToHalfHour(programmes[programmes.length - 1]!.endMs);
    this.windowStartMs = windowStartFor(p, this.scale(), earliestMs, latestStart);
    return { relayout: true };
  }

  /** A move past the loaded pages waits for the page there (if the guide reaches that far) instead of being lost. */
  private waitForPage(step: -1 | 1, programmes: readonly GuideProgramme[], earliestMs: number): MoveOutcome {
    const edgeMs = step < 0 ? (programmes[0]?.startMs ?? this.nowMs) - 1 : (programmes.at(-1)?.endMs ?? this.nowMs);
    if (programmes.length === 0 || edgeMs <= earliestMs || edgeMs >= this.nowMs + GUIDE_AHEAD_MS) {
      return { relayout: false };
    }
    this.pendingMove = Math.max(-MAX_PENDING_MOVES, Math.min(MAX_PENDING_MOVES, this.pendingMove + step));
    return { relayout: false, wantGuideAroundMs: edgeMs };
  }
}

/**
 * The week grid of the timetable editor, pure (no React, no I/O, no imports): a weekly template as seven
 * ordered slot lists, the edits a broadcaster makes to it (add, remove, retime, move, copy a day), undo/redo
 * history, and the mapping of the API's field problems (`mon[2].subject`) back to the slot and field they name.
 *
 * Times are the channel's local wall-clock times (`HH:MM`), ordered within the broadcast day that starts at
 * the channel's `dayStart` (a 01:00 slot of a day starting 06:00 comes after its 23:00 slot). Moving a slot
 * within a day keeps the day's start times where they are and moves the programmes between them (a school
 * timetable's periods stay; the lessons change places); dropping a slot on another slot swaps the two
 * programmes; moving a slot to another day keeps its start time there (or swaps with the slot already there).
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The slot kinds of the API (`slotSchema` in scheduler/schedule/channel-document.ts). */
export const SLOT_KINDS = ['lesson', 'rerun', 'rerun-loop', 'filler', 'programme', 'off-air'] as const;
export type SlotKind = (typeof SLOT_KINDS)[number];

/** One slot while it is edited: every kind's fields optional, the kind deciding which are sent. */
export interface Slot {
  id: string;
  start: string;
  kind: SlotKind;
  /** lesson: the course subject whose next lesson airs (first run). */
  subject?: string;
  /** rerun: the lesson slot rerun… */
  of?: string;
  /** rerun, rerun-loop: …that many days earlier (0 = same day, earlier slot). */
  daysAgo?: number;
  /** filler, programme: an asset id. */
  asset?: string;
  /** programme: a lesson id. */
  lesson?: string;
  /** programme, off-air: its title in guides. */
  title?: { zh: string; en?: string };
  /** off-air: the card asset on screen (none: the channel's slate). */
  card?: string;
}

export type WeekGrid = Record<Weekday, Slot[]>;

/** What the API serves and takes (`AdminWeeklyTimetable`): weekday → slots; a missing day is off-air. */
export type ApiTimetable = { [day: string]: ApiSlot[] };
export type ApiSlot = { id: string; start: string; kind: string } & Record<string, unknown>;

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MINUTES_A_DAY = 24 * 60;

export function isTime(value: string): boolean {
  return TIME.test(value);
}

export function toMinutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

export function fromMinutes(minutes: number): string {
  const m = ((Math.round(minutes) % MINUTES_A_DAY) + MINUTES_A_DAY) % MINUTES_A_DAY;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Minutes since the broadcast day's start (times before `dayStart` belong to the next date's small hours). */
export function minutesIntoDay(time: string, dayStart: string): number {
  if (!isTime(time)) return MINUTES_A_DAY;
  return (toMinutes(time) - toMinutes(dayStart) + MINUTES_A_DAY) % MINUTES_A_DAY;
}

/** Slots in broadcast-day order; slots with an unreadable start go last, keeping their order (stable sort). */
export function sortDay(slots: readonly Slot[], dayStart: string): Slot[] {
  return [...slots].sort((a, b) => minutesIntoDay(a.start, dayStart) - minutesIntoDay(b.start, dayStart));
}

/** Minutes until the next slot (or the end of the broadcast day for the last one). */
export function durationOf(slots: readonly Slot[], index: number, dayStart: string): number {
  const slot = slots[index];
  if (!slot) return 0;
  const next = slots[index + 1];
  const end = next ? minutesIntoDay(next.start, dayStart) : MINUTES_A_DAY;
  return Math.max(0, end - minutesIntoDay(slot.start, dayStart));
}

export function emptyGrid(): WeekGrid {
  return { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
}

export function fromApi(timetable: ApiTimetable, dayStart: string): WeekGrid {
  const grid = emptyGrid();
  for (const day of WEEKDAYS) grid[day] = sortDay((timetable[day] ?? []).map(slotFromApi), dayStart);
  return grid;
}

function slotFromApi(raw: ApiSlot): Slot {
  const slot: Slot = { id: raw.id, start: raw.start, kind: raw.kind as SlotKind };
  for (const key of ['subject', 'of', 'asset', 'lesson', 'card'] as const)
    if (typeof raw[key] === 'string') slot[key] = raw[key] as string;
  if (typeof raw.daysAgo === 'number') slot.daysAgo = raw.daysAgo;
  if (raw.title && typeof raw.title === 'object') slot.title = { ...(raw.title as { zh: string; en?: string }) };
  return slot;
}

/**
 * The body of `PUT …/timetables/:name`: each slot with its kind's fields only. A required field left empty is
 * still sent (as '') so that the API names it in its problems; optional empty fields are left out.
 */
export function toApi(grid: WeekGrid): ApiTimetable {
  const out: ApiTimetable = {};
  for (const day of WEEKDAYS) out[day] = grid[day].map(slotToApi);
  return out;
}

function titleToApi(title: { zh: string; en?: string }): { zh: string; en?: string } {
  return title.en ? { zh: title.zh, en: title.en } : { zh: title.zh };
}

export function slotToApi(slot: Slot): ApiSlot {
  const base = { id: slot.id, start: slot.start, kind: slot.kind };
  switch (slot.kind) {
    case 'lesson':
      return { ...base, subject: slot.subject ?? '' };
    case 'rerun':
      return { ...base, of: slot.of ?? '', daysAgo: slot.daysAgo ?? 0 };
    case 'rerun-loop':
      return { ...base, daysAgo: slot.daysAgo ?? 0 };
    case 'filler':
      return { ...base, asset: slot.asset ?? '' };
    case 'programme': {
      const out: ApiSlot = { ...base };
      if (slot.lesson) out.lesson = slot.lesson;
      if (slot.asset) out.asset = slot.asset;
      if (slot.title?.zh) out.title = titleToApi(slot.title);
      return out;
    }
    case 'off-air': {
      // Its guide title (午间休息…) and card survive an edit in the console.
      const out: ApiSlot = { ...base };
      if (slot.title?.zh) out.title = titleToApi(slot.title);
      if (slot.card) out.card = slot.card;
      return out;
    }
    default:
      return base;
  }
}

/** Whether two grids would send the same body (what "unsaved changes" means). */
export function sameGrid(a: WeekGrid, b: WeekGrid): boolean {
  // Edits keep the untouched days' lists: those compare by identity.
  return WEEKDAYS.every(
    (day) => a[day] === b[day] || JSON.stringify(a[day].map(slotToApi)) === JSON.stringify(b[day].map(slotToApi)),
  );
}

/** A slot id not used on that day: `base`, else `base-2`, `base-3`… */
export function freeId(slots: readonly Slot[], base: string): string {
  const used = new Set(slots.map((s) => s.id));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

function withDay(grid: WeekGrid, day: Weekday, slots: Slot[], dayStart: string): WeekGrid {
  return { ...grid, [day]: sortDay(slots, dayStart) };
}

/**
 * Adds a slot to a day. Without a start it goes after the day's last slot (30 minutes after its start, or at
 * `dayStart` on an empty day); the id is new on that day. Returns the grid and the new slot's id.
 */
export function addSlot(
  grid: WeekGrid,
  day: Weekday,
  dayStart: string,
  slot: Partial<Slot> = {},
): { grid: WeekGrid; id: string } {
  const slots = grid[day];
  const last = slots[slots.length - 1];
  const start = slot.start ?? (last ? fromMinutes(toMinutes(last.start) + 30) : dayStart);
  const id = freeId(slots, slot.id ?? `slot-${slots.length + 1}`);
  const added: Slot = { kind: 'off-air', ...slot, id, start };
  return { grid: withDay(grid, day, [...slots, added], dayStart), id };
}

export function removeSlot(grid: WeekGrid, day: Weekday, id: string): WeekGrid {
  return { ...grid, [day]: grid[day].filter((s) => s.id !== id) };
}

/** Changes a slot's fields; a new start re-sorts the day. A new id that is taken on that day is refused. */
export function updateSlot(grid: WeekGrid, day: Weekday, id: string, patch: Partial<Slot>, dayStart: string): WeekGrid {
  if (patch.id !== undefined && patch.id !== id && grid[day].some((s) => s.id === patch.id)) return grid;
  const slots = grid[day].map((s) => (s.id === id ? { ...s, ...patch } : s));
  return patch.start !== undefined ? withDay(grid, day, slots, dayStart) : { ...grid, [day]: slots };
}

/** Moves a slot's start by `minutes` (keyboard retiming); it never passes a neighbour (that start is taken). */
export function shiftSlot(grid: WeekGrid, day: Weekday, id: string, minutes: number, dayStart: string): WeekGrid {
  const slot = grid[day].find((s) => s.id === id);
  if (!slot || !isTime(slot.start)) return grid;
  const start = fromMinutes(toMinutes(slot.start) + minutes);
  const at = minutesIntoDay(start, dayStart);
  const before = minutesIntoDay(slot.start, dayStart);
  // Wrapping past the broadcast day's edge, or onto or past a neighbour's start, is not a retime.
  if (Math.sign(at - before) !== Math.sign(minutes)) return grid;
  const others = grid[day].filter((s) => s.id !== id).map((s) => minutesIntoDay(s.start, dayStart));
  if (others.some((m) => (minutes > 0 ? m > before && m <= at : m < before && m >= at))) return grid;
  return updateSlot(grid, day, id, { start }, dayStart);
}

/** The programme of a slot: everything but where it sits (id and start). */
function programmeOf(slot: Slot): Omit<Slot, 'id' | 'start'> {
  const { id: _id, start: _start, ...rest } = slot;
  return rest;
}

export type DropPosition = 'before' | 'after' | 'on';

/**
 * Moves the programme of slot `id` within its day to the place of `target` (before/after it), the day's start
 * times staying where they are: the programmes in between shift by one slot. `on` swaps the two programmes.
 * Slot ids travel with their programmes (a rerun keeps pointing at the lesson it reruns).
 */
export function moveWithinDay(grid: WeekGrid, day: Weekday, id: string, target: string, position: DropPosition) {
  const slots = grid[day];
  const from = slots.findIndex((s) => s.id === id);
  const to = slots.findIndex((s) => s.id === target);
  if (from < 0 || to < 0 || from === to) return grid;
  const starts = slots.map((s) => s.start);
  let order = [...slots];
  if (position === 'on') {
    [order[from], order[to]] = [order[to]!, order[from]!];
  } else {
    const [moved] = order.splice(from, 1);
    const at = order.findIndex((s) => s.id === target) + (position === 'after' ? 1 : 0);
    order.splice(at, 0, moved!);
  }
  order = order.map((s, i) => ({ ...s, start: starts[i]! }));
  return { ...grid, [day]: order };
}

/** Moves slot `id` one place earlier (-1) or later (+1) in its day: the keyboard's way of `moveWithinDay`. */
export function nudgeSlot(grid: WeekGrid, day: Weekday, id: string, step: -1 | 1): WeekGrid {
  const slots = grid[day];
  const from = slots.findIndex((s) => s.id === id);
  const neighbour = slots[from + step];
  if (from < 0 || !neighbour) return grid;
  return moveWithinDay(grid, day, id, neighbour.id, 'on');
}

/**
 * Moves slot `id` from `from` to `to`. Onto a slot (`target`, position `on`) it swaps programmes with it (both
 * start times stay); otherwise it keeps its start time on the new day, swapping with a slot that already starts
 * then. The id is kept unless the new day uses it.
 */
export function moveToDay(
  grid: WeekGrid,
  from: Weekday,
  id: string,
  to: Weekday,
  dayStart: string,
  target?: { id: string; position: DropPosition },
): WeekGrid {
  const slot = grid[from].find((s) => s.id === id);
  if (!slot) return grid;
  if (from === to) return target ? moveWithinDay(grid, from, id, target.id, target.position) : grid;
  const onto =
    target?.position === 'on' ? grid[to].find((s) => s.id === target.id) : grid[to].find((s) => s.start === slot.start);
  if (onto) {
    const a: Slot = {
      ...programmeOf(slot),
      id: freeId(
        grid[to].filter((s) => s !== onto),
        slot.id,
      ),
      start: onto.start,
    };
    const b: Slot = {
      ...programmeOf(onto),
      id: freeId(
        grid[from].filter((s) => s !== slot),
        onto.id,
      ),
      start: slot.start,
    };
    return {
      ...grid,
      [from]: grid[from].map((s) => (s === slot ? b : s)),
      [to]: grid[to].map((s) => (s === onto ? a : s)),
    };
  }
  const moved = { ...slot, id: freeId(grid[to], slot.id) };
  return withDay({ ...grid, [from]: grid[from].filter((s) => s !== slot) }, to, [...grid[to], moved], dayStart);
}

/** Copies one day's slots over each of `to` (their slots are replaced). */
export function copyDay(grid: WeekGrid, from: Weekday, to: readonly Weekday[]): WeekGrid {
  const out = { ...grid };
  for (const day of to) if (day !== from) out[day] = grid[from].map((s) => ({ ...s }));
  return out;
}

/** Problems the grid can tell before asking the API: an unreadable start, or two slots of a day at one time. */
export function localProblems(grid: WeekGrid): SlotProblem[] {
  const problems: SlotProblem[] = [];
  for (const day of WEEKDAYS) {
    const seen = new Map<string, string>();
    for (const slot of grid[day]) {
      if (!isTime(slot.start)) problems.push({ day, slot: slot.id, field: 'start', reason: 'time', code: 'time' });
      else if (seen.has(slot.start))
        problems.push({ day, slot: slot.id, field: 'start', reason: seen.get(slot.start)!, code: 'sameStart' });
      else seen.set(slot.start, slot.id);
    }
  }
  return problems;
}

/** A problem placed on the grid: a slot's field, a slot (`field` undefined), a day (`slot` undefined). */
export interface SlotProblem {
  day?: Weekday;
  slot?: string;
  field?: string;
  reason: string;
  /** Set for the grid's own problems (a message key); the API's carry its sentence in `reason`. */
  code?: 'time' | 'sameStart';
}

const FIELD = /^(mon|tue|wed|thu|fri|sat|sun)(?:\[(\d+)\](?:\.(\w+))?)?/;

/**
 * Places the API's problems (fields relative to the timetable body, e.g. `tue[3].of`) on the slots of the grid
 * that was sent: index 3 of Tuesday is the slot whose id the sent grid had there. Problems naming nothing in
 * this timetable (another timetable of the channel, the body) come back without a day.
 */
export function placeProblems(problems: readonly { field?: string; reason: string }[], sent: WeekGrid): SlotProblem[] {
  return problems.map((p) => {
    const match = p.field ? FIELD.exec(p.field) : null;
    if (!match) return { reason: p.field ? `${p.field}: ${p.reason}` : p.reason };
    const day = match[1] as Weekday;
    if (match[2] === undefined) return { day, reason: p.reason };
    const slot = sent[day][Number(match[2])];
    if (!slot) return { day, reason: `${p.field}: ${p.reason}` };
    return { day, slot: slot.id, ...(match[3] ? { field: match[3] } : {}), reason: p.reason };
  });
}

/**
 * Undo/redo history of grids: `present` is what is shown; each edit pushes the previous one. Successive edits
 * with the same `key` (typing in one field of one slot) are one step: the last one replaces the present.
 */
export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  key?: string | undefined;
}

export const HISTORY_LIMIT = 100;

export function startHistory<T>(present: T): History<T> {
  return { past: [], present, future: [] };
}

export function record<T>(history: History<T>, next: T, key?: string): History<T> {
  if (next === history.present) return history;
  if (key !== undefined && key === history.key && history.past.length > 0)
    return { ...history, present: next, future: [] };
  return { past: [...history.past, history.present].slice(-HISTORY_LIMIT), present: next, future: [], key };
}

export function undo<T>(history: History<T>): History<T> {
  const previous = history.past[history.past.length - 1];
  if (previous === undefined) return history;
  return {
    past: history.past.slice(0, -1),
    present: previous,
    future: [history.present, ...history.future],
    key: undefined,
  };
}

export function redo<T>(history: History<T>): History<T> {
  const [next, ...rest] = history.future;
  if (next === undefined) return history;
  return { past: [...history.past, history.present], present: next, future: rest, key: undefined };
}

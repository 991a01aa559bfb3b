import { describe, expect, it } from 'vitest';
import {
  addSlot,
  copyDay,
  durationOf,
  fromApi,
  localProblems,
  moveToDay,
  moveWithinDay,
  nudgeSlot,
  placeProblems,
  record,
  redo,
  removeSlot,
  sameGrid,
  shiftSlot,
  startHistory,
  toApi,
  undo,
  updateSlot,
  type ApiTimetable,
  type WeekGrid,
} from '../../admin-app/src/timetable/week-grid-model.ts';

const TERM: ApiTimetable = {
  mon: [
    { id: 'p3', start: '09:30', kind: 'filler', asset: 'eye-exercise' },
    { id: 'p1', start: '08:00', kind: 'lesson', subject: 'math' },
    { id: 'p2', start: '08:45', kind: 'lesson', subject: 'chinese' },
    { id: 'night', start: '01:00', kind: 'rerun-loop', daysAgo: 1 },
  ],
  tue: [{ id: 'p1', start: '08:00', kind: 'rerun', of: 'p1', daysAgo: 1 }],
};
const DAY_START = '06:00';
const grid = (): WeekGrid => fromApi(TERM, DAY_START);
const starts = (g: WeekGrid, day: keyof WeekGrid) => g[day].map((s) => `${s.start} ${s.id}`);

describe('week grid: reading and writing the API body', () => {
  it('orders each day from the channel day start (small hours last) and fills missing days', () => {
    const g = grid();
    expect(starts(g, 'mon')).toEqual(['08:00 p1', '08:45 p2', '09:30 p3', '01:00 night']);
    expect(g.sun).toEqual([]);
    expect(durationOf(g.mon, 0, DAY_START)).toBe(45);
    expect(durationOf(g.mon, 3, DAY_START)).toBe(5 * 60);
  });

  it('sends each kind with its own fields only, required ones even when empty', () => {
    let g = updateSlot(grid(), 'mon', 'p3', { kind: 'lesson' }, DAY_START);
    g = updateSlot(g, 'mon', 'p2', { kind: 'programme', lesson: 'g3-math-u1-l2', subject: 'stale' }, DAY_START);
    const body = toApi(g);
    expect(body.mon![2]).toEqual({ id: 'p3', start: '09:30', kind: 'lesson', subject: '' });
    expect(body.mon![1]).toEqual({ id: 'p2', start: '08:45', kind: 'programme', lesson: 'g3-math-u1-l2' });
    expect(Object.keys(body)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
    expect(sameGrid(fromApi(body, DAY_START), g)).toBe(true);
    expect(sameGrid(grid(), g)).toBe(false);
  });

  it("keeps an off-air slot's guide title and card through an edit (no card: none sent)", () => {
    const lunch = { id: 'lunch', start: '11:40', kind: 'off-air', title: { zh: '午间休息', en: 'Lunch break' } };
    const g = fromApi(
      {
        mon: [
          { ...lunch, card: 'card-lunch' },
          { ...lunch, id: 'rest', start: '12:00' },
        ],
      },
      DAY_START,
    );
    const body = toApi(updateSlot(g, 'mon', 'lunch', { start: '11:45' }, DAY_START));
    expect(body.mon).toEqual([
      { ...lunch, start: '11:45', card: 'card-lunch' },
      { ...lunch, id: 'rest', start: '12:00' },
    ]);
  });
});

describe('week grid: edits', () => {
  it('adds after the last slot with a new id, retimes (re-sorting) and removes', () => {
    const added = addSlot(grid(), 'tue', DAY_START, { kind: 'off-air' });
    expect(added.id).toBe('slot-2');
    expect(starts(added.grid, 'tue')).toEqual(['08:00 p1', '08:30 slot-2']);
    const retimed = updateSlot(added.grid, 'tue', 'slot-2', { start: '07:00' }, DAY_START);
    expect(starts(retimed, 'tue')).toEqual(['07:00 slot-2', '08:00 p1']);
    expect(starts(removeSlot(retimed, 'tue', 'p1'), 'tue')).toEqual(['07:00 slot-2']);
    expect(addSlot(grid(), 'sun', DAY_START).grid.sun[0]!.start).toBe('06:00');
  });

  it('refuses an id already used that day', () => {
    const g = grid();
    expect(updateSlot(g, 'mon', 'p2', { id: 'p1' }, DAY_START)).toBe(g);
  });

  it('shifts a start by minutes but never onto or past a neighbour, nor across the day edge', () => {
    const g = grid();
    expect(starts(shiftSlot(g, 'mon', 'p2', 5, DAY_START), 'mon')[1]).toBe('08:50 p2');
    expect(shiftSlot(g, 'mon', 'p2', 45, DAY_START)).toBe(g);
    expect(shiftSlot(g, 'mon', 'p1', -121, DAY_START)).toBe(g);
    expect(starts(shiftSlot(g, 'mon', 'p1', -60, DAY_START), 'mon')[0]).toBe('07:00 p1');
  });

  it('moves programmes between fixed start times within a day (before, after, on = swap)', () => {
    const g = grid();
    expect(starts(moveWithinDay(g, 'mon', 'p3', 'p1', 'before'), 'mon')).toEqual([
      '08:00 p3',
      '08:45 p1',
      '09:30 p2',
      '01:00 night',
    ]);
    expect(starts(moveWithinDay(g, 'mon', 'p1', 'p3', 'after'), 'mon')).toEqual([
      '08:00 p2',
      '08:45 p3',
      '09:30 p1',
      '01:00 night',
    ]);
    const swapped = moveWithinDay(g, 'mon', 'p1', 'p3', 'on');
    expect(swapped.mon[0]).toEqual({ id: 'p3', start: '08:00', kind: 'filler', asset: 'eye-exercise' });
    expect(swapped.mon[2]).toEqual({ id: 'p1', start: '09:30', kind: 'lesson', subject: 'math' });
    expect(nudgeSlot(g, 'mon', 'p1', -1)).toBe(g);
    expect(starts(nudgeSlot(g, 'mon', 'p1', 1), 'mon').slice(0, 2)).toEqual(['08:00 p2', '08:45 p1']);
  });

  it('moves to another day at the same time, swapping with a slot that starts then, renaming a taken id', () => {
    const g = grid();
    const moved = moveToDay(g, 'mon', 'p2', 'wed', DAY_START);
    expect(starts(moved, 'wed')).toEqual(['08:45 p2']);
    expect(moved.mon.map((s) => s.id)).toEqual(['p1', 'p3', 'night']);
    const clash = moveToDay(g, 'mon', 'p1', 'tue', DAY_START);
    expect(clash.tue).toEqual([{ id: 'p1', start: '08:00', kind: 'lesson', subject: 'math' }]);
    expect(clash.mon[0]).toEqual({ id: 'p1', start: '08:00', kind: 'rerun', of: 'p1', daysAgo: 1 });
    const onto = moveToDay(g, 'tue', 'p1', 'mon', DAY_START, { id: 'p3', position: 'on' });
    expect(onto.mon[2]).toEqual({ id: 'p1-2', start: '09:30', kind: 'rerun', of: 'p1', daysAgo: 1 });
    expect(onto.tue).toEqual([{ id: 'p3', start: '08:00', kind: 'filler', asset: 'eye-exercise' }]);
  });

  it('copies a day over others (copies, not shared objects)', () => {
    const g = copyDay(grid(), 'mon', ['tue', 'sat', 'mon']);
    expect(starts(g, 'sat')).toEqual(starts(g, 'mon'));
    expect(starts(g, 'tue')).toEqual(starts(g, 'mon'));
    expect(g.sat[0]).not.toBe(g.mon[0]);
    expect(g.sun).toEqual([]);
  });
});

describe('week grid: problems', () => {
  it('finds unreadable and repeated starts itself', () => {
    let g = updateSlot(grid(), 'mon', 'p2', { start: '08:00' }, DAY_START);
    g = updateSlot(g, 'tue', 'p1', { start: '25:00' }, DAY_START);
    expect(localProblems(g)).toEqual([
      { day: 'mon', slot: 'p2', field: 'start', reason: 'p1', code: 'sameStart' },
      { day: 'tue', slot: 'p1', field: 'start', reason: 'time', code: 'time' },
    ]);
  });

  it("places the API's field problems on the slot and field of the grid that was sent", () => {
    const sent = grid();
    const placed = placeProblems(
      [
        { field: 'mon[1].subject', reason: "subject 'chinese' has no course" },
        { field: 'tue[0]', reason: 'bad slot' },
        { field: 'wed', reason: 'not an array' },
        { field: 'sun[4].of', reason: 'gone' },
        { field: 'channels[0].timetables.holiday.mon[0].of', reason: 'elsewhere' },
        { reason: 'no field' },
      ],
      sent,
    );
    expect(placed).toEqual([
      { day: 'mon', slot: 'p2', field: 'subject', reason: "subject 'chinese' has no course" },
      { day: 'tue', slot: 'p1', reason: 'bad slot' },
      { day: 'wed', reason: 'not an array' },
      { day: 'sun', reason: 'sun[4].of: gone' },
      { reason: 'channels[0].timetables.holiday.mon[0].of: elsewhere' },
      { reason: 'no field' },
    ]);
  });
});

describe('week grid: undo history', () => {
  it('undoes and redoes the last edits; a new edit drops the redo branch', () => {
    let h = startHistory(grid());
    const first = h.present;
    h = record(h, removeSlot(h.present, 'mon', 'p1'));
    h = record(h, removeSlot(h.present, 'mon', 'p2'));
    expect(h.present.mon).toHaveLength(2);
    h = undo(h);
    expect(h.present.mon).toHaveLength(3);
    h = undo(h);
    expect(h.present).toBe(first);
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present.mon).toHaveLength(3);
    h = record(h, copyDay(h.present, 'mon', ['sun']));
    expect(h.future).toEqual([]);
    expect(record(h, h.present)).toBe(h);
  });

  it('makes successive edits of one field (typing) one undo step, and an undo ends the run', () => {
    let h = startHistory(grid());
    const first = h.present;
    h = record(h, updateSlot(h.present, 'mon', 'p1', { subject: 'm' }, DAY_START), 'mon/p1/subject');
    h = record(h, updateSlot(h.present, 'mon', 'p1', { subject: 'ma' }, DAY_START), 'mon/p1/subject');
    h = record(h, updateSlot(h.present, 'mon', 'p1', { start: '07:50' }, DAY_START), 'mon/p1/start');
    expect(h.past).toHaveLength(2);
    expect(h.past[1]!.mon[0]!.subject).toBe('ma');
    h = undo(undo(h));
    expect(h.present).toBe(first);
    h = redo(h);
    h = record(h, updateSlot(h.present, 'mon', 'p1', { subject: 'ma' }, DAY_START), 'mon/p1/subject');
    h = record(h, updateSlot(h.present, 'mon', 'p1', { subject: 'mat' }, DAY_START), 'mon/p1/subject');
    expect(h.past).toHaveLength(2);
    expect(undo(h).present.mon[0]!.subject).toBe('ma');
  });
});

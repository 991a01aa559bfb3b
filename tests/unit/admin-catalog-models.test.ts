/** The console's pure models for the school calendar, overrides and catalog screens. */
import { describe, expect, it } from 'vitest';
import {
  addRange,
  emptyCalendar,
  marksOf,
  normalizeCalendar,
  regionChoices,
  removeEntry,
  setMakeUpDay,
  weekdayOf,
} from '../../admin-app/src/calendar-model.ts';
import {
  chooseLevel,
  courseChoices,
  groupByUnit,
  importRequest,
  problemRows,
  type VolumeLike,
} from '../../admin-app/src/catalog-model.ts';
import { addDays, byAiring, formGaps, overrideBody, slotChoices } from '../../admin-app/src/overrides-model.ts';

describe('school calendar model', () => {
  const calendar = setMakeUpDay(
    addRange(
      addRange(emptyCalendar('shanghai'), 'terms', { name: ' 秋季学期 ', start: '2026-09-01', end: '2027-01-20' }),
      'holidays',
      {
        name: '',
        start: '2026-10-01',
        end: '2026-10-07',
      },
    ),
    '2026-10-10',
    'fri',
  );

  it('says what a date is: term, holiday and make-up day', () => {
    expect(marksOf(calendar, '2026-10-03')).toEqual({
      term: { name: '秋季学期', start: '2026-09-01', end: '2027-01-20' },
      holiday: { start: '2026-10-01', end: '2026-10-07' },
    });
    expect(marksOf(calendar, '2026-10-10').makeUp).toEqual({ date: '2026-10-10', follows: 'fri' });
    expect(marksOf(calendar, '2027-01-21')).toEqual({});
    expect(marksOf(calendar, '2027-01-20').term?.end).toBe('2027-01-20');
  });

  it('keeps entries in date order; a make-up day replaces one on the same date', () => {
    const more = setMakeUpDay(setMakeUpDay(calendar, '2026-09-27', 'mon'), '2026-10-10', 'thu');
    expect(more.makeUpDays).toEqual([
      { date: '2026-09-27', follows: 'mon' },
      { date: '2026-10-10', follows: 'thu' },
    ]);
    const holidays = addRange(calendar, 'holidays', { start: '2026-01-01', end: '2026-01-03' }).holidays;
    expect(holidays.map((h) => h.start)).toEqual(['2026-01-01', '2026-10-01']);
    expect(removeEntry(more, 'makeUpDays', 0).makeUpDays).toEqual([{ date: '2026-10-10', follows: 'thu' }]);
    expect(calendar.makeUpDays).toHaveLength(1); // edits never change the calendar they start from
  });

  it('knows weekdays of calendar dates, fills missing lists, and offers each region once', () => {
    expect(weekdayOf('2026-10-10')).toBe('sat');
    expect(weekdayOf('2026-10-12')).toBe('mon');
    expect(weekdayOf('2027-03-28')).toBe('sun'); // a DST Sunday in Europe: dates carry no zone
    expect(normalizeCalendar({ region: 'x', terms: [{ start: '2026-09-01', end: '2026-09-02' }] })).toEqual({
      region: 'x',
      terms: [{ start: '2026-09-01', end: '2026-09-02' }],
      holidays: [],
      makeUpDays: [],
    });
    expect(regionChoices(['shanghai', 'beijing'], ['shanghai', 'wuhan'])).toEqual(['beijing', 'shanghai', 'wuhan']);
  });
});

describe('overrides model', () => {
  const timetables = {
    term: {
      fri: [
        { id: 's2', start: '09:00', kind: 'lesson' },
        { id: 's1', start: '08:00', kind: 'lesson' },
      ],
    },
    holiday: {
      fri: [{ id: 's1', start: '08:00', kind: 'lesson' }],
      sat: [{ id: 'h1', start: '10:00', kind: 'filler' }],
    },
  };

  it('offers the slots of the date’s weekday across timetables, by time', () => {
    expect(slotChoices(timetables, '2026-12-04')).toEqual([
      { id: 's1', start: '08:00', kind: 'lesson', timetables: ['term', 'holiday'] },
      { id: 's2', start: '09:00', kind: 'lesson', timetables: ['term'] },
    ]);
    expect(slotChoices(timetables, '2026-12-05').map((s) => s.id)).toEqual(['h1']);
    expect(slotChoices(timetables, '')).toEqual([]);
  });

  it('makes the API body of an insert and of a replace', () => {
    const insert = overrideBody({
      channel: 'g4',
      date: '2026-12-07',
      action: 'insert',
      start: '07:45',
      content: { kind: 'filler', asset: 'flag' },
      titleZh: ' 升旗仪式 ',
      titleEn: '',
    });
    expect(insert).toEqual({
      id: 'g4-20261207-0745',
      channel: 'g4',
      date: '2026-12-07',
      action: 'insert',
      with: { id: 'g4-20261207-0745-p', start: '07:45', kind: 'programme', asset: 'flag', title: { zh: '升旗仪式' } },
    });
    const replace = overrideBody({
      channel: 'g4',
      date: '2026-12-07',
      action: 'replace',
      slot: 's2',
      start: '09:00',
      content: { kind: 'lesson', lesson: 'g3-math-u1-l2' },
    });
    expect(replace).toMatchObject({ action: 'replace', slot: 's2', with: { lesson: 'g3-math-u1-l2', start: '09:00' } });
    expect(replace.with).not.toHaveProperty('title');
  });

  it('names what the form still lacks, and sorts overrides by airing', () => {
    const form = {
      channel: 'g4',
      date: '',
      action: 'replace' as const,
      start: '9:00',
      content: { kind: 'lesson' as const, lesson: '' },
    };
    expect(formGaps(form)).toEqual(['date', 'start', 'slot', 'content']);
    const list = [
      { id: 'b', date: '2026-12-07', with: { start: '09:00' } },
      { id: 'a', date: '2026-12-07', with: { start: '07:45' } },
      { id: 'c', date: '2026-12-06', with: { start: '10:00' } },
    ];
    expect(byAiring(list).map((o) => o.id)).toEqual(['c', 'a', 'b']);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
  });
});

describe('catalog model', () => {
  const volume = (
    grade: number,
    subject: string,
    edition: string,
    v: number,
    lessons: number,
    failed = 0,
  ): VolumeLike => ({
    grade,
    subject,
    subjectName: { zh: subject },
    edition,
    editionName: { zh: edition },
    volume: v,
    volumeName: { zh: `v${v}` },
    lessons,
    packaged: lessons - failed,
    failed,
  });
  const volumes = [
    volume(3, 'chinese', 'tongbian', 1, 10),
    volume(3, 'math', 'pep', 1, 8, 2),
    volume(3, 'math', 'pep', 2, 6),
    volume(4, 'math', 'pep', 1, 5),
  ];

  it('offers each level of the tree given the levels above, with counts', () => {
    const none = courseChoices(volumes, {});
    expect(none.grades.map((g) => [g.key, g.lessons, g.failed])).toEqual([
      [3, 24, 2],
      [4, 5, 0],
    ]);
    expect(none.subjects).toEqual([]);
    const math3 = courseChoices(volumes, { grade: 3, subject: 'math', edition: 'pep' });
    expect(math3.subjects.map((s) => s.key)).toEqual(['chinese', 'math']);
    expect(math3.volumes.map((v) => [v.key, v.name?.zh, v.lessons])).toEqual([
      [1, 'v1', 8],
      [2, 'v2', 6],
    ]);
  });

  it('forgets the levels below the one chosen', () => {
    const full = { grade: 3, subject: 'math', edition: 'pep', volume: 2 };
    expect(chooseLevel(full, 'grade', 4)).toEqual({ grade: 4 });
    expect(chooseLevel(full, 'edition', 'bsd')).toEqual({ grade: 3, subject: 'math', edition: 'bsd' });
    expect(chooseLevel(full, 'subject', undefined)).toEqual({ grade: 3 });
  });

  it('groups consecutive lessons by unit', () => {
    const lesson = (id: string, unit: number, volumeNo = 1) => ({
      id,
      grade: 3,
      subject: 'math',
      edition: 'pep',
      volume: volumeNo,
      unit,
      unitTitleZh: `单元${unit}`,
    });
    const groups = groupByUnit([lesson('a', 1), lesson('b', 1), lesson('c', 2), lesson('d', 1, 2)]);
    expect(groups.map((g) => [g.unit, g.volume, g.lessons.map((l) => l.id)])).toEqual([
      [1, 1, ['a', 'b']],
      [2, 1, ['c']],
      [1, 2, ['d']],
    ]);
    expect(groups[0]!.title).toEqual({ zh: '单元1' });
  });

  it('lists import problems by line and field, and names the upload', () => {
    expect(
      problemRows([
        { where: 'x.csv:14', field: 'grade', reason: 'too big' },
        { where: 'x.csv:3', field: 'subject', reason: 'unknown' },
        { where: 'x.csv', reason: 'missing column' },
        { where: 'x.csv:3', field: 'edition', reason: 'bad' },
      ]),
    ).toEqual([
      { line: 0, field: '', reason: 'missing column' },
      { line: 3, field: 'edition', reason: 'bad' },
      { line: 3, field: 'subject', reason: 'unknown' },
      { line: 14, field: 'grade', reason: 'too big' },
    ]);
    expect(importRequest('三年级 lessons.CSV')).toEqual({ contentType: 'text/csv', name: '_lessons.CSV' });
    expect(importRequest('g3.json')).toEqual({ contentType: 'application/json', name: 'g3.json' });
  });
});

import { describe, expect, it } from 'vitest';
import { InputError, type Problem } from '../../scheduler/errors.ts';
import type { Channel } from '../../scheduler/schedule/channel-document.ts';
import { parseJsonText } from '../../scheduler/json-document.ts';
import {
  formatPath,
  validateChannelDocument,
  type ExistingChannels,
} from '../../scheduler/schedule/document-validation.ts';
import { weeklySubjectSequence } from '../../scheduler/sample/sample-calendar.ts';
import { sampleChannelDocument } from '../helpers/sample-channels.ts';

/** A small valid document, as JSON (what a file holds), rebuilt fresh for each mutation. */
function goodDocument(): any {
  const day = [
    { id: 'l1', start: '08:00', kind: 'lesson', subject: 'chinese' },
    { id: 'eyes', start: '08:25', kind: 'filler', asset: 'filler-eye-exercises' },
    { id: 'l2', start: '08:30', kind: 'lesson', subject: 'math' },
    { id: 'r1', start: '14:00', kind: 'rerun', of: 'l1' },
    { id: 'loop', start: '15:00', kind: 'rerun-loop' },
    { id: 'night', start: '01:00', kind: 'off-air' },
  ];
  return {
    channels: [
      {
        id: 'g3',
        number: 3,
        name: { zh: '空中课堂 三年级', en: 'Aerial Classroom Grade 3' },
        grades: [3],
        regions: ['shanghai'],
        courses: [
          { subject: 'chinese', edition: 'tongbian', grade: 3 },
          { subject: 'math', edition: 'pep', grade: 3 },
        ],
        timetables: {
          term: { mon: day, tue: day, sat: [{ id: 'wk', start: '06:00', kind: 'rerun', of: 'l1', daysAgo: 5 }] },
          holiday: { mon: [{ id: 'loop', start: '06:00', kind: 'rerun-loop', daysAgo: 1 }] },
          suspension: { mon: day },
        },
      },
      {
        id: 'g4',
        number: 4,
        name: { zh: '空中课堂 四年级' },
        grades: [4],
        timetables: { term: {}, holiday: {}, suspension: {} },
      },
    ],
    calendars: [
      {
        region: 'shanghai',
        terms: [{ start: '2026-09-01', end: '2027-01-22' }],
        holidays: [{ start: '2026-10-01', end: '2026-10-07' }],
        makeUpDays: [{ date: '2026-10-10', follows: 'fri' }],
      },
    ],
    suspensions: [{ id: 'flu', from: '2026-11-02', to: '2026-11-06', channels: ['g3'], notice: { zh: '停课不停学' } }],
    overrides: [
      {
        id: 'flag',
        channel: 'g3',
        date: '2026-11-09',
        action: 'replace',
        slot: 'l1',
        with: { id: 'flag', start: '08:00', kind: 'programme', asset: 'flag-raising' },
      },
      {
        id: 'psa',
        channel: 'g3',
        date: '2026-11-10',
        action: 'insert',
        with: { id: 'psa', start: '12:00', kind: 'filler', asset: 'psa-handwashing' },
      },
    ],
  };
}

function problemsOf(doc: unknown, existing?: ExistingChannels): Problem[] {
  try {
    validateChannelDocument(doc, existing, 'channels.json');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems;
  }
  throw new Error('expected the document to be rejected');
}

function expectProblem(doc: unknown, field: string, reason: RegExp, existing?: { channels: Channel[] }): void {
  const problems = problemsOf(doc, existing);
  expect(problems, JSON.stringify(problems)).toContainEqual(
    expect.objectContaining({ where: 'channels.json', field, reason: expect.stringMatching(reason) }),
  );
}

describe('channel document validation', () => {
  it('accepts a good document and applies the schema defaults', () => {
    const doc = validateChannelDocument(goodDocument());
    expect(doc.channels.map((c) => c.id)).toEqual(['g3', 'g4']);
    expect(doc.channels[0]!.timezone).toBe('Asia/Shanghai');
    expect(doc.channels[0]!.dayStart).toBe('06:00');
    const rerun = doc.channels[0]!.timetables.term!.mon![3]!;
    expect(rerun).toMatchObject({ kind: 'rerun', daysAgo: 0 });
  });

  it('formats zod paths the way a person reads them', () => {
    expect(formatPath(['channels', 2, 'timetables', 'term', 'mon', 3, 'start'])).toBe(
      'channels[2].timetables.term.mon[3].start',
    );
  });

  it('maps schema errors to their JSON path, all of them at once', () => {
    const doc = goodDocument();
    doc.channels[0].timetables.term.mon[2].start = '8:30';
    doc.channels[1].number = 'four';
    const problems = problemsOf(doc);
    expect(problems.map((p) => p.field)).toEqual(
      expect.arrayContaining(['channels[0].timetables.term.mon[2].start', 'channels[1].number']),
    );
  });

  it('reports an unknown slot kind at the slot', () => {
    const doc = goodDocument();
    doc.channels[0].timetables.term.mon[1].kind = 'advert';
    expectProblem(doc, 'channels[0].timetables.term.mon[1].kind', /./);
  });

  it('rejects unknown fields instead of silently dropping them', () => {
    const doc = goodDocument();
    doc.channels[0].dayStrat = '05:00';
    expectProblem(doc, 'channels[0].dayStrat', /unknown field/);
  });

  it('rejects duplicate channel ids and numbers, also against stored channels', () => {
    const doc = goodDocument();
    doc.channels[1].id = 'g3';
    expectProblem(doc, 'channels[1].id', /already used by channels\[0\]/);
    const doc2 = goodDocument();
    doc2.channels[1].number = 3;
    expectProblem(doc2, 'channels[1].number', /already used by channels\[0\]/);
    const stored = validateChannelDocument(goodDocument()).channels.map((c) => ({
      ...c,
      id: `old-${c.id}`,
      number: c.number + 10,
    }));
    stored[0]!.number = 4;
    expectProblem(goodDocument(), 'channels[1].number', /stored channel 'old-g3'/, { channels: stored });
    // The same id keeps its own number: re-importing a channel is not a clash.
    expect(() =>
      validateChannelDocument(goodDocument(), { channels: validateChannelDocument(goodDocument()).channels }),
    ).not.toThrow();
  });

  it('requires the term, holiday and suspension timetables', () => {
    const doc = goodDocument();
    delete doc.channels[1].timetables.suspension;
    expectProblem(doc, 'channels[1].timetables', /missing the 'suspension' timetable/);
  });

  it('rejects duplicate slot ids within a timetable day', () => {
    const doc = goodDocument();
    doc.channels[0].timetables.term.mon = doc.channels[0].timetables.term.mon.map((s: any) => ({ ...s }));
    doc.channels[0].timetables.term.mon[2].id = 'l1';
    expectProblem(doc, 'channels[0].timetables.term.mon[2].id', /already used by/);
  });

  it('rejects slots out of order or overlapping, counting the small hours after dayStart', () => {
    const doc = goodDocument();
    doc.channels[0].timetables.term.tue = doc.channels[0].timetables.term.tue.map((s: any) => ({ ...s }));
    doc.channels[0].timetables.term.tue[2].start = '08:25';
    expectProblem(doc, 'channels[0].timetables.term.tue[2].start', /not after the previous slot's start 08:25/);
    // 01:00 after 15:00 is fine (it is the next morning, before the 06:00 day start), 05:00 then 07:00 is not.
    const doc2 = goodDocument();
    doc2.channels[0].timetables.holiday.tue = [
      { id: 'a', start: '05:00', kind: 'off-air' },
      { id: 'b', start: '07:00', kind: 'off-air' },
    ];
    expectProblem(doc2, 'channels[0].timetables.holiday.tue[1].start', /not after/);
  });

  it('checks rerun targets: an earlier lesson slot the same day, a lesson slot for days ago', () => {
    const doc = goodDocument();
    const mon = doc.channels[0].timetables.term.mon.map((s: any) => ({ ...s }));
    mon[3] = { id: 'r1', start: '14:00', kind: 'rerun', of: 'eyes' };
    doc.channels[0].timetables.term.mon = mon;
    expectProblem(doc, 'channels[0].timetables.term.mon[3].of', /filler slot, not a lesson slot/);
    const doc2 = goodDocument();
    doc2.channels[0].timetables.suspension.mon = [
      { id: 'r0', start: '07:00', kind: 'rerun', of: 'l1' },
      { id: 'l1', start: '08:00', kind: 'lesson', subject: 'chinese' },
    ];
    expectProblem(doc2, 'channels[0].timetables.suspension.mon[0].of', /not an earlier slot of the same day/);
    const doc3 = goodDocument();
    doc3.channels[0].timetables.term.sat[0].of = 'nowhere';
    expectProblem(doc3, 'channels[0].timetables.term.sat[0].of', /not a lesson slot of any timetable/);
  });

  it('requires a course for every lesson slot subject', () => {
    const doc = goodDocument();
    doc.channels[0].timetables.suspension.mon = [{ id: 'x', start: '08:00', kind: 'lesson', subject: 'physics' }];
    expectProblem(doc, 'channels[0].timetables.suspension.mon[0].subject', /'physics' has no course/);
  });

  it('rejects an invalid time zone', () => {
    const doc = goodDocument();
    doc.channels[1].timezone = 'Asia/Shangai';
    expectProblem(doc, 'channels[1].timezone', /not a valid IANA time zone/);
  });

  it('rejects an invalid day start', () => {
    const doc = goodDocument();
    doc.channels[1].dayStart = '25:00';
    expectProblem(doc, 'channels[1].dayStart', /HH:MM/);
  });

  it('rejects unreal dates and reversed or oversized ranges', () => {
    const doc = goodDocument();
    doc.calendars[0].terms[0].end = '2027-02-30';
    expectProblem(doc, 'calendars[0].terms[0].end', /not a real calendar date/);
    const doc2 = goodDocument();
    doc2.calendars[0].holidays[0] = { start: '2026-10-07', end: '2026-10-01' };
    expectProblem(doc2, 'calendars[0].holidays[0].end', /before start/);
    const doc3 = goodDocument();
    doc3.suspensions[0].to = '2026-11-01';
    expectProblem(doc3, 'suspensions[0].to', /before from/);
    const doc4 = goodDocument();
    doc4.calendars[0].terms[0].end = '2028-01-22';
    expectProblem(doc4, 'calendars[0].terms[0]', /spans more than 366 days/);
    const doc5 = goodDocument();
    doc5.calendars[0].terms.push({ start: '2027-01-10', end: '2027-06-30' });
    expectProblem(doc5, 'calendars[0].terms[1]', /overlaps terms\[0\]/);
  });

  it('requires make-up days to be a Saturday or Sunday outside holidays', () => {
    const doc = goodDocument();
    doc.calendars[0].makeUpDays[0].date = '2026-10-09';
    expectProblem(doc, 'calendars[0].makeUpDays[0].date', /is a fri; a make-up workday is a Saturday or Sunday/);
    const doc2 = goodDocument();
    doc2.calendars[0].makeUpDays[0].date = '2026-10-03';
    expectProblem(doc2, 'calendars[0].makeUpDays[0].date', /inside the holiday/);
  });

  it('requires suspension and override channels to exist (in the document or stored)', () => {
    const doc = goodDocument();
    doc.suspensions[0].channels = ['g9'];
    expectProblem(doc, 'suspensions[0].channels[0]', /unknown channel 'g9'/);
    const doc2 = goodDocument();
    doc2.overrides[1].channel = 'g9';
    expectProblem(doc2, 'overrides[1].channel', /unknown channel 'g9'/);
    const stored = validateChannelDocument(goodDocument()).channels.map((c) => ({ ...c, id: 'g9', number: 9 }));
    expect(() => validateChannelDocument(doc2, { channels: stored.slice(0, 1) })).not.toThrow();
  });

  it('requires the slot an override replaces to exist on that weekday', () => {
    const doc = goodDocument();
    doc.overrides[0].slot = 'l7';
    expectProblem(doc, 'overrides[0].slot', /no slot 'l7' on mon \(2026-11-09\)/);
    const doc2 = goodDocument();
    doc2.overrides[0].date = '2026-11-11'; // a Wednesday: no timetable has slots then
    expectProblem(doc2, 'overrides[0].slot', /no slot 'l1' on wed/);
  });

  it('requires an off-air card to be an asset in the catalog, naming the slot; no card stays valid', () => {
    const catalog = new Set(['card-night']);
    const existing = { channels: [], assetExists: (id: string) => catalog.has(id) };
    const doc = goodDocument();
    doc.channels[0].timetables.term.mon[5].card = 'card-night';
    expect(validateChannelDocument(doc, existing).channels[0]!.timetables.term!.mon![5]).toMatchObject({
      kind: 'off-air',
      card: 'card-night',
    });
    doc.channels[0].timetables.term.mon[5].card = 'card-nite';
    doc.overrides[1].with = { id: 'psa', start: '12:00', kind: 'off-air', card: 'card-lunch' };
    const problems = problemsOf(doc, existing);
    expect(problems).toContainEqual(
      expect.objectContaining({
        field: 'channels[0].timetables.term.mon[5].card',
        reason: expect.stringMatching(/^card 'card-nite' is not an asset in the catalog/),
      }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({ field: 'overrides[1].with.card', reason: expect.stringMatching(/'card-lunch'/) }),
    );
    // The old shape (no card) is unchanged: the slot airs the channel's slate.
    expect(validateChannelDocument(goodDocument(), existing).channels[0]!.timetables.term!.mon![5]).toEqual({
      id: 'night',
      start: '01:00',
      kind: 'off-air',
    });
  });

  it('collects every problem of a document, not just the first', () => {
    const doc = goodDocument();
    doc.channels[1].timezone = 'Mars/Olympus';
    doc.calendars[0].makeUpDays[0].date = '2026-10-09';
    doc.overrides[0].slot = 'l7';
    expect(problemsOf(doc).map((p) => p.field)).toEqual([
      'channels[1].timezone',
      'calendars[0].makeUpDays[0].date',
      'overrides[0].slot',
    ]);
  });

  it('reports JSON syntax errors with line and column', () => {
    const text = '{\n  "channels": [\n    { "id": "g1", }\n  ]\n}\n';
    try {
      parseJsonText(text, 'bad.json');
      throw new Error('expected a syntax error');
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      const [problem] = (error as InputError).problems;
      expect(problem!.where).toBe('bad.json:3:19');
      expect(problem!.reason).toMatch(/invalid JSON/);
    }
    expect(() => parseJsonText('{"channels": [', 'cut.json')).toThrow(/cut\.json:1:/);
  });
});

describe('sample channel document', () => {
  const courses = [1, 3, 8, 11].flatMap((grade) =>
    ['chinese', 'math', 'english', 'morality', 'politics', 'science', 'physics', 'pe']
      .filter(
        (s) => !(grade < 3 && s === 'english') && !(grade > 9 && s === 'morality') && !(grade <= 9 && s === 'politics'),
      )
      .map((subject) => ({ subject, edition: 'pep', grade, volume: 1 })),
  );

  it('is a valid document of 12 grade channels for short demo lessons and for real 30 min lessons', () => {
    for (const lessonSeconds of [30, 90, 1800]) {
      const doc = validateChannelDocument(sampleChannelDocument({ courses, lessonSeconds }));
      expect(doc.channels.map((c) => c.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      expect(doc.channels[2]!.name).toEqual({ zh: '空中课堂 三年级', en: 'Aerial Classroom Grade 3' });
      expect(doc.calendars[0]!.region).toBe('shanghai');
    }
    expect(() => sampleChannelDocument({ courses, lessonSeconds: 3600 })).toThrow(/use shorter lessons/);
  });

  it('places the first runs back to back after the 08:00 ident, one lesson length plus a margin apart', () => {
    const doc = sampleChannelDocument({ courses, lessonSeconds: 60 });
    const mon = doc.channels[2]!.timetables.term!.mon!;
    const lessons = mon.filter((s) => s.kind === 'lesson');
    expect(lessons).toHaveLength(6);
    expect(lessons.map((s) => s.start)).toEqual(['08:02', '08:04', '08:08', '08:10', '08:14', '08:16']);
    expect(mon.filter((s) => s.kind === 'filler').map((s) => (s as { asset: string }).asset)).toEqual([
      'filler-ident',
      'filler-eye-exercises',
      'filler-calisthenics',
      'filler-ident',
    ]);
    expect(mon.some((s) => s.kind === 'rerun')).toBe(true);
    expect(doc.channels[0]!.timetables.term!.tue!.filter((s) => s.kind === 'lesson')).toHaveLength(5);
    expect(doc.channels[2]!.timetables.suspension!.mon!.filter((s) => s.kind === 'lesson')).toHaveLength(8);
  });

  it('takes the ladder and the number of first runs a day from the options', () => {
    const doc = validateChannelDocument(
      sampleChannelDocument({ courses, lessonSeconds: 45, ladder: 'sample', firstRunsPerDay: 3 }),
    );
    expect(doc.channels.every((c) => c.ladder === 'sample')).toBe(true);
    expect(doc.channels[7]!.timetables.term!.fri!.filter((s) => s.kind === 'lesson')).toHaveLength(3);
    expect(doc.channels[7]!.timetables.suspension!.fri!.filter((s) => s.kind === 'lesson')).toHaveLength(5);
  });

  it('follows the weekly mix: Chinese most, every subject of the grade present', () => {
    const week = weeklySubjectSequence(
      3,
      ['chinese', 'math', 'english', 'science', 'music', 'art', 'pe', 'morality'],
      30,
    );
    const count = (s: string) => week.filter((x) => x === s).length;
    expect(count('chinese')).toBeGreaterThan(count('math'));
    expect(count('math')).toBeGreaterThan(count('english'));
    for (const s of ['chinese', 'math', 'english', 'science', 'music', 'art', 'pe', 'morality'])
      expect(count(s)).toBeGreaterThan(0);
  });
});

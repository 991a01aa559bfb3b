/**
 * A bad-input corpus over every mutating admin route: wrong types, missing fields, unknown ids,
 * overlapping slots, invalid time zones, impossible or out-of-range dates, malformed JSON and CSV,
 * oversized bodies, wrong content types. Each answer is a 4xx with a message (a 400 names every bad
 * field), never a 5xx, and the database file is byte-identical afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../scheduler/clock.ts';
import { startAdminWorld, testChannel, type AdminWorld } from './admin-fixtures.ts';

const NOW = Date.parse('2026-11-23T00:00:10Z');
let world: AdminWorld;
let baseline: Buffer;
let baselineDump: string;

interface BadCase {
  name: string;
  method: string;
  path: string;
  role?: 'admin' | 'editor';
  body?: unknown;
  raw?: string | Buffer;
  contentType?: string;
  status: number;
  /** Fields the problems must name (400 only). */
  fields?: string[];
}

const channel = (patch: Record<string, unknown>) => ({ ...testChannel('t9', 9), ...patch });
const NOTICE = { zh: '停课' };
const CSV_HEADER = 'id,grade,subject,edition,volume,unit,unitTitleZh,lesson,titleZh,source';
const slot = (id: string, start: string) => ({ id, start, kind: 'programme', asset: 'lesson-a' });

const CASES: BadCase[] = [
  // Channels (admin).
  {
    name: 'channel: number of the wrong type',
    method: 'PUT',
    path: '/api/admin/channels/t9',
    role: 'admin',
    body: channel({ number: 'nine' }),
    status: 400,
    fields: ['number'],
  },
  {
    name: 'channel: missing fields',
    method: 'PUT',
    path: '/api/admin/channels/t9',
    role: 'admin',
    body: {},
    status: 400,
    fields: ['number', 'name', 'grades', 'timetables'],
  },
  {
    name: 'channel: invalid time zone',
    method: 'PUT',
    path: '/api/admin/channels/t9',
    role: 'admin',
    body: channel({ timezone: 'Mars/Olympus_Mons' }),
    status: 400,
    fields: ['timezone'],
  },
  {
    name: 'channel: overlapping slots',
    method: 'PUT',
    path: '/api/admin/channels/t9',
    role: 'admin',
    body: channel({
      timetables: { ...testChannel('t9', 9).timetables, term: { mon: [slot('a', '09:00'), slot('b', '08:30')] } },
    }),
    status: 400,
    fields: ['timetables.term.mon[1].start'],
  },
  {
    name: 'channel: number taken by another channel',
    method: 'PUT',
    path: '/api/admin/channels/t9',
    role: 'admin',
    body: channel({ number: 1 }),
    status: 400,
    fields: ['number'],
  },
  {
    name: 'channel: unknown field',
    method: 'PUT',
    path: '/api/admin/channels/t9',
    role: 'admin',
    body: channel({ dayStrat: '06:00' }),
    status: 400,
    fields: ['dayStrat'],
  },
  {
    name: 'channel: id differs from the URL',
    method: 'PUT',
    path: '/api/admin/channels/t9',
    role: 'admin',
    body: channel({ id: 't8' }),
    status: 400,
    fields: ['id'],
  },
  {
    name: 'channel: id not allowed in URL',
    method: 'PUT',
    path: '/api/admin/channels/T%20X',
    role: 'admin',
    body: { ...testChannel('x', 9), id: undefined },
    status: 400,
    fields: ['id'],
  },
  {
    name: 'channel: day start out of range',
    method: 'PUT',
    path: '/api/admin/channels/t9',
    role: 'admin',
    body: channel({ dayStart: '24:30' }),
    status: 400,
    fields: ['dayStart'],
  },
  {
    name: 'channel: malformed JSON',
    method: 'PUT',
    path: '/api/admin/channels/t9',
    role: 'admin',
    raw: '{"id": "t9", "number": ',
    status: 400,
    fields: ['(body)'],
  },
  {
    name: 'channel: JSON array body',
    method: 'PUT',
    path: '/api/admin/channels/t9',
    role: 'admin',
    body: [1, 2],
    status: 400,
    fields: ['(body)'],
  },
  {
    name: 'channel: empty body',
    method: 'PUT',
    path: '/api/admin/channels/t9',
    role: 'admin',
    raw: '',
    status: 400,
    fields: ['(body)'],
  },
  {
    name: 'channel: oversized body',
    method: 'PUT',
    path: '/api/admin/channels/t9',
    role: 'admin',
    raw: `{"pad": "${'x'.repeat(1_100_000)}"}`,
    status: 413,
  },
  {
    name: 'channel: not JSON content type',
    method: 'PUT',
    path: '/api/admin/channels/t9',
    role: 'admin',
    raw: 'id=t9',
    contentType: 'application/x-www-form-urlencoded',
    status: 415,
  },
  { name: 'channel: delete unknown', method: 'DELETE', path: '/api/admin/channels/nope', role: 'admin', status: 404 },
  {
    name: 'channel: delete a published channel',
    method: 'DELETE',
    path: '/api/admin/channels/t1',
    role: 'admin',
    status: 409,
  },
  // Timetables.
  {
    name: 'timetable: array body',
    method: 'PUT',
    path: '/api/admin/channels/t1/timetables/term',
    body: [slot('a', '09:00')],
    status: 400,
    fields: ['(body)'],
  },
  {
    name: 'timetable: unknown slot kind',
    method: 'PUT',
    path: '/api/admin/channels/t1/timetables/term',
    body: { mon: [{ id: 'a', start: '09:00', kind: 'party' }] },
    status: 400,
    fields: ['mon[0].kind'],
  },
  {
    name: 'timetable: impossible time',
    method: 'PUT',
    path: '/api/admin/channels/t1/timetables/term',
    body: { mon: [slot('a', '25:00')] },
    status: 400,
    fields: ['mon[0].start'],
  },
  {
    name: 'timetable: unknown weekday',
    method: 'PUT',
    path: '/api/admin/channels/t1/timetables/term',
    body: { funday: [slot('a', '09:00')] },
    status: 400,
    fields: ['funday'],
  },
  {
    name: 'timetable: duplicate slot ids',
    method: 'PUT',
    path: '/api/admin/channels/t1/timetables/term',
    body: { mon: [slot('a', '09:00'), slot('a', '10:00')] },
    status: 400,
    fields: ['mon[1].id'],
  },
  {
    name: 'timetable: unknown channel',
    method: 'PUT',
    path: '/api/admin/channels/nope/timetables/term',
    body: { mon: [] },
    status: 404,
  },
  {
    name: 'timetable: bad name',
    method: 'PUT',
    path: '/api/admin/channels/t1/timetables/Exam%20Week',
    body: { mon: [] },
    status: 400,
    fields: ['name'],
  },
  {
    name: 'timetable: delete a required one',
    method: 'DELETE',
    path: '/api/admin/channels/t1/timetables/term',
    status: 400,
    fields: ['name'],
  },
  { name: 'timetable: delete unknown', method: 'DELETE', path: '/api/admin/channels/t1/timetables/nope', status: 404 },
  // Calendars.
  {
    name: 'calendar: impossible date',
    method: 'PUT',
    path: '/api/admin/calendars/east',
    body: { terms: [{ start: '2026-02-30', end: '2026-06-30' }] },
    status: 400,
    fields: ['terms[0].start'],
  },
  {
    name: 'calendar: end before start',
    method: 'PUT',
    path: '/api/admin/calendars/east',
    body: { terms: [{ start: '2026-09-01', end: '2026-08-01' }] },
    status: 400,
    fields: ['terms[0].end'],
  },
  {
    name: 'calendar: term longer than a year',
    method: 'PUT',
    path: '/api/admin/calendars/east',
    body: { terms: [{ start: '2026-09-01', end: '2028-08-01' }] },
    status: 400,
    fields: ['terms[0]'],
  },
  {
    name: 'calendar: make-up day on a weekday',
    method: 'PUT',
    path: '/api/admin/calendars/east',
    body: { makeUpDays: [{ date: '2026-11-23', follows: 'fri' }] },
    status: 400,
    fields: ['makeUpDays[0].date'],
  },
  {
    name: 'calendar: region differs from the URL',
    method: 'PUT',
    path: '/api/admin/calendars/east',
    body: { region: 'west' },
    status: 400,
    fields: ['region'],
  },
  {
    name: 'calendar: terms of the wrong type',
    method: 'PUT',
    path: '/api/admin/calendars/east',
    body: { terms: 'autumn' },
    status: 400,
    fields: ['terms'],
  },
  { name: 'calendar: delete unknown', method: 'DELETE', path: '/api/admin/calendars/nowhere', status: 404 },
  // Overrides.
  {
    name: 'override: unknown channel',
    method: 'POST',
    path: '/api/admin/overrides',
    body: { id: 'o1', channel: 'nope', date: '2026-11-30', action: 'insert', with: slot('f', '07:00') },
    status: 400,
    fields: ['channel'],
  },
  {
    name: 'override: impossible date',
    method: 'POST',
    path: '/api/admin/overrides',
    body: { id: 'o1', channel: 't1', date: '2026-13-01', action: 'insert', with: slot('f', '07:00') },
    status: 400,
    fields: ['date'],
  },
  {
    name: 'override: missing action',
    method: 'POST',
    path: '/api/admin/overrides',
    body: { id: 'o1', channel: 't1', date: '2026-11-30', with: slot('f', '07:00') },
    status: 400,
    fields: ['action'],
  },
  {
    name: 'override: replaces an unknown slot',
    method: 'PUT',
    path: '/api/admin/overrides/o2',
    body: { channel: 't1', date: '2026-11-30', action: 'replace', slot: 'zz', with: slot('f', '08:00') },
    status: 400,
    fields: ['slot'],
  },
  { name: 'override: delete unknown', method: 'DELETE', path: '/api/admin/overrides/nope', status: 404 },
  // Suspension orders.
  {
    name: 'suspension: to before from',
    method: 'POST',
    path: '/api/admin/suspensions',
    body: { from: '2026-11-25', to: '2026-11-24', regions: ['east'], notice: NOTICE },
    status: 400,
    fields: ['to'],
  },
  {
    name: 'suspension: dates out of range',
    method: 'POST',
    path: '/api/admin/suspensions',
    body: { from: '2026-11-24', to: '2028-11-24', regions: ['east'], notice: NOTICE },
    status: 400,
    fields: ['(body)'],
  },
  {
    name: 'suspension: impossible date',
    method: 'POST',
    path: '/api/admin/suspensions',
    body: { from: '2026-11-31', to: '2026-12-01', regions: ['east'], notice: NOTICE },
    status: 400,
    fields: ['from'],
  },
  {
    name: 'suspension: missing notice',
    method: 'POST',
    path: '/api/admin/suspensions',
    body: { from: '2026-11-24', to: '2026-11-24', regions: ['east'] },
    status: 400,
    fields: ['notice'],
  },
  {
    name: 'suspension: unknown channel',
    method: 'POST',
    path: '/api/admin/suspensions',
    body: { from: '2026-11-24', to: '2026-11-24', channels: ['nope'], notice: NOTICE },
    status: 400,
    fields: ['channels[0]'],
  },
  {
    name: 'suspension: channels of the wrong type',
    method: 'POST',
    path: '/api/admin/suspensions',
    body: { from: '2026-11-24', to: '2026-11-24', channels: 't1', notice: NOTICE },
    status: 400,
    fields: ['channels'],
  },
  {
    name: 'suspension: names nobody',
    method: 'POST',
    path: '/api/admin/suspensions',
    body: { from: '2026-11-24', to: '2026-11-24', notice: NOTICE },
    status: 400,
    fields: ['(body)'],
  },
  {
    name: 'suspension: change unknown',
    method: 'PUT',
    path: '/api/admin/suspensions/nope',
    body: { from: '2026-11-24', to: '2026-11-24', regions: ['east'], notice: NOTICE },
    status: 404,
  },
  { name: 'suspension: lift unknown', method: 'DELETE', path: '/api/admin/suspensions/nope', status: 404 },
  // Catalog import.
  {
    name: 'catalog: malformed CSV (open quote)',
    method: 'POST',
    path: '/api/admin/catalog/import',
    raw: `${CSV_HEADER}\ng3-a,3,math,pep,1,1,"unit,1,t,\n`,
    contentType: 'text/csv',
    status: 400,
  },
  {
    name: 'catalog: bad grade',
    method: 'POST',
    path: '/api/admin/catalog/import',
    raw: `${CSV_HEADER}\ng3-a,13,math,pep,1,1,单元,1,标题,\n`,
    contentType: 'text/csv',
    status: 400,
    fields: ['grade'],
  },
  {
    name: 'catalog: relative source',
    method: 'POST',
    path: '/api/admin/catalog/import',
    raw: `${CSV_HEADER}\ng3-a,3,math,pep,1,1,单元,1,标题,media/a.mp4\n`,
    contentType: 'text/csv',
    status: 400,
    fields: ['source'],
  },
  {
    name: 'catalog: one bad row spoils the file',
    method: 'POST',
    path: '/api/admin/catalog/import',
    raw: `${CSV_HEADER}\ng3-a,3,math,pep,1,1,单元,1,标题,\ng3-b,3,math,pep,1,1,单元,x,标题,\n`,
    contentType: 'text/csv',
    status: 400,
    fields: ['lesson'],
  },
  {
    name: 'catalog: malformed JSON',
    method: 'POST',
    path: '/api/admin/catalog/import',
    raw: '{"lessons": [',
    contentType: 'application/json',
    status: 400,
  },
  {
    name: 'catalog: empty',
    method: 'POST',
    path: '/api/admin/catalog/import',
    raw: '',
    contentType: 'text/csv',
    status: 400,
  },
  {
    name: 'catalog: oversized',
    method: 'POST',
    path: '/api/admin/catalog/import',
    raw: Buffer.alloc(10 * 1024 * 1024 + 10, 'a'),
    contentType: 'text/csv',
    status: 413,
  },
  {
    name: 'catalog: wrong content type',
    method: 'POST',
    path: '/api/admin/catalog/import',
    raw: 'x',
    contentType: 'application/pdf',
    status: 415,
  },
  {
    name: 'catalog: bad label',
    method: 'POST',
    path: '/api/admin/catalog/import?name=../../etc/passwd',
    raw: `${CSV_HEADER}\n`,
    contentType: 'text/csv',
    status: 400,
    fields: ['name'],
  },
  // Packaging jobs.
  {
    name: 'packaging: unknown lesson',
    method: 'POST',
    path: '/api/admin/packaging-jobs',
    body: { lessonId: 'nope', source: '/etc/hostname' },
    status: 400,
    fields: ['lessonId'],
  },
  {
    name: 'packaging: lesson id of the wrong type',
    method: 'POST',
    path: '/api/admin/packaging-jobs',
    body: { lessonId: 5 },
    status: 400,
    fields: ['lessonId'],
  },
  {
    name: 'packaging: relative source and unknown ladder',
    method: 'POST',
    path: '/api/admin/packaging-jobs',
    body: { lessonId: 'l1', source: 'a.mp4', ladder: '4k' },
    status: 400,
    fields: ['source', 'ladder'],
  },
  {
    name: 'packaging: missing source file',
    method: 'POST',
    path: '/api/admin/packaging-jobs',
    body: { lessonId: 'l1', source: '/nonexistent/a.mp4' },
    status: 400,
    fields: ['source'],
  },
  {
    name: 'packaging: negative poster offset',
    method: 'POST',
    path: '/api/admin/packaging-jobs',
    body: { lessonId: 'l1', source: '/etc/hostname', posterAt: '-3s' },
    status: 400,
    fields: ['posterAt'],
  },
  {
    name: 'packaging: poster offset beyond the lesson',
    method: 'POST',
    path: '/api/admin/packaging-jobs',
    body: { lessonId: 'l1', source: '/etc/hostname', posterAt: '150%' },
    status: 400,
    fields: ['posterAt'],
  },
  { name: 'packaging: cancel unknown', method: 'POST', path: '/api/admin/packaging-jobs/999/cancel', status: 404 },
  { name: 'packaging: cancel non-numeric', method: 'POST', path: '/api/admin/packaging-jobs/abc/cancel', status: 404 },
  // Previews.
  {
    name: 'preview: unknown channel',
    method: 'POST',
    path: '/api/admin/previews',
    body: { channels: ['nope'], from: '2026-11-24' },
    status: 400,
    fields: ['channels[0]'],
  },
  {
    name: 'preview: days out of range',
    method: 'POST',
    path: '/api/admin/previews',
    body: { from: '2026-11-24', days: 0 },
    status: 400,
    fields: ['days'],
  },
  {
    name: 'preview: days of the wrong type',
    method: 'POST',
    path: '/api/admin/previews',
    body: { from: '2026-11-24', days: 'two' },
    status: 400,
    fields: ['days'],
  },
  {
    name: 'preview: impossible date',
    method: 'POST',
    path: '/api/admin/previews',
    body: { from: '2026-02-31' },
    status: 400,
    fields: ['from'],
  },
  {
    name: 'preview: before an epoch that is on air',
    method: 'POST',
    path: '/api/admin/previews',
    body: { channels: ['t1'], from: '2026-11-01' },
    status: 400,
    fields: ['from'],
  },
  {
    name: 'preview: unknown field',
    method: 'POST',
    path: '/api/admin/previews',
    body: { from: '2026-11-24', publish: true },
    status: 400,
    fields: ['publish'],
  },
  { name: 'preview: publish unknown', method: 'POST', path: '/api/admin/previews/pv-nope/publish', status: 404 },
  // Tokens.
  {
    name: 'token: unknown role',
    method: 'POST',
    path: '/api/admin/tokens',
    role: 'admin',
    body: { name: 'x', role: 'root' },
    status: 400,
    fields: ['role'],
  },
  {
    name: 'token: empty name',
    method: 'POST',
    path: '/api/admin/tokens',
    role: 'admin',
    body: { name: '', role: 'editor' },
    status: 400,
    fields: ['name'],
  },
  {
    name: 'token: unknown field',
    method: 'POST',
    path: '/api/admin/tokens',
    role: 'admin',
    body: { name: 'x', role: 'editor', scope: 'all' },
    status: 400,
    fields: ['scope'],
  },
  {
    name: 'token: name taken',
    method: 'POST',
    path: '/api/admin/tokens',
    role: 'admin',
    body: { name: 'root', role: 'editor' },
    status: 400,
    fields: ['name'],
  },
  { name: 'token: revoke unknown', method: 'DELETE', path: '/api/admin/tokens/nobody', role: 'admin', status: 404 },
];

beforeAll(async () => {
  world = await startAdminWorld(fixedClock(NOW), {
    publishFrom: '2026-11-22',
    publishDays: 3,
    publishAtMs: NOW - 86_400_000,
  });
  world.data.db
    .prepare(
      "INSERT INTO lessons (id, grade, subject, edition, volume, unit, unit_title_zh, lesson, title_zh) VALUES ('l1', 3, 'math', 'pep', 1, 1, '单元', 1, '课')",
    )
    .run();
  baselineDump = world.dump();
  baseline = world.bytes();
});
afterAll(async () => {
  await world?.close();
});

describe('bad input on every mutating admin route', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const token = c.role === 'admin' ? world.tokens.admin : world.tokens.editor;
    const res = await world.call(c.method, c.path, {
      token,
      ...(c.body !== undefined ? { body: c.body } : {}),
      ...(c.raw !== undefined ? { raw: c.raw, ...(c.contentType ? { contentType: c.contentType } : {}) } : {}),
    });
    expect({ status: res.status, text: res.status === c.status ? '' : res.text.slice(0, 400) }).toEqual({
      status: c.status,
      text: '',
    });
    expect(res.json.error.length).toBeGreaterThan(5);
    if (c.status === 400) {
      const fields = (res.json.problems as Array<{ field?: string; reason: string }>).map((p) => p.field);
      expect(res.json.problems.length).toBeGreaterThan(0);
      for (const p of res.json.problems) expect(p.reason.length).toBeGreaterThan(3);
      if (c.fields) expect(fields).toEqual(expect.arrayContaining(c.fields));
      else expect(res.json.problems.every((p: { field?: string; where?: string }) => p.field || p.where)).toBe(true);
    }
    expect(world.bytes().equals(baseline)).toBe(true);
  });

  it('left every table as it was', () => {
    expect(world.dump()).toBe(baselineDump);
  });
});

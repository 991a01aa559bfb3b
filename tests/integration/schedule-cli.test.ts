import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listChannels } from '../../scheduler/schedule/channels-repository.ts';
import { publishedDates, snapshotVersions } from '../helpers/snapshot-history.ts';
import { runAerialCli, type CliRun } from '../helpers/run-cli.ts';
import { sampleChannelDocument } from '../helpers/sample-channels.ts';
import { coursesFor, seedCatalog, tempDataDir, type TempDataDir } from './schedule-data-dir-fixtures.ts';

let t: TempDataDir;

function aerial(...args: string[]): Promise<CliRun> {
  return runAerialCli(['--data', t.dir, ...args]);
}

function sampleDocument(): any {
  const courses = coursesFor([3, 4]);
  const doc = sampleChannelDocument({ courses, lessonSeconds: 603, fillerSeconds: 60 });
  doc.channels = doc.channels.filter((c) => c.number === 3 || c.number === 4);
  return JSON.parse(JSON.stringify(doc));
}

beforeEach(() => {
  t = tempDataDir();
  seedCatalog(t.db, { courses: coursesFor([3, 4]), lessonsPerCourse: 40, lessonMs: 600_000, fillerMs: 60_000 });
});
afterEach(() => t.close());

describe('aerial channels import / list', () => {
  it('imports a good document and lists its channels; a second import updates by id', async () => {
    const file = t.writeJson('channels.json', sampleDocument());
    const first = await aerial('channels', 'import', file);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/channels 2 added, 0 updated; calendars 1 added, 0 updated/);
    const again = await aerial('channels', 'import', file);
    expect(again.stdout).toMatch(/channels 0 added, 2 updated; calendars 0 added, 1 updated/);
    const list = await aerial('channels', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/3 {2}g3 +空中课堂 三年级 \/ Aerial Classroom Grade 3 {2}Asia\/Shanghai/);
    expect(list.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('lets two stored channels swap numbers in one document', async () => {
    await aerial('channels', 'import', t.writeJson('channels.json', sampleDocument()));
    const swapped = sampleDocument();
    swapped.channels[0].number = 4;
    swapped.channels[1].number = 3;
    expect((await aerial('channels', 'import', t.writeJson('swap.json', swapped))).code).toBe(0);
    expect(listChannels(t.db).map((c) => `${c.number}:${c.id}`)).toEqual(['3:g4', '4:g3']);
  });

  const badDocuments: [string, (doc: any) => void, RegExp][] = [
    [
      'a schema error',
      (d) => (d.channels[0].timetables.term.mon[2].start = '8:02'),
      /channels\.json channels\[0\]\.timetables\.term\.mon\[2\]\.start: local time HH:MM/,
    ],
    [
      'a duplicate channel number',
      (d) => (d.channels[1].number = 3),
      /channels\[1\]\.number: channel number 3 is already used by channels\[0\]/,
    ],
    [
      'an overlapping slot',
      (d) => (d.channels[1].timetables.term.tue[3].start = '08:00'),
      /channels\[1\]\.timetables\.term\.tue\[3\]\.start: 08:00 is not after/,
    ],
    [
      'a missing timetable',
      (d) => delete d.channels[0].timetables.holiday,
      /channels\[0\]\.timetables: missing the 'holiday' timetable/,
    ],
    [
      'an invalid time zone',
      (d) => (d.channels[0].timezone = 'Europe/Shanghai'),
      /channels\[0\]\.timezone: 'Europe\/Shanghai' is not a valid IANA time zone/,
    ],
    [
      'a rerun of a filler',
      (d) => (d.channels[0].timetables.term.wed.find((s: any) => s.id === 'e1').of = 'ident'),
      /channels\[0\]\.timetables\.term\.wed\[\d+\]\.of: 'ident' is a filler slot/,
    ],
    [
      'a subject without a course',
      (d) => (d.channels[0].courses = d.channels[0].courses.filter((c: any) => c.subject !== 'math')),
      /subject 'math' has no course on channel 'g3'/,
    ],
    [
      'an unreal date',
      (d) => (d.calendars[0].terms[0].end = '2027-01-32'),
      /calendars\[0\]\.terms\[0\]\.end: '2027-01-32' is not a real calendar date/,
    ],
    [
      'a weekday make-up day',
      (d) => (d.calendars[0].makeUpDays[0].date = '2026-09-21'),
      /makeUpDays\[0\]\.date: 2026-09-21 is a mon/,
    ],
    [
      'a suspension of an unknown channel',
      (d) =>
        d.suspensions.push({
          id: 'flu',
          from: '2026-12-01',
          to: '2026-12-04',
          channels: ['g7'],
          notice: { zh: '停课' },
        }),
      /suspensions\[0\]\.channels\[0\]: unknown channel 'g7'/,
    ],
    [
      'an override of a missing slot',
      (d) =>
        d.overrides.push({
          id: 'o',
          channel: 'g3',
          date: '2026-12-01',
          action: 'replace',
          slot: 'l9',
          with: { id: 'o', start: '08:02', kind: 'off-air' },
        }),
      /overrides\[0\]\.slot: channel 'g3' has no slot 'l9'/,
    ],
  ];

  it.each(badDocuments)(
    'rejects a document with %s: exit 2, the field named, the database byte-identical',
    async (_what, spoil, message) => {
      await aerial('channels', 'import', t.writeJson('channels.json', sampleDocument()));
      const before = t.bytes();
      const doc = sampleDocument();
      doc.channels[0].name.zh = '改过的名字'; // a good change alongside the bad one must not land either
      spoil(doc);
      const result = await aerial('channels', 'import', t.writeJson('channels.json', doc));
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
      expect(t.bytes().equals(before)).toBe(true);
      expect(listChannels(t.db)[0]!.name.zh).toBe('空中课堂 三年级');
    },
  );

  it('reports a JSON syntax error with file, line and column, and changes nothing', async () => {
    const before = t.bytes();
    const text = JSON.stringify(sampleDocument(), null, 2).replace('"number": 4,', '"number": 4,,');
    const result = await aerial('channels', 'import', t.writeText('broken.json', text));
    const line = text.split('\n').findIndex((l) => l.includes('"number": 4,,')) + 1;
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`broken\\.json:${line}:\\d+: invalid JSON`));
    expect(t.bytes().equals(before)).toBe(true);
  });

  it('build --all with no channels imported is exit 2', async () => {
    const result = await aerial('build', '--all', '--from', '2026-11-23', '--days', '1');
    expect(result).toMatchObject({ code: 2, stderr: expect.stringMatching(/--all: no channels imported/) });
  });

  it('exit 2 for a missing file or argument', async () => {
    expect((await aerial('channels', 'import', `${t.dir}/nope.json`)).stderr).toMatch(
      /nope\.json: cannot read: ENOENT/,
    );
    expect((await aerial('channels', 'import')).code).toBe(2);
  });
});

describe('aerial build', () => {
  beforeEach(async () => {
    expect((await aerial('channels', 'import', t.writeJson('channels.json', sampleDocument()))).code).toBe(0);
  });

  it('without --publish is a dry run: it prints the report and writes nothing', async () => {
    const before = t.bytes();
    const result = await aerial(
      'build',
      '--channel',
      'g3',
      '--from',
      '2026-11-23',
      '--days',
      '2',
      '--now',
      '2026-11-20T00:00:00Z',
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^g3 2026-11-23 term +would publish v1: \d+ items, 6 first runs, 1 warnings; 11-23 06:00:00 → 11-24 06:00:\d\d/m,
    );
    expect(result.stdout).toMatch(/^ {4}rerun-missing \(slot morning-reruns\): /m);
    expect(result.stdout).toMatch(
      /2 channel-days: 2 to publish, 0 unchanged, 0 already aired — dry run, nothing written/,
    );
    expect(t.bytes().equals(before)).toBe(true);
  });

  it('--publish writes versions; --all covers every channel; publishing again changes nothing', async () => {
    const published = await aerial(
      'build',
      '--all',
      '--from',
      '2026-11-23',
      '--days',
      '2',
      '--publish',
      '--now',
      '2026-11-20T00:00:00Z',
    );
    expect(published.code).toBe(0);
    expect(published.stdout).toMatch(/4 channel-days: 4 published, 0 unchanged, 0 already aired; 4 versions written/);
    expect(publishedDates(t.db, 'g4', '2026-11-01', '2026-11-30')).toEqual(['2026-11-23', '2026-11-24']);
    const again = await aerial(
      'build',
      '--channel',
      'g4',
      '--from',
      '2026-11-23',
      '--days',
      '2',
      '--publish',
      '--now',
      '2026-11-23T12:00:00+08:00',
    );
    expect(again.stdout).toMatch(/^g4 2026-11-23 term +unchanged v1: .*kept \(before now \+ guard\)/m);
    expect(again.stdout).toMatch(/0 versions written/);
    expect(snapshotVersions(t.db, 'g4', '2026-11-23')).toHaveLength(1);
  });

  const badArguments: [string[], RegExp][] = [
    [['--channel', 'g9', '--from', '2026-11-23', '--days', '1'], /--channel: unknown channel 'g9' \(known: g3, g4\)/],
    [['--channel', 'g3', '--from', '2026-11-31', '--days', '1'], /--from: '2026-11-31' is not a real date/],
    [['--channel', 'g3', '--from', '23/11/2026', '--days', '1'], /--from: '23\/11\/2026' is not a real date/],
    [['--channel', 'g3', '--from', '2026-11-23', '--days', '0'], /--days: '0' is not a whole number 1..400/],
    [['--channel', 'g3', '--from', '2026-11-23', '--days', '401'], /--days: '401' is not a whole number 1..400/],
    [['--from', '2026-11-23', '--days', '1'], /--channel ID or --all is required/],
    [['--channel', 'g3', '--all', '--from', '2026-11-23', '--days', '1'], /--channel and --all exclude each other/],
    [['--channel', 'g3', '--days', '1'], /--from YYYY-MM-DD is required/],
    [
      ['--channel', 'g3', '--from', '2026-11-23', '--days', '1', '--now', 'yesterday'],
      /--now: 'yesterday' is not an ISO instant/,
    ],
    [['--channel', 'g3', '--from', '2026-11-23', '--days', '1', '--colour'], /Unknown option '--colour'/],
  ];

  it.each(badArguments)('aerial build %j → exit 2 naming the argument', async (args, message) => {
    const before = t.bytes();
    const result = await aerial('build', ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(t.bytes().equals(before)).toBe(true);
  });
});

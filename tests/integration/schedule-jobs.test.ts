import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalogView } from '../../scheduler/catalog/catalog-view.ts';
import { broadcastDateAt } from '../../scheduler/schedule/broadcast-date.ts';
import { importChannelDocument } from '../../scheduler/schedule/channels-repository.ts';
import { createScheduleJobs } from '../../scheduler/schedule/jobs.ts';
import { publishDays } from '../../scheduler/schedule/publish.ts';
import { publishedDates, snapshotVersions } from '../helpers/snapshot-history.ts';
import { sampleChannelDocument } from '../helpers/sample-channels.ts';
import { coursesFor, seedCatalog, tempDataDir, type TempDataDir } from './schedule-data-dir-fixtures.ts';

const GRADES = [3, 4, 5];
const at = (local: string) => Date.parse(`${local}+08:00`);

let t: TempDataDir;
let logLines: Record<string, unknown>[];

function logger() {
  logLines = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  return pino({ level: 'info' }, sink);
}

beforeEach(() => {
  t = tempDataDir();
  const courses = coursesFor(GRADES);
  // 10 min lessons keep days short to build.
  seedCatalog(t.db, { courses, lessonsPerCourse: 60, lessonMs: 600_000, fillerMs: 60_000 });
  const doc = sampleChannelDocument({ courses, lessonSeconds: 603, fillerSeconds: 60 });
  doc.channels = doc.channels.filter((c) => GRADES.includes(c.number));
  importChannelDocument(t.db, JSON.parse(JSON.stringify(doc)));
});
afterEach(() => t.close());

describe('schedule jobs', () => {
  it('"today" is the broadcast date containing now: before the local day start it is still yesterday', () => {
    expect(broadcastDateAt(at('2026-11-24T05:59:59'), 'Asia/Shanghai', '06:00')).toBe('2026-11-23');
    expect(broadcastDateAt(at('2026-11-24T06:00:00'), 'Asia/Shanghai', '06:00')).toBe('2026-11-24');
    // 02:00 in Shanghai is 18:00 UTC the day before; the nightly run at 02:00 belongs to yesterday's broadcast day.
    expect(broadcastDateAt(Date.parse('2026-11-23T18:00:00Z'), 'Asia/Shanghai', '06:00')).toBe('2026-11-23');
  });

  it('catch-up on startup publishes exactly the missing days of the horizon', () => {
    const nowMs = at('2026-11-24T09:00:00');
    // Before the outage: g3 published through Wednesday, g4 never, g5 through the whole horizon.
    publishDays({
      db: t.db,
      catalog: loadCatalogView(t.db),
      channelId: 'g3',
      fromDate: '2026-11-23',
      days: 3,
      nowMs: at('2026-11-22T12:00:00'),
    });
    publishDays({
      db: t.db,
      catalog: loadCatalogView(t.db),
      channelId: 'g5',
      fromDate: '2026-11-24',
      days: 7,
      nowMs: at('2026-11-22T12:00:00'),
    });

    const jobs = createScheduleJobs({
      db: t.db,
      loadCatalog: () => loadCatalogView(t.db),
      logger: logger(),
      clock: () => nowMs,
      horizonDays: 7,
    });
    const report = jobs.catchUp();

    expect(
      report.channels.map((c) => ({
        id: c.channelId,
        ok: c.ok,
        written: c.ok && 'report' in c ? c.report.written : 0,
      })),
    ).toEqual([
      { id: 'g3', ok: true, written: 5 },
      { id: 'g4', ok: true, written: 7 },
      { id: 'g5', ok: true, written: 0 },
    ]);
    expect(publishedDates(t.db, 'g3', '2026-11-01', '2026-12-31')).toEqual([
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
      '2026-11-30',
    ]);
    expect(publishedDates(t.db, 'g4', '2026-11-01', '2026-12-31')).toEqual([
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
      '2026-11-30',
    ]);
    // Days that were there were not rebuilt.
    for (const date of ['2026-11-23', '2026-11-24', '2026-11-25'])
      expect(snapshotVersions(t.db, 'g3', date)).toHaveLength(1);
    expect(snapshotVersions(t.db, 'g5', '2026-11-24')).toHaveLength(1);
    // A second catch-up finds nothing missing.
    expect(jobs.catchUp().channels.every((c) => c.ok && c.days === 0)).toBe(true);
  });

  it('a failing channel is logged with its reason and does not stop the others', () => {
    const broken = sampleChannelDocument({ courses: coursesFor([4]), lessonSeconds: 603, fillerSeconds: 60 })
      .channels[3]!;
    importChannelDocument(t.db, { channels: [{ ...broken, slate: 'slate-never-packaged' }] });
    const nowMs = at('2026-11-24T01:00:00');
    const jobs = createScheduleJobs({
      db: t.db,
      loadCatalog: () => loadCatalogView(t.db),
      logger: logger(),
      clock: () => nowMs,
      horizonDays: 2,
    });
    const report = jobs.runNightly();

    const byId = Object.fromEntries(report.channels.map((c) => [c.channelId, c]));
    expect(byId.g3!.ok).toBe(true);
    expect(byId.g5!.ok).toBe(true);
    expect(byId.g4).toMatchObject({ ok: false, reason: expect.stringMatching(/slate-never-packaged/) });
    // Nightly at 01:00 local: the broadcast day still airing is the 23rd.
    expect(publishedDates(t.db, 'g3', '2026-11-01', '2026-12-31')).toEqual(['2026-11-23', '2026-11-24']);
    expect(publishedDates(t.db, 'g4', '2026-11-01', '2026-12-31')).toEqual([]);
    const failure = logLines.find((l) => l.level === 50);
    expect(failure).toMatchObject({
      job: 'nightly',
      channel: 'g4',
      msg: expect.stringMatching(/g4 failed: .*slate-never-packaged/),
    });
    expect(logLines.filter((l) => l.level === 30 && l.job === 'nightly').map((l) => l.channel)).toEqual(['g3', 'g5']);
  });

  it('the nightly run republishes the horizon: unchanged days are not rewritten, the airing day keeps its aired part', () => {
    const jobs = createScheduleJobs({
      db: t.db,
      loadCatalog: () => loadCatalogView(t.db),
      logger: logger(),
      clock: () => at('2026-11-24T02:00:00'),
      horizonDays: 3,
    });
    expect(jobs.runNightly().channels.every((c) => c.ok)).toBe(true);
    const second = jobs.runNightly();
    for (const c of second.channels) {
      expect(c.ok && 'report' in c && c.report.written).toBe(0);
    }
  });

  it('schedules one cron task per distinct channel time zone, and stops them', () => {
    const ny = sampleChannelDocument({ courses: coursesFor([6]), lessonSeconds: 603, fillerSeconds: 60 }).channels[5]!;
    importChannelDocument(t.db, { channels: [{ ...ny, id: 'ny6', number: 60, timezone: 'America/New_York' }] });
    const jobs = createScheduleJobs({
      db: t.db,
      loadCatalog: () => loadCatalogView(t.db),
      logger: logger(),
      nightlyAt: '02:30',
    });
    jobs.start();
    try {
      expect(jobs.scheduledTimezones()).toEqual(['America/New_York', 'Asia/Shanghai']);
      jobs.start(); // idempotent
      expect(jobs.scheduledTimezones()).toHaveLength(2);
      expect(logLines.filter((l) => l.cron === '30 2 * * *')).toHaveLength(2);
    } finally {
      jobs.stop();
    }
    expect(jobs.scheduledTimezones()).toEqual([]);
    expect(() =>
      createScheduleJobs({ db: t.db, loadCatalog: () => loadCatalogView(t.db), logger: logger(), nightlyAt: '2am' }),
    ).toThrow(/HH:MM/);
  });
});

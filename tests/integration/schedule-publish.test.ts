import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DaySnapshot } from '../../playlists/model.ts';
import { loadCatalogView } from '../../scheduler/catalog/catalog-view.ts';
import { InputError } from '../../scheduler/errors.ts';
import { addDays } from '../../scheduler/schedule/broadcast-date.ts';
import { importChannelDocument } from '../../scheduler/schedule/channels-repository.ts';
import { publishAllChannels, publishDays } from '../../scheduler/schedule/publish.ts';
import { latestSnapshot, publishedDateRange } from '../../scheduler/schedule/snapshots-repository.ts';
import { publishedDaysOverlapping, snapshotVersion, snapshotVersions } from '../helpers/snapshot-history.ts';
import { sampleChannelDocument } from '../helpers/sample-channels.ts';
import { coursesFor, seedCatalog, tempDataDir, type TempDataDir } from './schedule-data-dir-fixtures.ts';

const GRADES = [3, 4];
const FIRST_DAY = '2026-11-23'; // a Monday in the autumn term
const BEFORE_ALL = Date.parse('2026-11-20T00:00:00Z');
const at = (local: string) => Date.parse(`${local}+08:00`);

let t: TempDataDir;

function setUp(lessonSeconds = 300): void {
  t = tempDataDir();
  const courses = coursesFor(GRADES);
  seedCatalog(t.db, { courses, lessonsPerCourse: 60, lessonMs: lessonSeconds * 1000, fillerMs: 60_000 });
  const doc = sampleChannelDocument({ courses, lessonSeconds: lessonSeconds + 3, fillerSeconds: 60 });
  doc.channels = doc.channels.filter((c) => GRADES.includes(c.number));
  importChannelDocument(t.db, JSON.parse(JSON.stringify(doc)));
}

function publish(channelId: string, fromDate: string, days: number, nowMs: number) {
  return publishDays({ db: t.db, catalog: loadCatalogView(t.db), channelId, fromDate, days, nowMs });
}

function chain(channelId: string, from: string, days: number): DaySnapshot[] {
  return Array.from({ length: days }, (_, i) => latestSnapshot(t.db, channelId, addDays(from, i))!);
}

function expectContinuous(days: DaySnapshot[]): void {
  for (let i = 1; i < days.length; i++) {
    const [prev, day] = [days[i - 1]!, days[i]!];
    expect(day.startMs, `${day.date} starts where ${prev.date} ends`).toBe(prev.endMs);
    expect(day.mediaSequenceStart).toBe(prev.endState.mediaSequence);
    expect(day.discontinuitySequenceStart).toBe(prev.endState.discontinuitySequence);
    expect(day.items[0]!.startMs).toBe(day.startMs);
  }
  for (const day of days) {
    for (let i = 1; i < day.items.length; i++) {
      const [a, b] = [day.items[i - 1]!, day.items[i]!];
      expect(b.startMs).toBe(a.startMs + a.durationMs);
      expect(b.mediaSequence).toBe(a.mediaSequence + a.segmentCount);
      expect(b.discontinuitySequence).toBe(a.discontinuitySequence + 1);
    }
  }
}

beforeEach(() => setUp());
afterEach(() => t.close());

describe('publish', () => {
  it('publishes 7 continuous days as version 1 from the channel epoch, and a rerun of the same call writes nothing', () => {
    const report = publish('g3', FIRST_DAY, 7, BEFORE_ALL);
    expect(report.written).toBe(7);
    expect(report.days.map((d) => [d.date, d.outcome, d.version])).toEqual(
      Array.from({ length: 7 }, (_, i) => [addDays(FIRST_DAY, i), 'new-version', 1]),
    );
    const days = chain('g3', FIRST_DAY, 7);
    expect(days[0]!.mediaSequenceStart).toBe(0); // the epoch
    expect(days[0]!.startMs).toBe(at('2026-11-23T06:00:00'));
    expectContinuous(days);
    expect(report.days[0]!.firstRuns).toBe(6);
    expect(days[5]!.items.filter((i) => i.kind === 'lesson')).toHaveLength(0); // Saturday: reruns of the week
    expect(days[5]!.items.filter((i) => i.kind === 'rerun').length).toBeGreaterThan(0);

    const again = publish('g3', FIRST_DAY, 7, BEFORE_ALL);
    expect(again.written).toBe(0);
    expect(again.days.every((d) => d.outcome === 'unchanged' && d.version === 1)).toBe(true);
    expect(snapshotVersions(t.db, 'g3', FIRST_DAY)).toHaveLength(1);
  });

  it('republishes mid-day: items before now + guard stay byte-identical, the rest changes, later days follow continuously', () => {
    publish('g3', FIRST_DAY, 7, BEFORE_ALL);
    const before = chain('g3', FIRST_DAY, 7);
    // An operator inserts a public-health message into Tuesday afternoon, while Tuesday is on air.
    importChannelDocument(t.db, {
      overrides: [
        {
          id: 'psa',
          channel: 'g3',
          date: '2026-11-24',
          action: 'insert',
          with: { id: 'psa', start: '15:00', kind: 'filler', asset: 'filler-calisthenics' },
        },
      ],
    });
    const nowMs = at('2026-11-24T10:17:30');
    const guardMs = 120_000;
    const report = publishDays({
      db: t.db,
      catalog: loadCatalogView(t.db),
      channelId: 'g3',
      fromDate: '2026-11-24',
      days: 1,
      nowMs,
      guardMs,
    });

    const tuesday = report.days.find((d) => d.date === '2026-11-24')!;
    expect(tuesday.outcome).toBe('new-version');
    expect(tuesday.version).toBe(2);
    expect(tuesday.previousVersion).toBe(1);
    const [v1, v2] = [snapshotVersion(t.db, 'g3', '2026-11-24', 1)!, snapshotVersion(t.db, 'g3', '2026-11-24', 2)!];
    const kept = v1.items.filter((i) => i.startMs < nowMs + guardMs);
    expect(kept.length).toBeGreaterThan(10);
    expect(tuesday.frozenItems).toBe(kept.length);
    // Byte-identical prefix, the airing item included.
    expect(JSON.stringify(v2.items.slice(0, kept.length))).toBe(JSON.stringify(kept));
    const airing = v1.items.find((i) => i.startMs <= nowMs && nowMs < i.startMs + i.durationMs)!;
    expect(v2.items).toContainEqual(airing);
    expect(v2.items.some((i) => i.slotId === 'psa')).toBe(true);
    expect(v1.items.some((i) => i.slotId === 'psa')).toBe(false);
    // Monday has aired: untouched and not even reported (it was not asked for and its successor's start did not move).
    expect(snapshotVersions(t.db, 'g3', FIRST_DAY)).toHaveLength(1);

    // The day ends differently (segments shifted), so every later published day got a new version built from it.
    const after = chain('g3', '2026-11-24', 6);
    expectContinuous([before[0]!, ...after]);
    expect(v2.endState.mediaSequence).not.toBe(v1.endState.mediaSequence);
    expect(report.days.filter((d) => !d.requested).map((d) => d.date)).toEqual([
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
    ]);
    for (const d of after.slice(1)) expect(d.version).toBe(2);
    // Sequence numbers only grow across all versions that aired.
    const airedSeq = [...before[0]!.items, ...v2.items].map((i) => i.mediaSequence);
    expect([...airedSeq].sort((a, b) => a - b)).toEqual(airedSeq);
  });

  it('never changes a day that has fully aired, even when asked to', () => {
    publish('g3', FIRST_DAY, 3, BEFORE_ALL);
    importChannelDocument(t.db, {
      overrides: [
        {
          id: 'late',
          channel: 'g3',
          date: FIRST_DAY,
          action: 'insert',
          with: { id: 'late', start: '15:00', kind: 'filler', asset: 'filler-ident' },
        },
      ],
    });
    const report = publish('g3', FIRST_DAY, 3, at('2026-11-24T06:30:00'));
    expect(report.days[0]).toMatchObject({ date: FIRST_DAY, outcome: 'aired', version: 1 });
    expect(snapshotVersions(t.db, 'g3', FIRST_DAY)).toHaveLength(1);
  });

  it('fills a gap in the chain in order instead of skipping it', () => {
    publish('g3', FIRST_DAY, 2, BEFORE_ALL);
    const report = publish('g3', '2026-11-28', 2, BEFORE_ALL);
    expect(report.days.map((d) => [d.date, d.requested])).toEqual([
      ['2026-11-25', false],
      ['2026-11-26', false],
      ['2026-11-27', false],
      ['2026-11-28', true],
      ['2026-11-29', true],
    ]);
    expect(publishedDateRange(t.db, 'g3')).toEqual({ first: FIRST_DAY, last: '2026-11-29' });
    expectContinuous(chain('g3', FIRST_DAY, 7));
  });

  it('moves the epoch earlier only while the channel is not on air yet', () => {
    publish('g3', FIRST_DAY, 2, BEFORE_ALL);
    const moved = publish('g3', '2026-11-20', 1, Date.parse('2026-11-19T00:00:00Z'));
    expect(moved.days.map((d) => d.date)).toEqual(['2026-11-20', '2026-11-21', '2026-11-22', FIRST_DAY, '2026-11-24']);
    expect(latestSnapshot(t.db, 'g3', '2026-11-20')!.mediaSequenceStart).toBe(0);
    expectContinuous(chain('g3', '2026-11-20', 5));
    expect(latestSnapshot(t.db, 'g3', FIRST_DAY)!.version).toBe(2);

    expect(() => publish('g3', '2026-11-10', 1, at('2026-11-20T12:00:00'))).toThrow(InputError);
    expect(() => publish('g3', '2026-11-10', 1, at('2026-11-20T12:00:00'))).toThrow(
      /before its first published day 2026-11-20 which is already on air/,
    );
  });

  it('a dry run reports what would be published and writes nothing', () => {
    const before = t.bytes();
    const report = publishDays({
      db: t.db,
      catalog: loadCatalogView(t.db),
      channelId: 'g3',
      fromDate: FIRST_DAY,
      days: 3,
      nowMs: BEFORE_ALL,
      dryRun: true,
    });
    expect(report.dryRun).toBe(true);
    expect(report.written).toBe(0);
    expect(report.days.map((d) => d.outcome)).toEqual(['new-version', 'new-version', 'new-version']);
    expect(t.bytes().equals(before)).toBe(true);
  });

  it("publishes every channel in one call and answers the origin's range query with the latest versions", () => {
    const report = publishAllChannels({
      db: t.db,
      catalog: loadCatalogView(t.db),
      fromDate: FIRST_DAY,
      days: 2,
      nowMs: BEFORE_ALL,
    });
    expect(report.days.map((d) => d.channelId)).toEqual(['g3', 'g3', 'g4', 'g4']);
    importChannelDocument(t.db, {
      overrides: [
        {
          id: 'x',
          channel: 'g4',
          date: '2026-11-24',
          action: 'insert',
          with: { id: 'x', start: '12:00', kind: 'filler', asset: 'filler-ident' },
        },
      ],
    });
    publish('g4', '2026-11-24', 1, BEFORE_ALL);
    const overlapping = publishedDaysOverlapping(t.db, 'g4', at('2026-11-24T05:00:00'), at('2026-11-24T07:00:00'));
    expect(overlapping.map((d) => [d.date, d.version])).toEqual([
      [FIRST_DAY, 1],
      ['2026-11-24', 2],
    ]);
    expect(publishedDaysOverlapping(t.db, 'g4', at('2026-11-25T07:00:00'), at('2026-11-25T08:00:00'))).toEqual([]);
  });

  it('rejects bad arguments naming them', () => {
    expect(() => publish('g3', '2026-02-30', 1, BEFORE_ALL)).toThrow(/--from: '2026-02-30' is not a real date/);
    expect(() => publish('g3', FIRST_DAY, 0, BEFORE_ALL)).toThrow(/--days: 0 is out of range 1..400/);
    expect(() => publish('g99', FIRST_DAY, 1, BEFORE_ALL)).toThrow(/unknown channel 'g99'/);
  });
});

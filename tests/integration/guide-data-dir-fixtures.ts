/**
 * Fixtures for the guide route tests: a real SQLite data directory with the sample's grade channels g3
 * (Asia/Shanghai, +0800) and g4 (moved to Europe/Berlin so its guide crosses the 2027-03-28 DST change),
 * 20-minute lessons, a class-suspension order for g3 in week 2027-W12, and days published through the
 * real catalog view, build and publish. No media is needed for the guide.
 */
import { loadCatalogView } from '../../scheduler/catalog/catalog-view.ts';
import { importChannelDocument } from '../../scheduler/schedule/channels-repository.ts';
import { publishDays } from '../../scheduler/schedule/publish.ts';
import { sampleChannelDocument } from '../helpers/sample-channels.ts';
import { coursesFor, seedCatalog, tempDataDir, type TempDataDir } from './schedule-data-dir-fixtures.ts';

export const GUIDE_GRADES = [3, 4];
/** Week 2027-W12: Monday 22 March – Sunday 28 March 2027 (spring term; Berlin springs forward on the 28th). */
export const GUIDE_WEEK = '2027-W12';
export const FIRST_PUBLISHED_DATE = '2027-03-21';
export const PUBLISHED_DAYS = 10;
/** "Now" of the tests: Wednesday 24 March 2027, 10:00 in Shanghai. */
export const NOW_MS = Date.parse('2027-03-24T10:00:00+08:00');
export const SUSPENSION_NOTICE = {
  zh: '3月25日至26日停课，请收看空中课堂',
  en: 'Schools closed 25–26 March: lessons on TV',
};
export const BERLIN = 'Europe/Berlin';

/**
 * The sample's first `channels` grade channels with 20-minute lessons (a real school day's density), published for
 * `days` broadcast days from FIRST_PUBLISHED_DATE.
 */
export function sampleGuideDataDir(channels: number, days: number): TempDataDir {
  const data = tempDataDir();
  const grades = Array.from({ length: channels }, (_, i) => i + 1);
  const courses = coursesFor(grades);
  seedCatalog(data.db, { courses, lessonsPerCourse: 40, lessonMs: 1_200_000, fillerMs: 300_000 });
  const document = sampleChannelDocument({ courses, lessonSeconds: 1203, fillerSeconds: 300 });
  document.channels = document.channels.filter((c) => grades.includes(c.number));
  importChannelDocument(data.db, JSON.parse(JSON.stringify(document)));
  publishAll(
    data,
    document.channels.map((c) => c.id),
    days,
  );
  return data;
}

function publishAll(data: TempDataDir, channelIds: readonly string[], days: number): void {
  const publishedAt = Date.parse('2027-03-01T00:00:00Z');
  const catalog = loadCatalogView(data.db);
  for (const channelId of channelIds) {
    publishDays({ db: data.db, catalog, channelId, fromDate: FIRST_PUBLISHED_DATE, days, nowMs: publishedAt });
  }
}

export function guideDataDir(): TempDataDir {
  const data = tempDataDir();
  const courses = coursesFor(GUIDE_GRADES);
  seedCatalog(data.db, { courses, lessonsPerCourse: 40, lessonMs: 1_200_000, fillerMs: 300_000 });
  const document = sampleChannelDocument({ courses, lessonSeconds: 1203, fillerSeconds: 300 });
  document.channels = document.channels.filter((c) => GUIDE_GRADES.includes(c.number));
  document.channels.find((c) => c.id === 'g4')!.timezone = BERLIN;
  document.suspensions = [
    {
      id: 'closure-0325',
      from: '2027-03-25',
      to: '2027-03-26',
      channels: ['g3'],
      regions: [],
      notice: SUSPENSION_NOTICE,
    },
  ];
  importChannelDocument(data.db, JSON.parse(JSON.stringify(document)));
  // Published well before "now", so every day is a fresh first version.
  const publishedAt = Date.parse('2027-03-01T00:00:00Z');
  for (const channelId of ['g3', 'g4']) {
    publishDays({
      db: data.db,
      catalog: loadCatalogView(data.db),
      channelId,
      fromDate: FIRST_PUBLISHED_DATE,
      days: PUBLISHED_DAYS,
      nowMs: publishedAt,
    });
  }
  return data;
}

/**
 * A demo-dense guide: the sample's channels (the first `channels` grades) with 12 s lessons and fillers, so
 * rerun carousels fill the day with thousands of programmes per channel (what `npm start` served before the
 * realistic sample), published for `days` broadcast days from FIRST_PUBLISHED_DATE. Every asset has the
 * test ladder's renditions, so the same data directory serves live playlists.
 */
export function denseGuideDataDir(channels: number, days: number): TempDataDir {
  const data = tempDataDir();
  const grades = Array.from({ length: channels }, (_, i) => i + 1);
  const courses = coursesFor(grades);
  seedCatalog(data.db, { courses, lessonsPerCourse: 20, lessonMs: 12_000, fillerMs: 12_000 });
  addTestRenditions(data.db);
  const document = sampleChannelDocument({ courses, lessonSeconds: 13, fillerSeconds: 12 });
  document.channels = document.channels.filter((c) => grades.includes(c.number));
  importChannelDocument(data.db, JSON.parse(JSON.stringify(document)));
  publishAll(
    data,
    document.channels.map((c) => c.id),
    days,
  );
  return data;
}

/** One video and one audio rendition per asset (seedCatalog records none), as the origin's live routes need. */
function addTestRenditions(db: TempDataDir['db']): void {
  const assets = db.prepare('SELECT id, segment_ms FROM assets').all() as { id: string; segment_ms: string }[];
  const insert = db.prepare(
    `INSERT INTO asset_renditions (asset_id, name, position, type, width, height, frame_rate, bandwidth, average_bandwidth, codecs, segment_durations)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const asset of assets) {
      const seconds = JSON.stringify((JSON.parse(asset.segment_ms) as number[]).map((ms) => ms / 1000));
      insert.run(asset.id, '720p', 0, 'video', 1280, 720, 25, 2_000_000, 1_500_000, 'avc1.4d401f,mp4a.40.2', seconds);
      insert.run(asset.id, 'audio', 1, 'audio', null, null, null, 70_000, 66_000, 'mp4a.40.2', seconds);
    }
  })();
}

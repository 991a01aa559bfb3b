import { readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { DaySnapshot } from '../../playlists/model.ts';
import type { Clock } from '../clock.ts';
import { packagedAssetIds, packagedLessonAssets } from '../media/asset-timelines-repository.ts';
import { createAssetTimelines, type AssetTimelines, type PackagedAssetMedia } from '../media/asset-timelines.ts';
import type { ObjectStore } from '../object-store/object-store.ts';
import { getLessons } from '../catalog/lessons-repository.ts';
import { toGuideLesson } from '../guide/guide-records.ts';
import type { GuideStore } from '../guide/guide-store.ts';
import type { Channel } from '../schedule/channel-document.ts';
import { listSuspensions } from '../schedule/channels-repository.ts';
import { onPublished } from '../schedule/publish.ts';
import {
  changeCounters,
  channelBody,
  channelIdsByNumber,
  daySnapshotBody,
  latestDayVersionsEndingAfter,
} from '../schedule/published-days-repository.ts';
import type { Db } from '../store/db.ts';
import {
  assetKey,
  channelManifestKey,
  dayKey,
  guideKey,
  guideLessonsKey,
  INDEX_KEY,
  lessonsKey,
  mediaKey,
  sha256,
  STORE_FORMAT,
  type ChannelManifest,
  type StoredGuide,
  type StoreIndex,
  type StoredDay,
} from './published-layout.ts';

/**
 * The control plane's side of the object store: it mirrors the published schedule of the database into the
 * store, in the order that lets a reader arrive at any moment (published-layout.ts): each asset's media, then
 * its timeline; the day versions; the lessons map; then the channel manifests; the index last.
 *
 * A sync reads the database in one synchronous step (a consistent view) and then writes what the store lacks:
 * it runs at start (so an existing data directory moves to a store without a rebuild), after every publish on
 * this connection, and whenever the database changed (another process published), looked at every `recheckMs`.
 * Syncs never overlap; one asked for while one runs follows it. Days that ended more than RETAIN_MS ago are
 * left out of the manifests (their objects stay: immutable, and cheap).
 */
export interface StorePublisher {
  /** Mirrors the database into the store now (or after the running sync) and says what it wrote. */
  sync(): Promise<SyncReport>;
  /** Syncs at once, then after publishes and database changes. */
  start(): void;
  /** Stops watching and waits for a running sync. */
  stop(): Promise<void>;
}

export interface SyncReport {
  days: number;
  assets: number;
  manifests: number;
}

export interface StorePublisherOptions {
  db: Db;
  store: ObjectStore;
  clock: Clock;
  logger: Logger;
  /** `<data>/media`: where packaging put the segments (uploaded unless the store's media prefix is this directory). */
  mediaDir: string;
  recheckMs?: number;
  /**
   * The control plane's guide store: its content states (fingerprints and when it first saw them) go to the store
   * with the suspensions and the lessons the days refer to, so that edges answer the guides byte for byte as it
   * does. Without it no guide object is published.
   */
  guide?: Pick<GuideStore, 'channelsState' | 'catalogState'>;
}

/**
 * Start-over reaches 24 h back: a day that ended more than two days ago is no live playlist's concern. Older days
 * are listed apart (`pastDays`), for the guides, which an edge reads on demand.
 */
export const RETAIN_MS = 48 * 3_600_000;
const DEFAULT_RECHECK_MS = 1_000;
const UPLOAD_CONCURRENCY = 8;

interface PlannedDay extends StoredDay {
  channelId: string;
  assetIds: string[];
  lessonIds: string[];
  /** Present when the object is not known to be written. */
  body?: string;
}

interface Known {
  days: Map<string, { key: string; assetIds: string[]; lessonIds: string[] }>;
  assets: Set<string>;
}

interface Plan {
  channels: Array<{ id: string; channel: Channel; days: PlannedDay[]; pastDays: PlannedDay[] }>;
  /** Assets the days use that are not known to be in the store. */
  assets: PackagedAssetMedia[];
  lessonsBody: string;
  guide?: { lessonsBody: string; body(lessonsKey: string): string };
}

/** Writes of small objects and manifests that skip what this process already wrote (the same bytes). */
function rememberedWrites(store: ObjectStore) {
  const written = new Map<string, string>();
  return {
    async putManifestIfChanged(key: string, body: string): Promise<boolean> {
      if (written.get(key) === body) return false;
      await store.putManifest(key, body);
      written.set(key, body);
      return true;
    },
    /** An immutable, content-addressed object: written once per process (the store refuses other bytes). */
    async putObjectOnce(key: string, body: string): Promise<string> {
      if (!written.has(key)) {
        await store.putImmutable(key, body);
        written.set(key, body);
      }
      return key;
    },
  };
}

export function createStorePublisher(options: StorePublisherOptions): StorePublisher {
  const { db, store, logger } = options;
  const assets = createAssetTimelines(db);
  /** What this process wrote or found: the store never forgets an immutable object. */
  const known: Known = { days: new Map(), assets: new Set() };
  const { putManifestIfChanged, putObjectOnce } = rememberedWrites(store);
  const uploadMedia = !sameDir(store.localRoot && join(store.localRoot, 'media'), options.mediaDir);
  let running: Promise<SyncReport> | undefined;
  let queued: Promise<SyncReport> | undefined;
  let unwatch: (() => void) | undefined;

  async function writeAsset(asset: PackagedAssetMedia): Promise<void> {
    const key = assetKey(asset.id);
    if (!(await store.head(key))) {
      if (uploadMedia) await uploadAssetMedia(store, options.mediaDir, asset.id);
      await store.putImmutable(key, JSON.stringify(asset));
    }
    known.assets.add(asset.id);
  }

  async function runSync(): Promise<SyncReport> {
    await outsideTransactions(db);
    const p = plan(db, options.clock(), known, assets, options.guide);
    const report: SyncReport = { days: 0, assets: p.assets.length, manifests: 0 };
    for (const asset of p.assets) await writeAsset(asset);
    const limit = pLimit(UPLOAD_CONCURRENCY);
    const days = p.channels.flatMap((c) => [...c.pastDays, ...c.days]).filter((d) => d.body !== undefined);
    await Promise.all(
      days.map((d) =>
        limit(async () => {
          if ((await store.putImmutable(d.key, d.body!)) === 'written') report.days++;
          const { key, assetIds, lessonIds } = d;
          known.days.set(`${d.channelId}/${d.date}@${d.version}`, { key, assetIds, lessonIds });
        }),
      ),
    );
    const lessons = await putObjectOnce(lessonsKey(p.lessonsBody), p.lessonsBody);
    let guide: string | undefined;
    if (p.guide) {
      const body = p.guide.body(await putObjectOnce(guideLessonsKey(p.guide.lessonsBody), p.guide.lessonsBody));
      guide = await putObjectOnce(guideKey(body), body);
    }
    const index: StoreIndex = { format: STORE_FORMAT, channels: [], lessons, ...(guide ? { guide } : {}) };
    for (const c of p.channels) {
      const manifest: ChannelManifest = { format: STORE_FORMAT, channel: c.channel, days: c.days.map(storedDay) };
      if (c.pastDays.length) manifest.pastDays = c.pastDays.map(storedDay);
      const body = JSON.stringify(manifest);
      if (await putManifestIfChanged(channelManifestKey(c.id), body)) report.manifests++;
      index.channels.push({ id: c.id, manifest: sha256(body) });
    }
    if (await putManifestIfChanged(INDEX_KEY, JSON.stringify(index))) report.manifests++;
    if (report.days || report.assets || report.manifests) logger.info({ store: store.url, ...report }, 'store synced');
    return report;
  }

  function sync(): Promise<SyncReport> {
    if (!running) {
      running = runSync().finally(() => (running = undefined));
      return running;
    }
    // One follow-up covers every request made while a sync runs.
    queued ??= running.catch(() => undefined).then(() => ((queued = undefined), sync()));
    return queued;
  }

  function syncLogged(): void {
    sync().catch((error: Error) => logger.error({ err: error, store: store.url }, 'store sync failed'));
  }

  return {
    sync,
    start() {
      unwatch = watchDatabase(db, options.recheckMs ?? DEFAULT_RECHECK_MS, syncLogged);
      syncLogged();
    },
    async stop() {
      unwatch?.();
      await Promise.allSettled([running, queued]);
    },
  };
}

function plan(
  db: Db,
  nowMs: number,
  known: Known,
  assets: AssetTimelines,
  guide: StorePublisherOptions['guide'],
): Plan {
  const versions = latestDayVersionsEndingAfter(db, Number.MIN_SAFE_INTEGER);
  const channels = channelIdsByNumber(db).map((id) => ({
    id,
    channel: JSON.parse(channelBody(db, id)!) as Channel,
    days: [] as PlannedDay[],
    pastDays: [] as PlannedDay[],
  }));
  const byId = new Map(channels.map((c) => [c.id, c]));
  const needed = new Set<string>();
  for (const v of versions) {
    const dayId = `${v.channelId}/${v.date}@${v.version}`;
    let day = known.days.get(dayId);
    let body: string | undefined;
    if (!day) {
      body = daySnapshotBody(db, v.channelId, v.date, v.version)!;
      const snapshot = JSON.parse(body) as DaySnapshot;
      day = {
        key: dayKey(v.channelId, body),
        assetIds: [...new Set(snapshot.items.map((i) => i.assetId))],
        lessonIds: [...new Set(snapshot.items.flatMap((i) => (i.lessonId ? [i.lessonId] : [])))],
      };
    }
    for (const id of day.assetIds) if (!known.assets.has(id)) needed.add(id);
    const { channelId, date, version, publishedAt, startMs, endMs } = v;
    const planned: PlannedDay = { channelId, date, version, publishedAt, startMs, endMs, ...day };
    if (body !== undefined) planned.body = body;
    const channel = byId.get(channelId);
    (endMs > nowMs - RETAIN_MS ? channel?.days : channel?.pastDays)?.push(planned);
  }
  // Every packaged asset, used yet or not: a publish that brings one on air (a suspension switch) then writes
  // only day versions and manifests, and lessons on demand (VOD) are served by edge origins too.
  for (const id of packagedAssetIds(db)) if (!known.assets.has(id)) needed.add(id);
  const lessons = packagedLessonAssets(db);
  const media = [...needed].sort().map((id) => {
    const found = assets.get(id);
    if (!found) throw new Error(`store sync: asset ${id} is used but not packaged`);
    return found;
  });
  const lessonsBody = JSON.stringify(Object.fromEntries(lessons.map((l) => [l.lessonId, l.assetId])));
  const planned: Plan = { channels, assets: media, lessonsBody };
  if (guide) planned.guide = plannedGuide(db, guide, channels);
  return planned;
}

/** The StoredGuide of this moment: the guide store's states, the suspensions, the lessons the days name. */
function plannedGuide(
  db: Db,
  guide: NonNullable<StorePublisherOptions['guide']>,
  channels: Plan['channels'],
): NonNullable<Plan['guide']> {
  const lessonIds = new Set<string>();
  for (const c of channels) for (const d of [...c.pastDays, ...c.days]) for (const id of d.lessonIds) lessonIds.add(id);
  const lessons = getLessons(db, lessonIds).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const channelsState = guide.channelsState();
  const catalog = guide.catalogState();
  const suspensions = listSuspensions(db);
  return {
    lessonsBody: JSON.stringify(Object.fromEntries(lessons.map((l) => [l.id, toGuideLesson(l)]))),
    body: (lessonsKey) =>
      JSON.stringify({
        format: STORE_FORMAT,
        channels: channelsState,
        catalog,
        suspensions,
        lessons: lessonsKey,
      } satisfies StoredGuide),
  };
}

/**
 * Resolves once the connection is in no transaction. A publish notifies its listeners before the caller's
 * transaction commits (an admin mutation, a suspension switch) and that transaction may still roll back (a
 * preview whose publish no longer matches it: 409); read inside it, the store would get a version the database
 * never kept, under the number the next real version then takes. Transactions are synchronous, so the next
 * turn of the event loop finds it committed or rolled back.
 */
async function outsideTransactions(db: Db): Promise<void> {
  while (db.inTransaction) await new Promise((resolve) => setImmediate(resolve));
}

/** Calls `onChange` after a publish on this connection, and when the database changed (looked at every `recheckMs`). */
function watchDatabase(db: Db, recheckMs: number, onChange: () => void): () => void {
  const unsubscribe = onPublished(db, onChange);
  let counters = changeCounters(db);
  const timer = setInterval(() => {
    if (!db.open) return;
    const now = changeCounters(db);
    if (now.dataVersion === counters.dataVersion && now.ownChanges === counters.ownChanges) return;
    counters = now;
    onChange();
  }, recheckMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    unsubscribe();
  };
}

function storedDay(d: PlannedDay): StoredDay {
  return {
    date: d.date,
    version: d.version,
    publishedAt: d.publishedAt,
    startMs: d.startMs,
    endMs: d.endMs,
    key: d.key,
  };
}

function sameDir(a: string | undefined, b: string): boolean {
  return a !== undefined && resolve(a) === resolve(b);
}

/** Every file of `<mediaDir>/<assetId>/` to `media/<assetId>/…` (a few at a time). */
async function uploadAssetMedia(store: ObjectStore, mediaDir: string, assetId: string): Promise<void> {
  const dir = join(mediaDir, assetId);
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const limit = pLimit(UPLOAD_CONCURRENCY);
  await Promise.all(
    entries
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => {
        const path = join(e.parentPath, e.name);
        return limit(() => store.putImmutableFile(mediaKey(assetId, relative(dir, path).split(sep).join('/')), path));
      }),
  );
}

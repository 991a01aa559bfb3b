import { readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { DaySnapshot } from '../../playlists/model.ts';
import type { Clock } from '../clock.ts';
import { packagedAssetIds, packagedLessonAssets } from '../media/asset-timelines-repository.ts';
import { createAssetTimelines, type AssetTimelines, type PackagedAssetMedia } from '../media/asset-timelines.ts';
import type { ObjectStore } from '../object-store/object-store.ts';
import type { Channel } from '../schedule/channel-document.ts';
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
  INDEX_KEY,
  lessonsKey,
  mediaKey,
  sha256,
  STORE_FORMAT,
  type ChannelManifest,
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
}

/** Start-over reaches 24 h back: a day that ended more than two days ago is no origin's concern. */
export const RETAIN_MS = 48 * 3_600_000;
const DEFAULT_RECHECK_MS = 1_000;
const UPLOAD_CONCURRENCY = 8;

interface PlannedDay extends StoredDay {
  channelId: string;
  assetIds: string[];
  /** Present when the object is not known to be written. */
  body?: string;
}

interface Known {
  days: Map<string, { key: string; assetIds: string[] }>;
  assets: Set<string>;
}

interface Plan {
  channels: Array<{ id: string; channel: Channel; days: PlannedDay[] }>;
  /** Assets the days use that are not known to be in the store. */
  assets: PackagedAssetMedia[];
  lessonsBody: string;
}

export function createStorePublisher(options: StorePublisherOptions): StorePublisher {
  const { db, store, logger } = options;
  const assets = createAssetTimelines(db);
  /** What this process wrote or found: the store never forgets an immutable object. */
  const known: Known = { days: new Map(), assets: new Set() };
  const written = new Map<string, string>();
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

  async function putManifestIfChanged(key: string, body: string): Promise<boolean> {
    if (written.get(key) === body) return false;
    await store.putManifest(key, body);
    written.set(key, body);
    return true;
  }

  async function runSync(): Promise<SyncReport> {
    await outsideTransactions(db);
    const p = plan(db, options.clock(), known, assets);
    const report: SyncReport = { days: 0, assets: p.assets.length, manifests: 0 };
    for (const asset of p.assets) await writeAsset(asset);
    const limit = pLimit(UPLOAD_CONCURRENCY);
    const days = p.channels.flatMap((c) => c.days).filter((d) => d.body !== undefined);
    await Promise.all(
      days.map((d) =>
        limit(async () => {
          if ((await store.putImmutable(d.key, d.body!)) === 'written') report.days++;
          known.days.set(`${d.channelId}/${d.date}@${d.version}`, { key: d.key, assetIds: d.assetIds });
        }),
      ),
    );
    const lessons = lessonsKey(p.lessonsBody);
    if (!written.has(lessons)) {
      await store.putImmutable(lessons, p.lessonsBody);
      written.set(lessons, p.lessonsBody);
    }
    const index: StoreIndex = { format: STORE_FORMAT, channels: [], lessons };
    for (const c of p.channels) {
      const manifest: ChannelManifest = { format: STORE_FORMAT, channel: c.channel, days: c.days.map(storedDay) };
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

function plan(db: Db, nowMs: number, known: Known, assets: AssetTimelines): Plan {
  const versions = latestDayVersionsEndingAfter(db, nowMs - RETAIN_MS);
  const channels = channelIdsByNumber(db).map((id) => ({
    id,
    channel: JSON.parse(channelBody(db, id)!) as Channel,
    days: [] as PlannedDay[],
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
      day = { key: dayKey(v.channelId, body), assetIds: [...new Set(snapshot.items.map((i) => i.assetId))] };
    }
    for (const id of day.assetIds) if (!known.assets.has(id)) needed.add(id);
    const { channelId, date, version, publishedAt, startMs, endMs } = v;
    const planned: PlannedDay = { channelId, date, version, publishedAt, startMs, endMs, ...day };
    if (body !== undefined) planned.body = body;
    byId.get(channelId)?.days.push(planned);
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
  return { channels, assets: media, lessonsBody };
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

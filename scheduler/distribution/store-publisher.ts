import { readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import { packagedAssetIds } from '../media/asset-timelines-repository.ts';
import { createAssetTimelines, type PackagedAssetMedia } from '../media/asset-timelines.ts';
import type { ObjectStore } from '../object-store/object-store.ts';
import { onPublished } from '../schedule/publish.ts';
import { changeCounters } from '../schedule/published-days-repository.ts';
import type { Db } from '../store/db.ts';
import {
  assetKey,
  channelManifestKey,
  guideKey,
  guideLessonsKey,
  INDEX_KEY,
  lessonsKey,
  mediaKey,
  STORE_FORMAT,
  type StoreIndex,
} from './published-layout.ts';
import { unit } from '../guide/guide-renderings.ts';
import { emptyMirror, planSync, type GuideStates, type Step, type SyncPlan } from './sync-plan.ts';

/**
 * The control plane's side of the object store: it mirrors the published schedule of the database into the
 * store, in the order that lets a reader arrive at any moment (published-layout.ts): each asset's media, then
 * its timeline; the day versions; the lessons map; then the channel manifests; the index last.
 *
 * A sync plans in small steps of the guides' paced lane, as consistent as one synchronous read of the database
 * (sync-plan.ts: no turn holds the event loop for long, whatever the history), and then writes what the store lacks.
 * It is incremental: the publisher remembers what its last successful sync wrote (a Mirror) and plans only the day
 * versions inserted since, the manifests they change, and the lesson objects when the catalog changed; a sync that
 * fails leaves the mirror as it was, so the next one plans the same again. At start the mirror is empty, so the
 * first sync goes over every published day and writes whatever the store lacks (an existing data directory moves to
 * a store without a rebuild). It runs at start, after every publish on this connection, and whenever the database
 * changed (another process published), looked at every `recheckMs`. Syncs never overlap; one asked for while one
 * runs follows it. Days that ended more than RETAIN_MS ago are listed apart in the manifests (`pastDays`, for the
 * guides); objects are never deleted here.
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
  /** Day versions looked at: those published since the last sync (at start, every one). */
  examined: number;
  /** Day version objects written (not already in the store). */
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
  guide?: GuideStates;
  /**
   * Runs each unit of a sync's planning (default: the guides' paced lane, so that sync and guide rendering together
   * take about half of the event loop at most, in units of a few milliseconds).
   */
  step?: Step;
}

const DEFAULT_RECHECK_MS = 1_000;
const UPLOAD_CONCURRENCY = 8;

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
  /** What the store holds, as far as this process wrote or found it: planned from, replaced after each sync. */
  const mirror = emptyMirror();
  /** Assets whose media and timeline are in the store (the store never forgets an immutable object). */
  const knownAssets = new Set<string>();
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
    knownAssets.add(asset.id);
  }

  /** Assets the planned days use, and every packaged one, that are not known to be in the store. */
  function neededAssets(plan: SyncPlan): string[] {
    const needed = new Set<string>();
    for (const { day } of plan.newDays) for (const id of day.assetIds) if (!knownAssets.has(id)) needed.add(id);
    // Every packaged asset, used yet or not: a publish that brings one on air (a suspension switch) then writes
    // only day versions and manifests, and lessons on demand (VOD) are served by edge origins too.
    for (const id of packagedAssetIds(db)) if (!knownAssets.has(id)) needed.add(id);
    return [...needed].sort();
  }

  /** An asset's media and timeline, read when it is written (one at a time: a catalog of them is no one step). */
  function packagedAsset(id: string): PackagedAssetMedia {
    const found = assets.get(id);
    if (!found) throw new Error(`store sync: asset ${id} is used but not packaged`);
    return found;
  }

  async function runSync(): Promise<SyncReport> {
    await outsideTransactions(db);
    const plan = await planSync(db, mirror, options.clock(), options.guide, options.step ?? unit);
    const media = neededAssets(plan);
    const report: SyncReport = { examined: plan.examined, days: 0, assets: media.length, manifests: 0 };
    for (const id of media) await writeAsset(packagedAsset(id));
    const limit = pLimit(UPLOAD_CONCURRENCY);
    const written = await Promise.all(
      plan.newDays.map(({ day, body }) => limit(() => store.putImmutable(day.key, body))),
    );
    report.days = written.filter((outcome) => outcome === 'written').length;
    const lessons = await putObjectOnce(lessonsKey(plan.lessonsBody), plan.lessonsBody);
    let guide: string | undefined;
    if (plan.guide) {
      const lessonsOfGuide = plan.guide.lessonsBody;
      const body = plan.guide.body(await putObjectOnce(guideLessonsKey(lessonsOfGuide), lessonsOfGuide));
      guide = await putObjectOnce(guideKey(body), body);
    }
    const index: StoreIndex = { format: STORE_FORMAT, channels: [], lessons, ...(guide ? { guide } : {}) };
    for (const { id, manifest } of plan.channels) {
      if (await putManifestIfChanged(channelManifestKey(id), manifest.body)) report.manifests++;
      index.channels.push({ id, manifest: manifest.hash });
    }
    if (await putManifestIfChanged(INDEX_KEY, JSON.stringify(index))) report.manifests++;
    plan.commit(mirror);
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

/**
 * The store sync is incremental: after its first sync (every published day: the start-up catch-up) a publisher
 * looks only at the day versions published since, rebuilds only the manifests they change, and ends with the
 * store exactly as a full sync of a new publisher makes it; a sync that fails is planned again in full by the next.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveSuspension } from '../../scheduler/admin/suspension-switch.ts';
import { channelManifestKey, INDEX_KEY } from '../../scheduler/distribution/published-layout.ts';
import { createGuideStore, type GuideStore } from '../../scheduler/guide/guide-store.ts';
import { createFsStore } from '../../scheduler/object-store/fs-store.ts';
import type { ObjectStore } from '../../scheduler/object-store/object-store.ts';
import {
  assetCatalogView,
  halfHourlyWorldSpec,
  makeOriginWorld,
  storePublisherOn,
  type DataDir,
  tempDirs,
} from './origin-fixtures.ts';

const AT = Date.parse('2026-11-23T00:30:07Z');
const DAY_MS = 86_400_000;
const HISTORY_DAYS = 20;
let data: DataDir;
let now = AT;
let guide: GuideStore;
const storeDirs = tempDirs('aerial-store-sync-store-');

beforeAll(() => {
  data = makeOriginWorld(
    halfHourlyWorldSpec({
      prefix: 'aerial-store-sync-',
      lessons: [{ lessonId: 'g3-math-1', assetId: 'lesson-a' }],
      writeFiles: true,
      channels: ['c1', 'c2'],
      lastSlot: '12:00',
      // Three weeks of history up to two days ahead of AT.
      publish: { fromDate: '2026-11-04', days: HISTORY_DAYS, atMs: AT - 20 * DAY_MS },
    }),
  );
  guide = createGuideStore(data.db, () => now);
});

afterAll(() => {
  data?.cleanup();
  storeDirs.removeAll();
});

function fsStore(): ObjectStore {
  const dir = storeDirs.make();
  return createFsStore(dir);
}

const publisherTo = (store: ObjectStore) => storePublisherOn(data, store, () => now, { guide });

const versionCount = () => data.db.prepare('SELECT COUNT(*) FROM day_snapshots').pluck().get() as number;

let suspensions = 0;
/** A suspension switch on `channel` for `date` (a real republish of that channel from that date). */
function suspend(channel: string, date: string): number {
  const before = versionCount();
  const env = { db: data.db, loadCatalog: () => assetCatalogView(data.db), guardMs: 5_000 };
  const order = { id: `sync-${++suspensions}`, from: date, to: date, channels: [channel], notice: { zh: '停课' } };
  data.db.transaction(() => saveSuspension(env, order, now))();
  return versionCount() - before;
}

/** The manifests' bytes: what edges read (the guide object's key included, through the index). */
async function manifests(store: ObjectStore): Promise<Record<string, string | undefined>> {
  const out: Record<string, string | undefined> = {};
  for (const key of [INDEX_KEY, channelManifestKey('c1'), channelManifestKey('c2')])
    out[key] = (await store.get(key))?.toString();
  return out;
}

/** What a publisher started now (an empty mirror: a full plan) writes to an empty store. */
async function fullSync(): Promise<Record<string, string | undefined>> {
  const store = fsStore();
  await publisherTo(store).sync();
  return manifests(store);
}

describe('store sync (incremental)', () => {
  it('looks only at the versions published since the last sync, and ends where a full sync does', async () => {
    now = AT;
    const real = fsStore();
    const log: string[] = [];
    const store: ObjectStore = {
      ...real,
      url: real.url,
      putImmutable: async (key, body) => (log.push(key), real.putImmutable(key, body)),
      putManifest: async (key, body) => (log.push(key), real.putManifest(key, body)),
    };
    const publisher = publisherTo(store);
    const first = await publisher.sync();
    expect(first).toMatchObject({ examined: versionCount(), days: versionCount() });
    expect(first.examined).toBeGreaterThanOrEqual(2 * HISTORY_DAYS);

    const published = suspend('c1', '2026-11-23');
    expect(published).toBeGreaterThan(0);
    log.length = 0;
    const after = await publisher.sync();
    // Still objects first, then the manifest that names them, the index last.
    expect(log.slice(-2)).toEqual([channelManifestKey('c1'), INDEX_KEY]);
    expect(log.slice(0, published).every((key) => key.startsWith('published/days/c1/'))).toBe(true);
    // Only the new versions, not the history; c1's manifest and the index change, c2's is not rewritten.
    expect(after).toEqual({ examined: published, days: published, assets: 0, manifests: 2 });
    expect(await manifests(store)).toEqual(await fullSync());

    // Time passes without a publish: days move to pastDays in both manifests, and nothing is looked at again.
    now = AT + 3 * DAY_MS;
    expect(await publisher.sync()).toEqual({ examined: 0, days: 0, assets: 0, manifests: 3 });
    expect(await manifests(store)).toEqual(await fullSync());
    expect(JSON.parse((await manifests(store))[channelManifestKey('c2')]!).pastDays.length).toBeGreaterThan(0);
  });

  it('a sync that fails before its manifests is planned again by the next one', async () => {
    now = AT;
    const real = fsStore();
    let failManifests = false;
    const store: ObjectStore = {
      ...real,
      url: real.url,
      putManifest: async (key, body) => {
        if (failManifests) throw new Error(`injected: ${key} not written`);
        await real.putManifest(key, body);
      },
    };
    const publisher = publisherTo(store);
    await publisher.sync();
    const published = suspend('c2', '2026-11-23');
    expect(published).toBeGreaterThan(0);
    failManifests = true;
    await expect(publisher.sync()).rejects.toThrow('injected');
    failManifests = false;
    const retried = await publisher.sync();
    expect(retried).toMatchObject({ examined: published, manifests: 2 });
    expect(await manifests(real)).toEqual(await fullSync());
  });
});

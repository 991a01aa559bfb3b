/**
 * The control plane's store sync and an edge's store reader, on a real SQLite data directory and real stores:
 * objects are written once and before any manifest that names them; an existing data directory moves to a store
 * without a rebuild; a reader polling while a publish is being written only ever holds whole published states.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveSuspension } from '../../scheduler/admin/suspension-switch.ts';
import type { StorePublisherOptions } from '../../scheduler/distribution/store-publisher.ts';
import { createStoreGuideStore } from '../../scheduler/distribution/store-guide.ts';
import { createGuideStore } from '../../scheduler/guide/guide-store.ts';
import { createPublishedStoreReader, dayId } from '../../scheduler/distribution/store-reader.ts';
import { createFsStore } from '../../scheduler/object-store/fs-store.ts';
import type { ObjectStore } from '../../scheduler/object-store/object-store.ts';
import { createS3Store } from '../../scheduler/object-store/s3-store.ts';
import { fixedClock } from '../../scheduler/clock.ts';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.ts';
import {
  assetCatalogView,
  halfHourlyWorldSpec,
  makeOriginWorld,
  SLATE_ASSET,
  storePublisherOn,
  twoMinuteLesson,
  type DataDir,
  tempDirs,
} from './origin-fixtures.ts';

const AT = Date.parse('2026-11-23T00:30:07Z');
const silent = pino({ level: 'silent' });
let data: DataDir;
let s3: S3TestServer;
const storeDirs = tempDirs('aerial-store-');

beforeAll(async () => {
  s3 = await startS3Server();
  data = makeOriginWorld(
    halfHourlyWorldSpec({
      prefix: 'aerial-store-publish-',
      assets: [SLATE_ASSET, twoMinuteLesson('lesson-a'), twoMinuteLesson('lesson-b')],
      lessons: [{ lessonId: 'g3-math-1', assetId: 'lesson-a' }],
      writeFiles: true,
      channels: ['c1', 'c2'],
      lastSlot: '16:00',
      publish: { fromDate: '2026-11-22', days: 4, atMs: AT - 3 * 86_400_000 },
    }),
  );
});

afterAll(async () => {
  await s3?.close();
  data?.cleanup();
  storeDirs.removeAll();
});

interface Recorded {
  store: ObjectStore;
  log: Array<{ op: 'object' | 'manifest'; key: string; body?: string }>;
}

/** The real store, with every write noted in order (the calls go through unchanged). */
function recording(store: ObjectStore): Recorded {
  const log: Recorded['log'] = [];
  return {
    log,
    store: {
      ...store,
      url: store.url,
      putImmutable: async (key, body) => {
        const outcome = await store.putImmutable(key, body);
        log.push({ op: 'object', key });
        return outcome;
      },
      putImmutableFile: async (key, path) => {
        const outcome = await store.putImmutableFile(key, path);
        log.push({ op: 'object', key });
        return outcome;
      },
      putManifest: async (key, body) => {
        await store.putManifest(key, body);
        log.push({ op: 'manifest', key, body: body.toString() });
      },
    },
  };
}

/** A publisher of the test data directory to `store` (at AT, silent unless `options` say otherwise). */
function publisherTo(store: ObjectStore, options: Partial<StorePublisherOptions> = {}) {
  return storePublisherOn(data, store, fixedClock(AT), options);
}

function fsStore(): ObjectStore {
  const dir = storeDirs.make();
  return createFsStore(dir);
}

let s3Runs = 0;
let switches = 0;
let s3RolledBack = 0;
describe.each([
  ['filesystem', fsStore],
  ['s3', () => createS3Store(`s3://${s3.bucket}/publish-${++s3Runs}`, s3.env)],
] as Array<[string, () => ObjectStore]>)('store sync (%s store)', (_driver, openStore) => {
  it('moves an existing data directory to an empty store: objects first, each manifest after what it names', async () => {
    const versionsBefore = data.db.prepare('SELECT COUNT(*) FROM day_snapshots').pluck().get();
    const { store, log } = recording(openStore());
    const publisher = publisherTo(store);
    const report = await publisher.sync();
    expect(report).toMatchObject({ days: 8, assets: 3, manifests: 3 });
    expect(data.db.prepare('SELECT COUNT(*) FROM day_snapshots').pluck().get()).toBe(versionsBefore); // no rebuild
    // Media before its asset's timeline; every object a manifest names before the manifest; the index last.
    const position = new Map(log.map((entry, i) => [entry.key, i]));
    expect(position.get('media/lesson-a/360p/seg00019.ts')!).toBeLessThan(
      position.get('published/assets/lesson-a.json')!,
    );
    for (const entry of log.filter((e) => e.op === 'manifest')) {
      const manifest = JSON.parse(entry.body!);
      const named: string[] = manifest.days?.map((d: { key: string }) => d.key) ?? [manifest.lessons];
      for (const key of named)
        expect(position.get(key), `${key} before ${entry.key}`).toBeLessThan(position.get(entry.key)!);
    }
    expect(log.at(-1)).toMatchObject({ op: 'manifest', key: 'published/index.json' });
    // Nothing changed: nothing written; a new publisher (a restart) finds everything and writes no object twice.
    expect(await publisher.sync()).toEqual({ examined: 0, days: 0, assets: 0, manifests: 0 });
    const again = publisherTo(store);
    const objectsBefore = log.length;
    expect((await again.sync()).days).toBe(0);
    expect(log.slice(objectsBefore).filter((e) => e.op === 'manifest')).toHaveLength(3); // rewritten, same bytes
  });

  it('lists days that ended over 48 h ago apart, for the guides, with the control plane guide states', async () => {
    const store = openStore();
    const clock = fixedClock(AT + 3 * 86_400_000); // 2026-11-22 and -23 (Shanghai) ended more than 48 h before
    const guide = createGuideStore(data.db, clock);
    const publisher = publisherTo(store, { clock, guide });
    await publisher.sync();
    const reader = createPublishedStoreReader({ store, logger: silent });
    await reader.refresh();
    const state = reader.state()!;
    expect(state.pastDays.get('c2')!.map((d) => d.date)).toEqual(['2026-11-22', '2026-11-23']);
    expect(state.days.get('c2')!.map((d) => d.date)).toEqual(['2026-11-24', '2026-11-25']);
    // Only the days live playlists may need are held parsed; a guide reads a past one from the store.
    expect(state.snapshots.has(dayId('c2', '2026-11-22', 1))).toBe(false);
    expect(state.guide!.stored.channels).toEqual(guide.channelsState());
    expect(state.guide!.stored.catalog).toEqual(guide.catalogState());
    const edgeGuide = createStoreGuideStore(reader, store);
    const [past] = edgeGuide.dayKeysOnDates('c2', ['2026-11-22']);
    expect(past).toEqual(guide.dayKeysOnDates('c2', ['2026-11-22'])[0]);
    const step = <T>(work: () => T) => Promise.resolve(work());
    expect(await edgeGuide.snapshotInSteps(past!, step)).toEqual(guide.snapshot(past!));
  });

  it('a reader polling while a publish is written holds only whole published states, old then new', async () => {
    const store = openStore();
    const clock = fixedClock(AT);
    const publisher = publisherTo(store, { clock });
    await publisher.sync();
    const reader = createPublishedStoreReader({ store, logger: silent });
    await reader.refresh();
    const before = reader.state()!;
    expect(before.channelIds).toEqual(['c1', 'c2']);

    // A suspension switch on c1 republishes its days; the reader polls as fast as it can meanwhile.
    const env = { db: data.db, loadCatalog: () => assetCatalogView(data.db), guardMs: 5_000 };
    // Each driver's run suspends another day (the data directory is shared).
    const date = ++switches === 1 ? '2026-11-24' : '2026-11-25';
    const order = { id: `storm-${switches}`, from: date, to: date, channels: ['c1'], notice: { zh: '停课' } };
    data.db.transaction(() => saveSuspension(env, order, AT))();
    const states = new Set([before]);
    let syncing = true;
    let polls = 0;
    const polling = (async () => {
      while (syncing) {
        polls++;
        await reader.refresh(); // throws if a manifest named an object not there yet
        states.add(reader.state()!);
      }
    })();
    await publisher.sync();
    syncing = false;
    await polling;
    expect(polls, 'reads while the publish was being written').toBeGreaterThan(1);
    await reader.refresh();
    const after = reader.state()!;
    states.add(after);
    for (const state of states) {
      for (const id of state.channelIds) {
        for (const day of state.days.get(id)!)
          expect(state.snapshots.get(dayId(id, day.date, day.version))).toBeDefined();
      }
    }
    expect(after.generation).toBeGreaterThan(before.generation);
    const c1Versions = (s: typeof after) => s.days.get('c1')!.map((d) => `${d.date}@${d.version}`);
    expect(c1Versions(after)).not.toEqual(c1Versions(before));
    expect(after.days.get('c2')).toEqual(before.days.get('c2'));
    expect(after.lessons.get('g3-math-1')).toBe('lesson-a');
  });

  it('a publish its caller rolls back never reaches the store; the version then committed does', async () => {
    const store = openStore();
    const publisher = publisherTo(store, { recheckMs: 60_000 });
    publisher.start(); // syncs at once, then after every publish on this connection
    await publisher.sync();
    const env = { db: data.db, loadCatalog: () => assetCatalogView(data.db), guardMs: 5_000 };
    const run = s3RolledBack++;
    const date = `2026-11-2${3 + run}`;
    const order = (notice: string) => ({
      id: `rollback-${run}-${notice}`,
      from: date,
      to: date,
      channels: ['c2'],
      notice: { zh: notice },
    });
    // An admin mutation that publishes and then fails (a preview whose publish no longer matches: 409) rolls back.
    expect(() =>
      data.db.transaction(() => {
        saveSuspension(env, order('first'), AT);
        throw new Error('the caller changes its mind');
      })(),
    ).toThrow('changes its mind');
    // The same version number is then published with other content, and committed.
    data.db.transaction(() => saveSuspension(env, order('second'), AT))();
    await publisher.stop();
    await publisher.sync();
    const committed = data.db
      .prepare(
        `SELECT version, body FROM day_snapshots WHERE channel_id = 'c2' AND date = ? ORDER BY version DESC LIMIT 1`,
      )
      .get(date) as { version: number; body: string };
    const reader = createPublishedStoreReader({ store, logger: silent });
    await reader.refresh();
    const held = reader.state()!.snapshots.get(dayId('c2', date, committed.version))!;
    expect(committed.body).toContain('"second"');
    expect(JSON.stringify(held) === committed.body, 'the store holds the committed day version').toBe(true);
  });
});

/**
 * `aerial store gc`: superseded day versions are deleted once no manifest has named them for the grace period,
 * and nothing else is — not a named day (live or past), not a day object written while its manifest is not yet,
 * not the days of a channel whose manifest changed within the grace. On the filesystem driver and on s3rver.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayKey } from '../../scheduler/distribution/published-layout.ts';
import { collectStoreGarbage } from '../../scheduler/distribution/store-gc.ts';
import { createStoreGuideStore } from '../../scheduler/distribution/store-guide.ts';
import { createPublishedStoreReader } from '../../scheduler/distribution/store-reader.ts';
import { createFsStore } from '../../scheduler/object-store/fs-store.ts';
import type { ObjectStore } from '../../scheduler/object-store/object-store.ts';
import { createS3Store } from '../../scheduler/object-store/s3-store.ts';
import { daySnapshotBody } from '../../scheduler/schedule/published-days-repository.ts';
import { insertSnapshot, latestSnapshot } from '../../scheduler/schedule/snapshots-repository.ts';
import { runAerialCli } from '../helpers/run-cli.ts';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.ts';
import { halfHourlyWorldSpec, makeOriginWorld, storePublisherOn, type DataDir, tempDirs } from './origin-fixtures.ts';

const AT = Date.parse('2026-11-23T00:30:07Z');
const DATE = '2026-11-23';
const HOUR = 3_600_000;
const silent = pino({ level: 'silent' });
let data: DataDir;
let s3: S3TestServer;
const storeDirs = tempDirs('aerial-store-gc-store-');

beforeAll(async () => {
  s3 = await startS3Server();
  data = makeOriginWorld(
    halfHourlyWorldSpec({
      prefix: 'aerial-store-gc-',
      channels: ['c1'],
      lastSlot: '10:00',
      publish: { fromDate: '2026-11-18', days: 7, atMs: AT - 5 * 86_400_000 },
    }),
  );
});

afterAll(async () => {
  await s3?.close();
  data?.cleanup();
  storeDirs.removeAll();
});

const tempDir = () => storeDirs.make();

let republishes = 0;
/** Publishes the next version of DATE (one title changed); answers its object key and body. */
function republish(): { key: string; body: string } {
  const day = latestSnapshot(data.db, 'c1', DATE)!;
  day.version++;
  day.items[0]!.title = { zh: `改 ${++republishes}` };
  const body = JSON.stringify(day);
  data.db.transaction(() => insertSnapshot(data.db, day, AT, body))();
  return { key: dayKey('c1', body), body };
}

/** The object key of the current version of DATE. */
function currentKey(): string {
  const { version } = latestSnapshot(data.db, 'c1', DATE)!;
  return dayKey('c1', daySnapshotBody(data.db, 'c1', DATE, version)!);
}

let runs = 0;
describe.each([
  ['filesystem', () => createFsStore(tempDir())],
  ['s3', () => createS3Store(`s3://${s3.bucket}/gc-${++runs}`, s3.env)],
] as Array<[string, () => ObjectStore]>)('store gc (%s store)', (_driver, openStore) => {
  it('deletes superseded day versions after the grace, and only them', async () => {
    const store = openStore();
    const publisher = storePublisherOn(data, store, () => AT);
    await publisher.sync();
    const superseded = [currentKey()];
    superseded.push(republish().key);
    await publisher.sync();
    republish();
    await publisher.sync();
    const named = (await store.list('published/days/c1/')).filter((k) => !superseded.includes(k));
    expect(named).toHaveLength(7); // 2026-11-18 … 24: the past days stay named, for the guides

    // Just published: the manifest changed within the grace, so nothing of the channel is touched.
    const fresh = await collectStoreGarbage(store, { olderThanMs: HOUR, nowMs: Date.now(), dryRun: false });
    expect(fresh).toEqual({ collected: [], young: [], named: 0, waiting: ['c1'] });

    // A publish in progress: its day object is written, its manifest not yet (the control plane's order).
    await sleep(2_200);
    const inFlight = republish();
    await store.putImmutable(inFlight.key, inFlight.body);
    const options = { olderThanMs: 2_000, nowMs: Date.now() };
    const dry = await collectStoreGarbage(store, { ...options, dryRun: true });
    expect({ ...dry, collected: [...dry.collected].sort() }).toEqual({
      collected: [...superseded].sort(),
      young: [inFlight.key],
      named: 7,
      waiting: [],
    });
    for (const key of superseded) expect(await store.head(key), `${key} kept by the dry run`).toBeDefined();

    await collectStoreGarbage(store, { ...options, dryRun: false });
    expect(await store.list('published/days/c1/')).toEqual([...named, inFlight.key].sort());
    // An edge reads every named day, live or past, from what is left.
    const reader = createPublishedStoreReader({ store, logger: silent });
    await reader.refresh();
    const guide = createStoreGuideStore(reader, store);
    const step = <T>(work: () => T) => Promise.resolve(work());
    for (const key of guide.dayKeys('c1', 0, Number.MAX_SAFE_INTEGER))
      expect((await guide.snapshotInSteps(key, step)).date).toBe(key.date);
  });
});

describe('aerial store gc', () => {
  it('lists in a dry run, and refuses a grace shorter than a minute or none', async () => {
    const dir = tempDir();
    const store = createFsStore(dir);
    await storePublisherOn(data, store, () => AT).sync();
    const dry = await runAerialCli(['store', 'gc', '--store', dir, '--older-than', '7d', '--dry-run']);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/0 superseded day version\(s\) to delete, .*left for later: c1/);
    const short = await runAerialCli(['store', 'gc', '--store', dir, '--older-than', '30s']);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("--older-than must be a duration of at least 1m such as 30m, 12h or 7d, got '30s'");
    expect((await runAerialCli(['store', 'gc', '--store', dir])).stderr).toContain('--older-than is required');
    const empty = await runAerialCli(['store', 'gc', '--store', tempDir(), '--older-than', '1h']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('nothing published there');
  });
});

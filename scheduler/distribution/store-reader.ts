import pLimit from 'p-limit';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { DaySnapshot } from '../../playlists/model.ts';
import type { AssetTimelines, PackagedAssetMedia } from '../media/asset-timelines.ts';
import type { ObjectStore } from '../object-store/object-store.ts';
import type { Channel } from '../schedule/channel-document.ts';
import {
  assetKey,
  channelManifestKey,
  INDEX_KEY,
  isChannelManifest,
  isGuide,
  isIndex,
  parseStored,
  type ChannelManifest,
  type StoredDay,
  type GuideLessons,
  type StoredGuide,
  type StoreIndex,
} from './published-layout.ts';

/**
 * An edge origin's view of the published schedule: read from the object store alone, held in memory, and
 * replaced whole when the index changes (polled every `pollMs`, default 1 s). A new state is built completely
 * — every manifest, day version and asset timeline it names fetched and parsed — before it replaces the old
 * one, so a request sees one published state, never a mix; reads are synchronous map lookups. What is not
 * named any more is dropped. A failed poll keeps the state it had (the control plane may be down or
 * mid-publish; the objects an old manifest names never go away) and is retried at the next poll.
 */
export interface PublishedStoreState {
  /** Bumped at every replacement. */
  generation: number;
  channelIds: string[];
  channels: Map<string, Channel>;
  /** Per channel: the current version of each day live playlists may need, by start (held parsed). */
  days: Map<string, StoredDay[]>;
  /** Per channel: the current version of each older day, by start (for the guides; read on demand). */
  pastDays: Map<string, StoredDay[]>;
  /** What the guides read besides days and channels; undefined when the control plane published none. */
  guide: { stored: StoredGuide; lessons: GuideLessons } | undefined;
  /** Parsed day versions by `<channelId>/<date>@<version>`. */
  snapshots: Map<string, DaySnapshot>;
  assets: Map<string, PackagedAssetMedia>;
  lessons: Map<string, string>;
}

export interface PublishedStoreReader {
  /** The state read last; undefined until a first index was read. */
  state(): PublishedStoreState | undefined;
  /** Reads the index now; true when the state changed. */
  refresh(): Promise<boolean>;
  /** A first refresh (its failure is logged, not thrown), then polls until stop. */
  start(): Promise<void>;
  stop(): void;
  /** The last poll's outcome, for /healthz. */
  lastPoll(): { ok: boolean; detail: string };
  /** Calls `listener` after each replacement of the state. */
  onChange(listener: () => void): void;
}

export interface PublishedStoreReaderOptions {
  store: ObjectStore;
  logger: Logger;
  pollMs?: number;
}

export const DEFAULT_POLL_MS = 1_000;
const FETCH_CONCURRENCY = 8;

export const dayId = (channelId: string, date: string, version: number) => `${channelId}/${date}@${version}`;

interface Loaded {
  indexBytes: Buffer;
  index: StoreIndex;
  manifests: Map<string, { hash: string; manifest: ChannelManifest }>;
  lessonsKey: string;
  guideKey: string | undefined;
  state: PublishedStoreState;
}

async function required(store: ObjectStore, key: string, namedBy: string): Promise<Buffer> {
  const bytes = await store.get(key);
  if (!bytes) throw new Error(`object store: ${namedBy} names ${key}, which is missing`);
  return bytes;
}

/** Reads of a manifest made before it is called broken (see wholeManifest). */
const MANIFEST_READS = 3;
const MANIFEST_REREAD_MS = 25;

/**
 * A manifest's bytes and what they parse to, read again when they do not parse: manifests are replaced in place,
 * and a store whose replacement is not atomic (s3rver, some S3-compatible servers; S3 itself is) can answer one
 * half written.
 */
async function wholeManifest<T>(
  store: ObjectStore,
  key: string,
  check: (value: T) => boolean,
  /** The bytes of a first read already made, if any. */
  firstRead?: Buffer,
): Promise<{ bytes: Buffer; value: T } | undefined> {
  for (let read = 1; ; read++) {
    const bytes = read === 1 && firstRead ? firstRead : await store.get(key);
    if (!bytes) return undefined;
    try {
      return { bytes, value: parseStored<T>(key, bytes, check) };
    } catch (error) {
      if (read >= MANIFEST_READS) throw error;
      await sleep(MANIFEST_REREAD_MS);
    }
  }
}

/** Builds the next state from an index, reusing every immutable object the previous state holds. */
async function load(
  store: ObjectStore,
  { bytes: indexBytes, value: index }: { bytes: Buffer; value: StoreIndex },
  previous: Loaded | undefined,
): Promise<Loaded> {
  const limit = pLimit(FETCH_CONCURRENCY);
  const manifests = new Map<string, { hash: string; manifest: ChannelManifest }>();
  await Promise.all(
    index.channels.map(({ id, manifest: hash }) =>
      limit(async () => {
        const known = previous?.manifests.get(id);
        if (known?.hash === hash) return void manifests.set(id, known);
        const key = channelManifestKey(id);
        const read = await wholeManifest(store, key, isChannelManifest);
        if (!read) throw new Error(`object store: ${INDEX_KEY} names ${key}, which is missing`);
        manifests.set(id, { hash, manifest: read.value });
      }),
    ),
  );
  const state: PublishedStoreState = {
    generation: (previous?.state.generation ?? 0) + 1,
    channelIds: index.channels.map((c) => c.id),
    channels: new Map(),
    days: new Map(),
    pastDays: new Map(),
    guide: await loadGuide(store, index.guide, previous),
    snapshots: new Map(),
    assets: new Map(),
    lessons:
      previous?.lessonsKey === index.lessons
        ? previous.state.lessons
        : new Map(Object.entries(JSON.parse((await required(store, index.lessons, INDEX_KEY)).toString()))),
  };
  const old = previous?.state;
  const fetches: Array<Promise<void>> = [];
  for (const [id, { manifest }] of manifests) {
    state.channels.set(id, manifest.channel);
    state.days.set(id, manifest.days);
    state.pastDays.set(id, manifest.pastDays ?? []);
    for (const day of manifest.days) {
      const did = dayId(id, day.date, day.version);
      const cached = old?.snapshots.get(did);
      if (cached) state.snapshots.set(did, cached);
      else
        fetches.push(
          limit(async () => {
            const bytes = await required(store, day.key, channelManifestKey(id));
            state.snapshots.set(did, JSON.parse(bytes.toString()) as DaySnapshot);
          }),
        );
    }
  }
  await Promise.all(fetches);
  await loadAssets(store, state, old, limit);
  return { indexBytes, index, manifests, lessonsKey: index.lessons, guideKey: index.guide, state };
}

async function loadGuide(
  store: ObjectStore,
  key: string | undefined,
  previous: Loaded | undefined,
): Promise<PublishedStoreState['guide']> {
  if (key === undefined) return undefined;
  const old = previous?.state.guide;
  if (previous?.guideKey === key) return old;
  const stored = parseStored<StoredGuide>(key, await required(store, key, INDEX_KEY), isGuide);
  if (old?.stored.lessons === stored.lessons) return { stored, lessons: old.lessons };
  const lessons = parseStored<GuideLessons>(
    stored.lessons,
    await required(store, stored.lessons, key),
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  );
  return { stored, lessons };
}

async function loadAssets(
  store: ObjectStore,
  state: PublishedStoreState,
  old: PublishedStoreState | undefined,
  limit: ReturnType<typeof pLimit>,
): Promise<void> {
  const ids = new Set<string>();
  for (const snapshot of state.snapshots.values()) for (const item of snapshot.items) ids.add(item.assetId);
  // Lessons on demand are served from their assets too (VOD): a first read fetches every packaged lesson's
  // timeline (a few KB each), later ones only new ones.
  for (const id of state.lessons.values()) ids.add(id);
  await Promise.all(
    [...ids].map((id) =>
      limit(async () => {
        const cached = old?.assets.get(id);
        const asset =
          cached ??
          (JSON.parse((await required(store, assetKey(id), 'a day version')).toString()) as PackagedAssetMedia);
        state.assets.set(id, asset);
      }),
    ),
  );
}

export function createPublishedStoreReader(options: PublishedStoreReaderOptions): PublishedStoreReader {
  const { store, logger } = options;
  let loaded: Loaded | undefined;
  let poll = { ok: false, detail: 'not read yet' };
  let timer: NodeJS.Timeout | undefined;
  let refreshing: Promise<boolean> | undefined;
  const listeners = new Set<() => void>();

  async function readIndex(): Promise<boolean> {
    // Polled every second or so: the index is parsed (and read again if half written) only when it changed.
    const latest = await store.get(INDEX_KEY);
    const changed = !(latest && loaded?.indexBytes.equals(latest));
    const read = changed ? await wholeManifest(store, INDEX_KEY, isIndex, latest) : undefined;
    if (changed && !read) {
      poll = { ok: false, detail: `${store.url}${INDEX_KEY} not published yet` };
      return false;
    }
    if (read) {
      loaded = await load(store, read, loaded);
      for (const listener of listeners) listener();
    }
    poll = { ok: true, detail: `${store.url} read (generation ${loaded!.state.generation})` };
    return changed;
  }

  function refresh(): Promise<boolean> {
    refreshing ??= readIndex()
      .catch((error: Error) => {
        poll = { ok: false, detail: `${store.url}: ${error.message}` };
        throw error;
      })
      .finally(() => (refreshing = undefined));
    return refreshing;
  }

  const refreshLogged = () =>
    refresh().catch((error: Error) => logger.warn({ err: error, store: store.url }, 'store poll failed'));

  return {
    state: () => loaded?.state,
    refresh,
    async start() {
      await refreshLogged();
      timer = setInterval(refreshLogged, options.pollMs ?? DEFAULT_POLL_MS);
    },
    stop: () => clearInterval(timer),
    lastPoll: () => poll,
    onChange: (listener) => void listeners.add(listener),
  };
}

/** The packaged assets an edge origin knows: those its days use and those of packaged lessons. */
export function storeAssetTimelines(reader: PublishedStoreReader): AssetTimelines {
  return {
    get: (assetId) => reader.state()?.assets.get(assetId),
    lessonAssetId: (lessonId) => reader.state()?.lessons.get(lessonId),
    get cachedCount() {
      return reader.state()?.assets.size ?? 0;
    },
  };
}

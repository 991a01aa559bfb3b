import pLimit from 'p-limit';
import { NotFoundError } from '../errors.ts';
import type { ObjectStore } from '../object-store/object-store.ts';
import {
  channelManifestKey,
  dayPrefix,
  INDEX_KEY,
  isChannelManifest,
  isIndex,
  parseStored,
  type ChannelManifest,
  type StoreIndex,
} from './published-layout.ts';

/**
 * The store's garbage collector (`aerial store gc`): it deletes superseded day versions, and nothing else.
 *
 * A day object `published/days/<channel>/<sha256>.json` is collected only when all of these hold, for a grace
 * period `olderThanMs` that must exceed the longest an edge may go on reading an older manifest (its poll
 * interval plus the longest guide request) — by then no reader can still be on its way to it:
 * - the index names the channel, and the channel's manifest (read between two HEADs that agree) names neither it
 *   in `days` nor in `pastDays` (every past day stays named: the guides may ask for it);
 * - that manifest was last written at least `olderThanMs` ago: every manifest that ever named the object was
 *   replaced by then, as the current one does not name it;
 * - the object itself was written at least `olderThanMs` ago: a day the control plane is publishing right now
 *   (written, its manifest not yet) is younger.
 * A superseded version never becomes current again (versions only grow, and the version is in the object), so a
 * publish never re-uses an object this deletes — unless the database is restored to an older state: stop the
 * control plane, or skip gc, while restoring. Media, asset timelines, lessons and guide objects are never
 * collected: the control plane remembers what it wrote of those and would not write them again.
 */
export interface GcOptions {
  olderThanMs: number;
  nowMs: number;
  /** List what would be deleted, delete nothing. */
  dryRun: boolean;
}

export interface GcReport {
  /** Day objects deleted (in a dry run: that would be). */
  collected: string[];
  /** Day objects no manifest names that are kept: written less than olderThanMs ago. */
  young: string[];
  /** Day objects the manifests name. */
  named: number;
  /** Channels whose manifest changed less than olderThanMs ago (or while it was read): looked at next time. */
  waiting: string[];
}

const DELETE_CONCURRENCY = 8;

export async function collectStoreGarbage(store: ObjectStore, options: GcOptions): Promise<GcReport> {
  const indexBytes = await store.get(INDEX_KEY);
  if (!indexBytes) throw new NotFoundError(`${store.url}${INDEX_KEY} does not exist: nothing published there`);
  const index = parseStored<StoreIndex>(INDEX_KEY, indexBytes, isIndex);
  const report: GcReport = { collected: [], young: [], named: 0, waiting: [] };
  const oldEnough = (modifiedMs: number) => options.nowMs - modifiedMs >= options.olderThanMs;
  for (const { id } of index.channels) {
    const manifest = await settledManifest(store, id);
    if (!manifest || !oldEnough(manifest.modifiedMs)) {
      report.waiting.push(id);
      continue;
    }
    const named = new Set([...manifest.value.days, ...(manifest.value.pastDays ?? [])].map((d) => d.key));
    for (const key of await store.list(dayPrefix(id))) {
      if (named.has(key)) {
        report.named++;
        continue;
      }
      const info = await store.head(key);
      if (info) (oldEnough(info.modifiedMs) ? report.collected : report.young).push(key);
    }
  }
  if (!options.dryRun) {
    const limit = pLimit(DELETE_CONCURRENCY);
    await Promise.all(report.collected.map((key) => limit(() => store.delete(key))));
  }
  return report;
}

/** A channel manifest with when it was written, or undefined while it is being replaced (two HEADs disagree). */
async function settledManifest(
  store: ObjectStore,
  channelId: string,
): Promise<{ value: ChannelManifest; modifiedMs: number } | undefined> {
  const key = channelManifestKey(channelId);
  const before = await store.head(key);
  const bytes = await store.get(key);
  const after = await store.head(key);
  if (!before || !bytes || !after || before.modifiedMs !== after.modifiedMs || after.size !== bytes.length)
    return undefined;
  return { value: parseStored<ChannelManifest>(key, bytes, isChannelManifest), modifiedMs: after.modifiedMs };
}

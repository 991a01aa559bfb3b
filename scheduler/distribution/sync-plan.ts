import type { DaySnapshot } from '../../playlists/model.ts';
import { getLessons } from '../catalog/lessons-repository.ts';
import { toGuideLesson } from '../guide/guide-records.ts';
import type { GuideStore } from '../guide/guide-store.ts';
import { packagedLessonAssets } from '../media/asset-timelines-repository.ts';
import type { Channel } from '../schedule/channel-document.ts';
import { listSuspensions } from '../schedule/channels-repository.ts';
import { channelBody, channelIdsByNumber, daySnapshotBody } from '../schedule/published-days-repository.ts';
import type { Db } from '../store/db.ts';
import {
  dayKey,
  sha256,
  STORE_FORMAT,
  type ChannelManifest,
  type StoredDay,
  type StoredGuide,
} from './published-layout.ts';
import { dayVersionsAfter, lastDayVersionRow, type DayVersionRow } from './store-sync-repository.ts';

/**
 * Start-over reaches 24 h back: a day that ended more than two days ago is no live playlist's concern. Older days
 * are listed apart (`pastDays`), for the guides, which an edge reads on demand.
 */
export const RETAIN_MS = 48 * 3_600_000;

/** The current version of a channel-day as the store has it (or will, once the sync that planned it is done). */
export interface MirroredDay extends StoredDay {
  channelId: string;
  assetIds: string[];
  lessonIds: string[];
}

interface ManifestEntry {
  channelBody: string;
  /** The channel's days by start (the identity says whether they changed). */
  days: readonly MirroredDay[];
  /** How many of them ended more than RETAIN_MS ago (`pastDays`): only grows while the days stay the same. */
  pastCount: number;
  body: string;
  hash: string;
}

/**
 * What the store holds of the database, as far as the last successful sync wrote it. A sync plans only what
 * changed since: the day versions inserted after `lastRow`, the manifests of the channels they (or the clock, or
 * the channel document) changed, the lesson objects when the catalog or the set of lessons the days name changed.
 */
export interface Mirror {
  /** day_snapshots rowid up to which every version is in `days`. */
  lastRow: number;
  /** Per channel id, the current version of each date. */
  days: Map<string, Map<string, MirroredDay>>;
  /** Per channel id, its days by start. */
  sorted: Map<string, readonly MirroredDay[]>;
  /** How many current day versions name each lesson (the guide's lessons are those named). */
  lessonRefs: Map<string, number>;
  manifests: Map<string, ManifestEntry>;
  /** The packaged-lessons object and the guide's lessons object, with the catalog fingerprint they were built at. */
  lessons?: { fingerprint: string; body: string };
  guideLessons?: { fingerprint: string; body: string };
}

export const emptyMirror = (): Mirror => ({
  lastRow: 0,
  days: new Map(),
  sorted: new Map(),
  lessonRefs: new Map(),
  manifests: new Map(),
});

export interface SyncPlan {
  /** Day version rows looked at: those inserted since the mirror's last row (every one after a reset). */
  examined: number;
  /** Day versions newer than the mirror's, with their bodies: written before any manifest. */
  newDays: Array<{ day: MirroredDay; body: string }>;
  /** Configured channels in number order, with their manifests (rebuilt only when something in them changed). */
  channels: Array<{ id: string; manifest: ManifestEntry }>;
  lessonsBody: string;
  guide?: { lessonsBody: string; body(lessonsKey: string): string };
  /** Makes the mirror what the store holds once everything planned is written. */
  commit(mirror: Mirror): void;
}

export type GuideStates = Pick<GuideStore, 'channelsState' | 'catalogState'>;

/**
 * Plans a sync in one synchronous step (a consistent view of the database). Reads bodies only of the day versions
 * inserted since the mirror's last row; a mirror ahead of the table (rows deleted: a restored database) is dropped
 * and everything planned again.
 */
export function planSync(db: Db, from: Mirror, nowMs: number, guide: GuideStates | undefined): SyncPlan {
  const mirror = lastDayVersionRow(db) < from.lastRow ? emptyMirror() : from;
  const rows = dayVersionsAfter(db, mirror.lastRow);
  const newest = new Map<string, DayVersionRow>();
  for (const r of rows) {
    const seen = newest.get(`${r.channelId}/${r.date}`);
    if (!seen || r.version > seen.version) newest.set(`${r.channelId}/${r.date}`, r);
  }
  const newDays: SyncPlan['newDays'] = [];
  const changed = new Map<string, Map<string, MirroredDay>>();
  const refDelta = new Map<string, number>();
  for (const r of newest.values()) {
    const old = mirror.days.get(r.channelId)?.get(r.date);
    if (old && old.version >= r.version) continue;
    const body = daySnapshotBody(db, r.channelId, r.date, r.version)!;
    const day = mirroredDay(r, body);
    let days = changed.get(r.channelId);
    if (!days) changed.set(r.channelId, (days = new Map(mirror.days.get(r.channelId))));
    days.set(r.date, day);
    for (const id of old?.lessonIds ?? []) refDelta.set(id, (refDelta.get(id) ?? 0) - 1);
    for (const id of day.lessonIds) refDelta.set(id, (refDelta.get(id) ?? 0) + 1);
    newDays.push({ day, body });
  }
  const sorted = new Map([...changed].map(([id, days]) => [id, byStart(days)]));
  const channels = channelIdsByNumber(db).map((id) => ({
    id,
    manifest: manifestOf(
      mirror.manifests.get(id),
      channelBody(db, id)!,
      sorted.get(id) ?? mirror.sorted.get(id),
      nowMs,
    ),
  }));
  const fingerprint = guide?.catalogState().fingerprint;
  const lessons =
    fingerprint !== undefined && mirror.lessons?.fingerprint === fingerprint
      ? mirror.lessons
      : { fingerprint: fingerprint ?? '', body: packagedLessonsBody(db) };
  const lessonSetChanged = [...refDelta].some(
    ([id, d]) => d !== 0 && refCount(mirror, id) > 0 !== refCount(mirror, id) + d > 0,
  );
  const guideLessons =
    !guide || (!lessonSetChanged && mirror.guideLessons?.fingerprint === fingerprint)
      ? mirror.guideLessons
      : { fingerprint: fingerprint!, body: guideLessonsBody(db, namedLessons(mirror, refDelta)) };
  const plan: SyncPlan = {
    examined: rows.length,
    newDays,
    channels,
    lessonsBody: lessons.body,
    commit(target) {
      if (target !== mirror) Object.assign(target, emptyMirror());
      target.lastRow = rows.at(-1)?.row ?? mirror.lastRow;
      for (const [id, days] of changed) target.days.set(id, days);
      for (const [id, days] of sorted) target.sorted.set(id, days);
      for (const [id, d] of refDelta) setRefCount(target, id, refCount(target, id) + d);
      for (const c of channels) target.manifests.set(c.id, c.manifest);
      target.lessons = lessons;
      if (guideLessons) target.guideLessons = guideLessons;
    },
  };
  if (guide && guideLessons) plan.guide = plannedGuide(db, guide, guideLessons.body);
  return plan;
}

function mirroredDay(r: DayVersionRow, body: string): MirroredDay {
  const snapshot = JSON.parse(body) as DaySnapshot;
  const { channelId, date, version, publishedAt, startMs, endMs } = r;
  return {
    channelId,
    date,
    version,
    publishedAt,
    startMs,
    endMs,
    key: dayKey(channelId, body),
    assetIds: [...new Set(snapshot.items.map((i) => i.assetId))],
    lessonIds: [...new Set(snapshot.items.flatMap((i) => (i.lessonId ? [i.lessonId] : [])))],
  };
}

function byStart(days: Map<string, MirroredDay>): MirroredDay[] {
  return [...days.values()].sort((a, b) => a.startMs - b.startMs || (a.date < b.date ? -1 : 1));
}

/** The channel's manifest: the previous one when neither the document, the days nor the split changed. */
function manifestOf(
  previous: ManifestEntry | undefined,
  channelBody: string,
  days: readonly MirroredDay[] = [],
  nowMs: number,
): ManifestEntry {
  const isPast = (d: MirroredDay) => d.endMs <= nowMs - RETAIN_MS;
  let pastCount = 0;
  for (const d of days) if (isPast(d)) pastCount++;
  if (previous?.channelBody === channelBody && previous.days === days && previous.pastCount === pastCount)
    return previous;
  const manifest: ChannelManifest = {
    format: STORE_FORMAT,
    channel: JSON.parse(channelBody) as Channel,
    days: days.filter((d) => !isPast(d)).map(storedDay),
  };
  if (pastCount) manifest.pastDays = days.filter(isPast).map(storedDay);
  const body = JSON.stringify(manifest);
  return { channelBody, days, pastCount, body, hash: sha256(body) };
}

function storedDay(d: MirroredDay): StoredDay {
  return {
    date: d.date,
    version: d.version,
    publishedAt: d.publishedAt,
    startMs: d.startMs,
    endMs: d.endMs,
    key: d.key,
  };
}

const refCount = (mirror: Mirror, lessonId: string) => mirror.lessonRefs.get(lessonId) ?? 0;

function setRefCount(mirror: Mirror, lessonId: string, count: number): void {
  if (count > 0) mirror.lessonRefs.set(lessonId, count);
  else mirror.lessonRefs.delete(lessonId);
}

/** The lessons the current day versions name, once the planned ones replace theirs. */
function namedLessons(mirror: Mirror, refDelta: Map<string, number>): string[] {
  const ids = new Set(mirror.lessonRefs.keys());
  for (const [id, d] of refDelta) {
    if (refCount(mirror, id) + d > 0) ids.add(id);
    else ids.delete(id);
  }
  return [...ids];
}

function packagedLessonsBody(db: Db): string {
  return JSON.stringify(Object.fromEntries(packagedLessonAssets(db).map((l) => [l.lessonId, l.assetId])));
}

function guideLessonsBody(db: Db, lessonIds: string[]): string {
  const lessons = getLessons(db, lessonIds).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return JSON.stringify(Object.fromEntries(lessons.map((l) => [l.id, toGuideLesson(l)])));
}

/** The StoredGuide of this moment: the guide store's states, the suspensions, the lessons the days name. */
function plannedGuide(db: Db, guide: GuideStates, lessonsBody: string): NonNullable<SyncPlan['guide']> {
  const channels = guide.channelsState();
  const catalog = guide.catalogState();
  const suspensions = listSuspensions(db);
  return {
    lessonsBody,
    body: (lessonsKey) =>
      JSON.stringify({
        format: STORE_FORMAT,
        channels,
        catalog,
        suspensions,
        lessons: lessonsKey,
      } satisfies StoredGuide),
  };
}

import type { DaySnapshot } from '../../playlists/model.ts';
import { getLessons } from '../catalog/lessons-repository.ts';
import { parseDayInSlices } from '../guide/day-json-slices.ts';
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
import { dayVersionsBetween, lastDayVersionRow, type DayVersionRow } from './store-sync-repository.ts';

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
 * Runs one small unit of synchronous work in a later turn of the event loop and resolves with its result (the
 * guides' paced lane, guide-renderings.ts `unit`, in the control plane). A plan is a series of such units, so that
 * no turn of a sync holds the event loop for long, whatever the length of the history.
 */
export type Step = <T>(work: () => T) => Promise<T>;

/** Day version keys (never bodies) read in one step: a seek and a short scan. */
const SYNC_KEY_ROWS = 1_000;
/** Day bodies read, hashed and parsed in one step: at most this many, and no more once SYNC_SLICE_CHARS are read. */
export const SYNC_SLICE_DAYS = 8;
const SYNC_SLICE_CHARS = 128 * 1024;

/** The mutable state a plan pairs with the days: read together in its first step (one instant of the database). */
interface PlanStart {
  /** The highest day_snapshots rowid: the plan reads day versions up to it, whatever is inserted meanwhile. */
  top: number;
  channels: Array<{ id: string; body: string }>;
  fingerprint: string | undefined;
  lessons: { fingerprint: string; body: string };
  guide?: Omit<NonNullable<SyncPlan['guide']>, 'lessonsBody'> & { lessonsBody?: string };
}

/**
 * Plans a sync in small steps, as consistent as one synchronous read of the database: the first step reads the
 * highest day version row and the mutable state the manifests pair with the days (channel documents, the guide's
 * states, the suspensions, the packaged lessons); the next ones read the day versions inserted after the mirror's
 * last row up to that row, keys first and then the bodies of the newest, a slice at a time (versions are only ever
 * appended, so what they read is what the first step would have read); the manifests are built a channel a step.
 * A mirror ahead of the table (rows deleted: a restored database) is dropped and everything planned again.
 */
export async function planSync(
  db: Db,
  from: Mirror,
  nowMs: number,
  guide: GuideStates | undefined,
  step: Step,
): Promise<SyncPlan> {
  const begun = await startOfPlan(db, from, guide, step);
  const mirror = begun.top < from.lastRow ? emptyMirror() : from;
  const { examined, rows } = await newestVersions(db, mirror, begun.top, step);
  const newDays = await readDays(db, rows, step);
  const changed = new Map<string, Map<string, MirroredDay>>();
  const refDelta = new Map<string, number>();
  for (const { day } of newDays) {
    const old = mirror.days.get(day.channelId)?.get(day.date);
    let days = changed.get(day.channelId);
    if (!days) changed.set(day.channelId, (days = new Map(mirror.days.get(day.channelId))));
    days.set(day.date, day);
    for (const id of old?.lessonIds ?? []) refDelta.set(id, (refDelta.get(id) ?? 0) - 1);
    for (const id of day.lessonIds) refDelta.set(id, (refDelta.get(id) ?? 0) + 1);
  }
  const sorted = new Map<string, readonly MirroredDay[]>();
  const channels: SyncPlan['channels'] = [];
  for (const { id, body } of begun.channels) {
    const manifest = await step(() => {
      const days = changed.get(id);
      if (days) sorted.set(id, byStart(days));
      return manifestOf(mirror.manifests.get(id), body, sorted.get(id) ?? mirror.sorted.get(id), nowMs);
    });
    channels.push({ id, manifest });
  }
  const { fingerprint, lessons } = begun;
  const lessonSetChanged = [...refDelta].some(
    ([id, d]) => d !== 0 && refCount(mirror, id) > 0 !== refCount(mirror, id) + d > 0,
  );
  const guideLessons =
    !guide || (!lessonSetChanged && mirror.guideLessons?.fingerprint === fingerprint)
      ? mirror.guideLessons
      : await step(() => ({
          // Lessons are read now, not in the first step: a catalog changed meanwhile is planned again next time.
          fingerprint: guide.catalogState().fingerprint === fingerprint ? fingerprint! : '',
          body: guideLessonsBody(db, namedLessons(mirror, refDelta)),
        }));
  const plan: SyncPlan = {
    examined,
    newDays,
    channels,
    lessonsBody: lessons.body,
    commit(target) {
      if (target !== mirror) Object.assign(target, emptyMirror());
      target.lastRow = begun.top;
      for (const [id, days] of changed) target.days.set(id, days);
      for (const [id, days] of sorted) target.sorted.set(id, days);
      for (const [id, d] of refDelta) setRefCount(target, id, refCount(target, id) + d);
      for (const c of channels) target.manifests.set(c.id, c.manifest);
      target.lessons = lessons;
      if (guideLessons) target.guideLessons = guideLessons;
    },
  };
  if (begun.guide && guideLessons) plan.guide = { ...begun.guide, lessonsBody: guideLessons.body };
  return plan;
}

/** The plan's first step: its bound in day_snapshots and everything mutable it pairs with the days. */
async function startOfPlan(db: Db, from: Mirror, guide: GuideStates | undefined, step: Step): Promise<PlanStart> {
  for (;;) {
    const begun = await step(() => {
      // A transaction of this connection still open (an async one): its rows may yet roll back.
      if (db.inTransaction) return undefined;
      const top = lastDayVersionRow(db);
      const fingerprint = guide?.catalogState().fingerprint;
      const lessons =
        fingerprint !== undefined && top >= from.lastRow && from.lessons?.fingerprint === fingerprint
          ? from.lessons
          : { fingerprint: fingerprint ?? '', body: packagedLessonsBody(db) };
      const start: PlanStart = {
        top,
        channels: channelIdsByNumber(db).map((id) => ({ id, body: channelBody(db, id)! })),
        fingerprint,
        lessons,
      };
      if (guide) start.guide = plannedGuide(db, guide);
      return start;
    });
    if (begun) return begun;
  }
}

/**
 * The newest version of each channel-day among the rows after the mirror's last one up to `top`, newer than the
 * mirror's, read SYNC_KEY_ROWS keys a step; and how many rows were looked at.
 */
async function newestVersions(
  db: Db,
  mirror: Mirror,
  top: number,
  step: Step,
): Promise<{ examined: number; rows: DayVersionRow[] }> {
  const newest = new Map<string, DayVersionRow>();
  let examined = 0;
  for (let after = mirror.lastRow; after < top;) {
    const rows = await step(() => dayVersionsBetween(db, after, top, SYNC_KEY_ROWS));
    if (!rows.length) break;
    for (const r of rows) {
      const seen = newest.get(`${r.channelId}/${r.date}`);
      if (!seen || r.version > seen.version) newest.set(`${r.channelId}/${r.date}`, r);
    }
    examined += rows.length;
    after = rows.at(-1)!.row;
  }
  const rows = [...newest.values()].filter((r) => {
    const old = mirror.days.get(r.channelId)?.get(r.date);
    return !old || old.version < r.version;
  });
  return { examined, rows };
}

/**
 * The bodies of `rows`, read, hashed and parsed a slice a step (SYNC_SLICE_DAYS, SYNC_SLICE_CHARS); a body longer
 * than a slice (a dense day) is parsed in slices of its own (day-json-slices.ts) and hashed in a step of its own.
 */
async function readDays(db: Db, rows: DayVersionRow[], step: Step): Promise<SyncPlan['newDays']> {
  const out: SyncPlan['newDays'] = [];
  let next = 0;
  while (next < rows.length) {
    const slice = await step(() => {
      const read: Array<{ row: DayVersionRow; body: string; day?: MirroredDay }> = [];
      let chars = 0;
      while (next < rows.length && read.length < SYNC_SLICE_DAYS && chars < SYNC_SLICE_CHARS) {
        const row = rows[next++]!;
        const body = daySnapshotBody(db, row.channelId, row.date, row.version)!;
        chars += body.length;
        const small = body.length <= SYNC_SLICE_CHARS;
        read.push({ row, body, ...(small && { day: mirroredDay(row, body, JSON.parse(body) as DaySnapshot) }) });
      }
      return read;
    });
    for (const { row, body, day } of slice) {
      if (day) out.push({ day, body });
      else {
        const snapshot = await parseDayInSlices(body, step);
        out.push({ day: await step(() => mirroredDay(row, body, snapshot)), body });
      }
    }
  }
  return out;
}

function mirroredDay(r: DayVersionRow, body: string, snapshot: DaySnapshot): MirroredDay {
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

/** The StoredGuide of this moment but its lessons: the guide store's states and the suspensions. */
function plannedGuide(db: Db, guide: GuideStates): NonNullable<PlanStart['guide']> {
  const channels = guide.channelsState();
  const catalog = guide.catalogState();
  const suspensions = listSuspensions(db);
  return {
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

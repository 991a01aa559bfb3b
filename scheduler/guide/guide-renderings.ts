import { LRUCache } from 'lru-cache';
import pLimit from 'p-limit';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn, setTimeout as rest } from 'node:timers/promises';
import { partitionPoint } from '../../playlists/binary-search.ts';
import { guideProgramme } from '../../playlists/guide-json.ts';
import { awaitsMedia, mergeSlateRuns } from '../../playlists/guide-items.ts';
import type { GuideChannel } from '../../playlists/guide-types.ts';
import type { DaySnapshot, Instant } from '../../playlists/model.ts';
import { escapeXml, xmltvDay, xmltvProgrammes } from '../../playlists/xmltv.ts';
import type { GuideDayKey, GuideStore } from './guide-store.ts';

/**
 * Rendered pieces of published days, made so that no guide request holds the event loop for long, however dense
 * the schedule (a demo carousel of 12 s clips is ~7,000 programmes a channel-day):
 * - the unit of rendering is one channel-day version (immutable once published), cut into slices of at most
 *   SLICE_ITEMS programmes; units (parsing a day's JSON, rendering a slice) run one at a time in a paced lane;
 * - rendered pieces (XMLTV `<programme>` blocks, guide-JSON programmes, and whole calendar and timetable bodies by
 *   ETag) are kept in LRU caches bounded by bytes,
 *   one per kind (a week of dense XMLTV streamed through its cache does not evict the TV app's guide pages),
 *   keyed by day version and catalog fingerprint (and base URL where a guide-JSON piece holds absolute URLs; XMLTV
 *   blocks are the same for every host, the base URL put in as they are written);
 * - concurrent requests for a piece being rendered share the one rendering.
 */

/**
 * XMLTV blocks are rendered once for every host: absolute URLs (poster icons) are rendered on this base, cut out,
 * and the block keeps BASE_MARK (compared by identity) where the request's base URL goes.
 */
const BASE_PLACEHOLDER = 'http://aerial-base.invalid';
const BASE_MARK = Buffer.from(BASE_PLACEHOLDER);

/** Programmes rendered in one go: 50 programmes are 1–2 ms of XMLTV or JSON on one core. */
export const SLICE_ITEMS = 50;
/** Rendered pieces kept: XMLTV blocks as UTF-8 bytes, guide-JSON text at two bytes per UTF-16 code unit. */
const RENDER_CACHE_BYTES = 128 * 1024 * 1024;

/** Programmes of one channel-day for `/api/guide`: JSON text per programme, with its start and end for slicing. */
export interface GuideDayPiece {
  startMs: Instant[];
  endMs: Instant[];
  json: string[];
  /** The day holds slots waiting for their lesson's media (guide-items.ts `awaitsMedia`). */
  awaitsMedia: boolean;
}

export interface GuideRenderings {
  /**
   * XMLTV `<programme>` blocks of a channel-day, in order (concatenated, they are the day's programmes; poster
   * icons on `baseUrl`), UTF-8 encoded once: kept outside the JavaScript heap, the cache costs the garbage
   * collector nothing, and a request writes the bytes as they are.
   */
  xmltvDay(
    channel: GuideChannel,
    key: GuideDayKey,
    catalogFingerprint: string,
    baseUrl: string,
  ): Promise<readonly Buffer[]>;
  /** Guide-JSON programmes of a channel-day (catch-up URLs on `baseUrl`). */
  guideDay(
    channel: GuideChannel,
    key: GuideDayKey,
    catalogFingerprint: string,
    baseUrl: string,
  ): Promise<GuideDayPiece>;
  /** What `/api/notices` needs of a day: its identity, end and suspension notice. */
  dayNotice(key: GuideDayKey): Promise<DayNotice>;
  /**
   * A whole body that is a function of `key` alone (an iCalendar or timetable page by its ETag): rendered once,
   * then kept with the day pieces.
   */
  body(key: string, render: () => Promise<string>): Promise<string>;
}

export type DayNotice = Pick<DaySnapshot, 'channelId' | 'date' | 'endMs' | 'notice'>;

/**
 * One lane for every unit of guide work in the process: however many guide requests run at once, one unit runs
 * at a time, with a turn of the event loop after each (pending I/O is served between any two units). Once the
 * units since the last rest have taken PACE_MS, the lane rests as long: guide rendering takes at most about half
 * of the event loop, and a live playlist request (which needs several turns: accept, read, answer) finds the loop
 * free in the rests instead of waiting behind one unit per turn.
 */
const lane = pLimit(1);
const PACE_MS = 10;
let workedMs = 0;

/** Runs `work` (one small unit) in the lane, then gives the event loop a turn, or a rest after PACE_MS of work. */
export function unit<T>(work: () => T): Promise<T> {
  return lane(async () => {
    const started = performance.now();
    const result = work();
    workedMs += performance.now() - started;
    if (workedMs < PACE_MS) {
      await nextTurn();
    } else {
      const restMs = Math.ceil(workedMs);
      workedMs = 0;
      await rest(restMs);
    }
    return result;
  });
}

type Piece = readonly Buffer[] | GuideDayPiece | DayNotice | string;

function pieceBytes(piece: Piece): number {
  if (typeof piece === 'string') return 64 + 2 * piece.length;
  if (isBlocks(piece)) return piece.reduce((bytes, block) => bytes + block.byteLength + 64, 64);
  if ('json' in piece) return textBytes(piece.json) + 16 * piece.json.length;
  return 256 + 2 * JSON.stringify(piece.notice ?? null).length;
}

function isBlocks(piece: Piece): piece is readonly Buffer[] {
  return Array.isArray(piece);
}

function textBytes(texts: readonly string[]): number {
  let bytes = 64;
  for (const text of texts) bytes += 2 * text.length + 16;
  return bytes;
}

export function createGuideRenderings(
  store: GuideStore,
  onRender: (kind: 'xmltv' | 'json') => void = () => {},
): GuideRenderings {
  const caches = {
    xmltv: new LRUCache<string, Piece>({ maxSize: RENDER_CACHE_BYTES, sizeCalculation: pieceBytes }),
    json: new LRUCache<string, Piece>({ maxSize: RENDER_CACHE_BYTES / 2, sizeCalculation: pieceBytes }),
    notice: new LRUCache<string, Piece>({ maxSize: RENDER_CACHE_BYTES / 64, sizeCalculation: pieceBytes }),
    body: new LRUCache<string, Piece>({ maxSize: RENDER_CACHE_BYTES / 8, sizeCalculation: pieceBytes }),
  };
  const cacheOf = (key: string) => caches[key.slice(0, key.indexOf('\u0000')) as keyof typeof caches];
  const pending = new Map<string, Promise<Piece>>();

  /** The cached piece, the rendering in progress, or a new rendering (shared until it is done). */
  function piece<T extends Piece>(key: string, render: () => Promise<T>): Promise<T> {
    const cache = cacheOf(key);
    const cached = cache.get(key) ?? pending.get(key);
    if (cached) return Promise.resolve(cached as T);
    const rendering = render()
      .then((done) => {
        if (pieceBytes(done) <= cache.maxSize / 8) cache.set(key, done);
        return done;
      })
      .finally(() => pending.delete(key));
    pending.set(key, rendering);
    return rendering;
  }

  /** The day's snapshot: read in one unit, parsed in slices of units (a dense day is ~2 MB of JSON). */
  const load = (key: GuideDayKey): Promise<DaySnapshot> => store.snapshotInSteps(key, unit);

  const dayId = (key: GuideDayKey, catalogFingerprint: string) =>
    `${key.channelId}\u0000${key.date}\u0000${key.version}\u0000${catalogFingerprint}`;

  /** A channel-day's XMLTV blocks for every host: the base URL's places hold BASE_MARK. */
  const hostlessXmltvDay = (channel: GuideChannel, key: GuideDayKey, catalogFingerprint: string) =>
    piece(`xmltv\u0000${dayId(key, catalogFingerprint)}`, async () => {
      onRender('xmltv');
      const snapshot = await load(key);
      const { day, lessons } = await unit(() => ({
        day: xmltvDay(channel, snapshot, BASE_PLACEHOLDER),
        lessons: store.lessonsOf([snapshot]),
      }));
      const blocks: Buffer[] = [];
      for (let from = 0; from < day.items.length; from += SLICE_ITEMS) {
        await unit(() => {
          const parts = xmltvProgrammes(day, lessons, from, from + SLICE_ITEMS).split(BASE_PLACEHOLDER);
          parts.forEach((part, i) => blocks.push(...(i > 0 ? [BASE_MARK] : []), Buffer.from(part)));
        });
      }
      return blocks;
    });

  return {
    async xmltvDay(channel, key, catalogFingerprint, baseUrl) {
      const blocks = await hostlessXmltvDay(channel, key, catalogFingerprint);
      // As absoluteUrl joins a base and a path: the base without its trailing slashes.
      const base = Buffer.from(escapeXml(baseUrl.replace(/\/+$/, '')));
      return blocks.map((block) => (block === BASE_MARK ? base : block));
    },
    guideDay: (channel, key, catalogFingerprint, baseUrl) =>
      piece(`json\u0000${baseUrl}\u0000${dayId(key, catalogFingerprint)}`, async () => {
        onRender('json');
        const snapshot = await load(key);
        const { items, lessons } = await unit(() => ({
          items: mergeSlateRuns(snapshot.items),
          lessons: store.lessonsOf([snapshot]),
        }));
        const out: GuideDayPiece = { startMs: [], endMs: [], json: [], awaitsMedia: awaitsMedia(snapshot) };
        for (let from = 0; from < items.length; from += SLICE_ITEMS) {
          await unit(() => {
            for (const item of items.slice(from, from + SLICE_ITEMS)) {
              const lesson = item.lessonId ? lessons.get(item.lessonId) : undefined;
              out.startMs.push(item.startMs);
              out.endMs.push(item.startMs + item.durationMs);
              out.json.push(JSON.stringify(guideProgramme(channel, item, lesson, baseUrl)));
            }
          });
        }
        return out;
      }),
    body: (key, render) => piece(`body\u0000${key}`, render),
    dayNotice: (key) =>
      piece(`notice\u0000${dayId(key, '')}`, async () => {
        const { channelId, date, endMs, notice } = await load(key);
        return notice ? { channelId, date, endMs, notice } : { channelId, date, endMs };
      }),
  };
}

/** Indexes [first, end) of the programmes of a day piece overlapping [fromMs, toMs) (programmes are in order). */
export function overlapping(piece: GuideDayPiece, fromMs: Instant, toMs: Instant): { first: number; end: number } {
  const first = partitionPoint(0, piece.endMs.length, (i) => piece.endMs[i]! > fromMs);
  const end = partitionPoint(first, piece.startMs.length, (i) => piece.startMs[i]! >= toMs);
  return { first, end };
}

/** The days' snapshots, each read and parsed in units (a dense day is ~2 MB of JSON). */
export async function loadDays(store: GuideStore, keys: readonly GuideDayKey[]): Promise<DaySnapshot[]> {
  const days: DaySnapshot[] = [];
  for (const key of keys) days.push(await store.snapshotInSteps(key, unit));
  return days;
}

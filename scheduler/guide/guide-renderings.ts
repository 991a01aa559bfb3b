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
 * - the unit of rendering is one channel-day version (immutable once published), cut into slices that end after
 *   UNIT_BUDGET_MS or SLICE_ITEMS programmes, whichever comes first (on a loaded machine a slice is shorter, not
 *   longer); units (reading and parsing a day's JSON, rendering a slice) run one at a time in a paced lane;
 * - rendered pieces (XMLTV `<programme>` blocks, guide-JSON programmes, and whole calendar and timetable bodies by
 *   ETag) are kept in LRU caches bounded by bytes,
 *   one per kind (a week of dense XMLTV streamed through its cache does not evict the TV app's guide pages),
 *   keyed by day version and catalog fingerprint (and base URL where a guide-JSON piece holds absolute URLs; XMLTV
 *   blocks are the same for every host, the base URL put in as they are written);
 * - an XMLTV request keeps at most XMLTV_KEEP_BYTES of newly rendered days: past that (a fortnight of a dense
 *   schedule is ~800 MB), days are rendered slice by slice as the client reads them and kept nowhere, so a document
 *   larger than the cache neither churns it (every day evicted before it is asked again) nor sits in memory;
 * - concurrent requests for a piece being rendered (and kept) share the one rendering.
 */

/**
 * XMLTV blocks are rendered once for every host: absolute URLs (poster icons) are rendered on this base, cut out,
 * and the block keeps BASE_MARK (compared by identity) where the request's base URL goes.
 */
const BASE_PLACEHOLDER = 'http://aerial-base.invalid';
const BASE_MARK = Buffer.from(BASE_PLACEHOLDER);

/** Most programmes rendered in one unit: 50 programmes are 1–2 ms of XMLTV or JSON on one idle core. */
const SLICE_ITEMS = 50;
/** A unit of rendering stops after this long (after one programme at least), however slow the machine is now. */
const UNIT_BUDGET_MS = 4;
/** XMLTV text gathered into one block before it is encoded (fewer, larger writes to the socket and gzip). */
const BLOCK_CHARS = 32 * 1024;
/** Rendered pieces kept per kind, XMLTV blocks and guide-JSON programmes alike as UTF-8 bytes. */
const RENDER_CACHE_BYTES = 128 * 1024 * 1024;
/** Newly rendered XMLTV one request (or the warm-up) may keep: half the XMLTV cache. */
const XMLTV_KEEP_BYTES = RENDER_CACHE_BYTES / 2;

/**
 * What one XMLTV request may still add to the cache, in bytes (XMLTV_KEEP_BYTES to start with). Days served
 * from the cache count too, so the same request keeps the same leading days every time.
 */
export interface XmltvAllowance {
  bytes: number;
}

/**
 * Programmes of one channel-day for `/api/guide`, with their starts and ends for slicing: their JSON as UTF-8 bytes,
 * each programme followed by a comma, kept outside the JavaScript heap (a dense day is ~5 MB) and written as it is.
 */
export interface GuideDayPiece {
  startMs: Float64Array;
  endMs: Float64Array;
  bytes: Buffer;
  /** Where each programme's JSON starts in `bytes`; one more entry, `bytes.length`, at the end. */
  offsets: Uint32Array;
  /** The day holds slots waiting for their lesson's media (guide-items.ts `awaitsMedia`). */
  awaitsMedia: boolean;
}

/** The JSON of programmes [first, end) of a day piece, comma-separated (empty when first === end). */
export function programmesJson(piece: GuideDayPiece, first: number, end: number): Buffer {
  return first < end ? piece.bytes.subarray(piece.offsets[first], piece.offsets[end]! - 1) : Buffer.alloc(0);
}

export interface GuideRenderings {
  /** A fresh allowance for one XMLTV request (see XmltvAllowance). */
  xmltvAllowance(): XmltvAllowance;
  /**
   * XMLTV `<programme>` blocks of a channel-day, in order (concatenated, they are the day's programmes; poster
   * icons on `baseUrl`), UTF-8 encoded: kept outside the JavaScript heap, the cache costs the garbage collector
   * nothing, and a request writes the bytes as they are. From the cache, or rendered and kept while `allowance`
   * lasts; past it, rendered slice by slice as the caller pulls (the caller's pace is the socket's) and not kept.
   */
  xmltvDay(
    channel: GuideChannel,
    key: GuideDayKey,
    catalogFingerprint: string,
    baseUrl: string,
    allowance: XmltvAllowance,
  ): AsyncGenerator<Buffer>;
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

/**
 * Calls `each(i)` for i from `from` on, until `count`, SLICE_ITEMS calls or UNIT_BUDGET_MS (one call at least):
 * the body of one unit of rendering. Returns where the next unit starts.
 */
function budgeted(from: number, count: number, each: (i: number) => void): number {
  const started = performance.now();
  let i = from;
  do each(i++);
  while (i < count && i - from < SLICE_ITEMS && performance.now() - started < UNIT_BUDGET_MS);
  return i;
}

type Piece = readonly Buffer[] | GuideDayPiece | DayNotice | string;

function pieceBytes(piece: Piece): number {
  if (typeof piece === 'string') return 64 + 2 * piece.length;
  if (isBlocks(piece)) return piece.reduce((bytes, block) => bytes + block.byteLength + 64, 64);
  if ('bytes' in piece) return 256 + piece.bytes.byteLength + 20 * piece.offsets.length;
  return 256 + 2 * JSON.stringify(piece.notice ?? null).length;
}

function isBlocks(piece: Piece): piece is readonly Buffer[] {
  return Array.isArray(piece);
}

/** The LRU caches of rendered pieces, one per kind, and the renderings in progress. */
function pieceCaches() {
  const caches = {
    xmltv: new LRUCache<string, Piece>({ maxSize: RENDER_CACHE_BYTES, sizeCalculation: pieceBytes }),
    json: new LRUCache<string, Piece>({ maxSize: RENDER_CACHE_BYTES, sizeCalculation: pieceBytes }),
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
  /** Whether the piece is cached or being rendered. */
  const holds = (key: string) => cacheOf(key).has(key) || pending.has(key);
  return { piece, holds };
}

/** The day's snapshot: read in one unit, parsed in slices of units (a dense day is ~2 MB of JSON). */
const load = (store: GuideStore, key: GuideDayKey): Promise<DaySnapshot> => store.snapshotInSteps(key, unit);

/** A channel-day's XMLTV blocks for every host (the base URL's places hold BASE_MARK), a few per unit. */
async function* renderXmltvDay(store: GuideStore, channel: GuideChannel, key: GuideDayKey): AsyncGenerator<Buffer[]> {
  const snapshot = await load(store, key);
  const { day, lessons } = await unit(() => ({
    day: xmltvDay(channel, snapshot, BASE_PLACEHOLDER),
    lessons: store.lessonsOf([snapshot]),
  }));
  let text = '';
  for (let from = 0; from < day.items.length;) {
    const blocks = await unit(() => {
      from = budgeted(from, day.items.length, (i) => (text += xmltvProgrammes(day, lessons, i, i + 1)));
      if (text.length < BLOCK_CHARS && from < day.items.length) return [];
      const done = hostlessBlocks(text);
      text = '';
      return done;
    });
    if (blocks.length > 0) yield blocks;
  }
}

export function createGuideRenderings(
  store: GuideStore,
  onRender: (kind: 'xmltv' | 'json') => void = () => {},
  /** Newly rendered XMLTV bytes one request keeps (tests make it small). */
  xmltvKeepBytes = XMLTV_KEEP_BYTES,
): GuideRenderings {
  const { piece, holds } = pieceCaches();
  const renderXmltv = (channel: GuideChannel, key: GuideDayKey) => {
    onRender('xmltv');
    return renderXmltvDay(store, channel, key);
  };

  const dayId = (key: GuideDayKey, catalogFingerprint: string) =>
    `${key.channelId}\u0000${key.date}\u0000${key.version}\u0000${catalogFingerprint}`;

  /** A channel-day's XMLTV blocks for every host, rendered whole and kept (concurrent requests share it). */
  const keptXmltvDay = (channel: GuideChannel, key: GuideDayKey, catalogFingerprint: string) =>
    piece(`xmltv\u0000${dayId(key, catalogFingerprint)}`, async () => {
      const blocks: Buffer[] = [];
      for await (const some of renderXmltv(channel, key)) blocks.push(...some);
      return blocks as readonly Buffer[];
    });

  return {
    xmltvAllowance: () => ({ bytes: xmltvKeepBytes }),
    async *xmltvDay(channel, key, catalogFingerprint, baseUrl, allowance) {
      // As absoluteUrl joins a base and a path: the base without its trailing slashes.
      const base = Buffer.from(escapeXml(baseUrl.replace(/\/+$/, '')));
      const id = `xmltv\u0000${dayId(key, catalogFingerprint)}`;
      if (allowance.bytes > 0 || holds(id)) {
        const blocks = await keptXmltvDay(channel, key, catalogFingerprint);
        allowance.bytes -= pieceBytes(blocks);
        for (const block of blocks) yield block === BASE_MARK ? base : block;
        return;
      }
      for await (const blocks of renderXmltv(channel, key)) {
        for (const block of blocks) yield block === BASE_MARK ? base : block;
      }
    },
    guideDay: (channel, key, catalogFingerprint, baseUrl) =>
      piece(`json\u0000${baseUrl}\u0000${dayId(key, catalogFingerprint)}`, () => {
        onRender('json');
        return renderGuideDay(store, channel, key, baseUrl);
      }),
    body: (key, render) => piece(`body\u0000${key}`, render),
    dayNotice: (key) =>
      piece(`notice\u0000${dayId(key, '')}`, async () => {
        // The day's key has its end; its notice is read alone (parsing a dense day's programmes takes many units).
        const { channelId, date, endMs } = key;
        const notice = await store.noticeInStep(key, unit);
        return notice ? { channelId, date, endMs, notice } : { channelId, date, endMs };
      }),
  };
}

/** A channel-day's guide-JSON programmes (catch-up URLs on `baseUrl`), a slice per unit. */
async function renderGuideDay(
  store: GuideStore,
  channel: GuideChannel,
  key: GuideDayKey,
  baseUrl: string,
): Promise<GuideDayPiece> {
  const snapshot = await load(store, key);
  const { items, lessons } = await unit(() => ({
    items: mergeSlateRuns(snapshot.items),
    lessons: store.lessonsOf([snapshot]),
  }));
  const startMs = new Float64Array(items.length);
  const endMs = new Float64Array(items.length);
  const offsets = new Uint32Array(items.length + 1);
  const chunks: Buffer[] = [];
  let bytes = 0;
  for (let from = 0; from < items.length;) {
    from = await unit(() => {
      let text = '';
      const next = budgeted(from, items.length, (i) => {
        const item = items[i]!;
        const lesson = item.lessonId ? lessons.get(item.lessonId) : undefined;
        const json = `${JSON.stringify(guideProgramme(channel, item, lesson, baseUrl))},`;
        startMs[i] = item.startMs;
        endMs[i] = item.startMs + item.durationMs;
        offsets[i] = bytes;
        bytes += Buffer.byteLength(json);
        text += json;
      });
      chunks.push(Buffer.from(text));
      return next;
    });
  }
  offsets[items.length] = bytes;
  // One copy of the day's bytes (a few MB: about a millisecond).
  const all = await unit(() => Buffer.concat(chunks, bytes));
  return { startMs, endMs, bytes: all, offsets, awaitsMedia: awaitsMedia(snapshot) };
}

/** XMLTV text as UTF-8 blocks, BASE_MARK where the placeholder base URL was. */
function hostlessBlocks(text: string): Buffer[] {
  const blocks: Buffer[] = [];
  text.split(BASE_PLACEHOLDER).forEach((part, i) => {
    if (i > 0) blocks.push(BASE_MARK);
    if (part) blocks.push(Buffer.from(part));
  });
  return blocks;
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

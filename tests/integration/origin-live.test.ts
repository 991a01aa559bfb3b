import * as HLS from 'hls-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduledItem } from '../../playlists/model.ts';
import { fixedClock } from '../../scheduler/clock.ts';
import { publishedDaysOverlapping } from '../helpers/snapshot-history.ts';
import { makeOriginWorld, rawRequest, type OriginWorld, type RunningOrigin } from './origin-fixtures.ts';

HLS.setOptions({ strictMode: true });
type MediaPlaylist = HLS.types.MediaPlaylist;
type MasterPlaylist = HLS.types.MasterPlaylist;

// 2026-11-23 08:05:10 Asia/Shanghai (00:05:10Z): inside the test channel's programme block (08:00–09:00 local).
const NOW = Date.parse('2026-11-23T00:05:10Z');
const RENDITIONS = ['360p', '240p', 'audio'];

let data: OriginWorld;
let clock: ReturnType<typeof fixedClock>;
let first: RunningOrigin;
let second: RunningOrigin;
let items: ScheduledItem[];

async function get(origin: RunningOrigin, path: string) {
  const res = await rawRequest(origin.baseUrl, path);
  return { ...res, text: res.body.toString() };
}

async function media(origin: RunningOrigin, path: string): Promise<MediaPlaylist> {
  const res = await get(origin, path);
  expect(res.status, `${path}: ${res.text}`).toBe(200);
  return HLS.parse(res.text) as MediaPlaylist;
}

async function problemOf(path: string) {
  const res = await get(first, path);
  return {
    status: res.status,
    body: JSON.parse(res.text) as { error: string; problems?: { field?: string; reason: string }[] },
    headers: res.headers,
  };
}

/** An item of the test channel by predicate, from what was published. */
function itemWhere(predicate: (item: ScheduledItem) => boolean): ScheduledItem {
  const found = items.find(predicate);
  if (!found) throw new Error('no such item in the fixture');
  return found;
}

beforeAll(async () => {
  data = makeOriginWorld({
    lessons: [{ lessonId: 'math-3-1-1-1', assetId: 'lesson-a' }],
    assets: [
      { id: 'slate', kind: 'slate', title: '稍后回来', segmentMs: Array(10).fill(1000) },
      {
        id: 'lesson-a',
        kind: 'lesson',
        title: '课 A',
        segmentMs: [6000, 6000, 6000, 6000, 2400],
        lessonId: 'math-3-1-1-1',
      },
      { id: 'lesson-b', kind: 'lesson', title: '课 B', segmentMs: [6000, 6000, 6000, 3000] },
    ],
    channels: [
      {
        id: 't1',
        number: 1,
        assets: ['lesson-a', 'lesson-b'],
        firstSlot: '08:00',
        lastSlot: '09:00',
        everyMinutes: 1,
        publish: { fromDate: '2026-11-21', days: 4, atMs: NOW - 5 * 86_400_000 },
      },
      { id: 't2', number: 2, assets: ['lesson-a'], firstSlot: '08:00', lastSlot: '08:10', everyMinutes: 1 },
    ],
  });
  items = publishedDaysOverlapping(data.db, 't1', NOW - 2 * 86_400_000, NOW + 86_400_000).flatMap((d) => d.items);
  clock = fixedClock(NOW);
  // Two independent app instances on the same data: what a second process, or a restart, would serve.
  first = await data.start(clock);
  second = await data.start(clock);
});

afterAll(() => data?.close());

describe('live playlists', () => {
  it('two app instances return identical bytes at the same instant', async () => {
    const paths = [
      '/live/t1/master.m3u8',
      ...RENDITIONS.map((r) => `/live/t1/${r}.m3u8`),
      `/live/t1/360p.m3u8?start=${encodeURIComponent('2026-11-23T00:01:00Z')}`,
    ];
    for (const at of [NOW, NOW + 1_000, NOW + 37_123, NOW + 6 * 3_600_000]) {
      clock.set(at);
      for (const path of paths) {
        const a = await get(first, path);
        const b = await get(second, path);
        expect(a.status, path).toBe(200);
        expect(a.text, `${path} at ${new Date(at).toISOString()}`).toBe(b.text);
      }
    }
    clock.set(NOW);
  });

  it('master lists every video rendition with its attributes plus the audio-only variant', async () => {
    const res = await get(first, '/live/t1/master.m3u8');
    const master = HLS.parse(res.text) as MasterPlaylist;
    expect(master.isMasterPlaylist).toBe(true);
    expect(master.variants.map((v) => v.uri)).toEqual(['360p.m3u8', '240p.m3u8', 'audio.m3u8']);
    const [hd, , audioOnly] = master.variants;
    expect(hd).toMatchObject({
      bandwidth: 900_000,
      averageBandwidth: 700_000,
      resolution: { width: 640, height: 360 },
      frameRate: 25,
    });
    expect(audioOnly!.codecs).toBe('mp4a.40.2');
    expect(audioOnly!.resolution).toBeUndefined();
  });

  it('shows what is on air now: the last aired segments, PDT from the published schedule, all renditions in step', async () => {
    const playlists = await Promise.all(RENDITIONS.map((r) => media(first, `/live/t1/${r}.m3u8`)));
    const [video] = playlists;
    expect(video!.playlistType).toBeUndefined();
    expect(video!.endlist).toBe(false);
    expect(video!.segments.length).toBeGreaterThanOrEqual(6);
    const last = video!.segments[video!.segments.length - 1]!;
    const lastEnd = last.programDateTime!.getTime() + Math.round(last.duration * 1000);
    expect(lastEnd).toBeLessThanOrEqual(NOW);
    expect(lastEnd).toBeGreaterThan(NOW - 6_000);
    // Every segment belongs to the published item airing at its PDT, and an item that starts inside the
    // window starts exactly at its published start (the guide never lies).
    for (const segment of video!.segments) {
      const pdt = segment.programDateTime!.getTime();
      const item = itemWhere((i) => i.startMs <= pdt && pdt < i.startMs + i.durationMs);
      expect(segment.uri).toMatch(new RegExp(`^/media/${item.assetId}/360p/seg\\d{5}\\.ts$`));
    }
    const windowStart = video!.segments[0]!.programDateTime!.getTime();
    const starting = items.filter((i) => i.startMs > windowStart && i.startMs < lastEnd);
    expect(starting.length).toBeGreaterThan(0);
    for (const item of starting) {
      const at = video!.segments.find((s) => s.programDateTime!.getTime() === item.startMs);
      expect(at?.uri, item.id).toBe(`/media/${item.assetId}/360p/seg${String(item.segmentOffset).padStart(5, '0')}.ts`);
      expect(at?.discontinuity, item.id).toBe(true);
    }
    for (const other of playlists.slice(1)) {
      expect(other.mediaSequenceBase).toBe(video!.mediaSequenceBase);
      expect(other.discontinuitySequenceBase).toBe(video!.discontinuitySequenceBase);
      expect(other.segments.map((s) => s.programDateTime!.getTime())).toEqual(
        video!.segments.map((s) => s.programDateTime!.getTime()),
      );
    }
  });

  it('slides: a later instant drops old segments and adds new ones with growing sequence numbers', async () => {
    const before = await media(first, '/live/t1/360p.m3u8');
    clock.set(NOW + 30_000);
    const after = await media(first, '/live/t1/360p.m3u8');
    clock.set(NOW);
    expect(after.mediaSequenceBase!).toBeGreaterThan(before.mediaSequenceBase!);
    expect(after.discontinuitySequenceBase!).toBeGreaterThanOrEqual(before.discontinuitySequenceBase!);
    const lastBefore = before.segments[before.segments.length - 1]!;
    const lastAfter = after.segments[after.segments.length - 1]!;
    expect(lastAfter.programDateTime!.getTime()).toBeGreaterThan(lastBefore.programDateTime!.getTime());
  });

  it('off-air hours are slate, never an error', async () => {
    clock.set(Date.parse('2026-11-23T12:00:00Z')); // 20:00 local: nothing scheduled
    const playlist = await media(first, '/live/t1/360p.m3u8');
    clock.set(NOW);
    expect(playlist.segments.every((s) => s.uri.startsWith('/media/slate/360p/'))).toBe(true);
  });

  it('a configured channel with nothing published yet answers 503 with Retry-After and a message', async () => {
    const res = await problemOf('/live/t2/360p.m3u8');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('30');
    expect(res.body.error).toMatch(/channel t2 has no published schedule at 2026-11-23T00:05:10.000Z/);
  });
});

describe('start-over (?start=)', () => {
  it('from an ISO instant: the playlist begins with the segment on air then and grows to now', async () => {
    const startMs = NOW - 3 * 3_600_000;
    const playlist = await media(
      first,
      `/live/t1/360p.m3u8?start=${encodeURIComponent(new Date(startMs).toISOString())}`,
    );
    const head = playlist.segments[0]!;
    expect(head.programDateTime!.getTime()).toBeLessThanOrEqual(startMs);
    expect(head.programDateTime!.getTime() + head.duration * 1000).toBeGreaterThan(startMs);
    const live = await media(first, '/live/t1/360p.m3u8');
    expect(playlist.segments[playlist.segments.length - 1]!.uri).toBe(live.segments[live.segments.length - 1]!.uri);
    expect(playlist.mediaSequenceBase! + playlist.segments.length).toBe(live.mediaSequenceBase! + live.segments.length);
  });

  it('from a programme id: the playlist begins at that programme, and the master carries the start to its variants', async () => {
    const programme = itemWhere(
      (i) => i.assetId === 'lesson-b' && i.startMs > NOW - 20 * 3_600_000 && i.startMs + i.durationMs < NOW - 60_000,
    );
    const playlist = await media(first, `/live/t1/audio.m3u8?start=${programme.id}`);
    expect(playlist.segments[0]!.programDateTime!.getTime()).toBe(programme.startMs);
    expect(playlist.segments[0]!.uri).toBe('/media/lesson-b/audio/seg00000.ts');
    const master = HLS.parse((await get(first, `/live/t1/master.m3u8?start=${programme.id}`)).text) as MasterPlaylist;
    expect(master.variants[0]!.uri).toBe(`360p.m3u8?start=${programme.id}`);
  });

  const malformed: [string, RegExp][] = [
    ['yesterday', /neither an ISO 8601 instant/],
    ['2026-13-45T00:00:00Z', /not a real instant/],
    ['2026-11-23T00:00:00', /neither an ISO 8601 instant/],
    ['2026-11-23T00:10:00Z', /in the future/],
    ['2026-11-21T00:00:00Z', /more than 24 h ago/],
    ['t1-20261123T000000000Z', /neither an ISO 8601 instant/],
    ['', /empty/],
  ];
  for (const [value, reason] of malformed) {
    it(`refuses start=${JSON.stringify(value)} with a 400 naming the parameter`, async () => {
      for (const path of [
        `/live/t1/360p.m3u8?start=${encodeURIComponent(value)}`,
        `/live/t1/master.m3u8?start=${encodeURIComponent(value)}`,
      ]) {
        const res = await problemOf(path);
        expect(res.status, path).toBe(400);
        expect(res.body.problems?.[0]?.field).toBe('start');
        expect(res.body.problems?.[0]?.reason).toMatch(reason);
      }
    });
  }

  it('refuses a repeated start parameter', async () => {
    const res = await problemOf('/live/t1/360p.m3u8?start=2026-11-23T00:00:00Z&start=2026-11-23T00:01:00Z');
    expect(res.status).toBe(400);
    expect(res.body.problems?.[0]).toEqual({ field: 'start', reason: 'give start once' });
  });
});

describe('catch-up: /vod/airings/:id', () => {
  it('plays a past airing as VOD with its real PDT', async () => {
    const past = itemWhere((i) => i.assetId === 'lesson-a' && i.startMs + i.durationMs < NOW);
    const master = HLS.parse((await get(first, `/vod/airings/${past.id}/master.m3u8`)).text) as MasterPlaylist;
    expect(master.variants.map((v) => v.uri)).toEqual(['360p.m3u8', '240p.m3u8', 'audio.m3u8']);
    const playlist = await media(first, `/vod/airings/${past.id}/240p.m3u8`);
    expect(playlist.playlistType).toBe('VOD');
    expect(playlist.endlist).toBe(true);
    expect(playlist.segments).toHaveLength(past.segmentCount);
    expect(playlist.segments[0]!.programDateTime!.getTime()).toBe(past.startMs);
    expect(playlist.segments[0]!.uri).toBe('/media/lesson-a/240p/seg00000.ts');
    expect((await get(second, `/vod/airings/${past.id}/240p.m3u8`)).text).toBe(
      (await get(first, `/vod/airings/${past.id}/240p.m3u8`)).text,
    );
  });

  it('plays a past slate airing with its segment range', async () => {
    const slate = itemWhere((i) => i.kind === 'slate' && i.segmentCount > 3 && i.startMs + i.durationMs < NOW);
    const playlist = await media(first, `/vod/airings/${slate.id}/360p.m3u8`);
    expect(playlist.segments).toHaveLength(slate.segmentCount);
    const last = slate.segmentOffset + slate.segmentCount - 1;
    expect(playlist.segments.at(-1)!.uri).toBe(`/media/slate/360p/seg${String(last).padStart(5, '0')}.ts`);
  });

  it('refuses an airing that is on air now (409, pointing at start-over) or has not aired yet (425)', async () => {
    const onAir = itemWhere((i) => i.startMs <= NOW && NOW < i.startMs + i.durationMs);
    const now = await problemOf(`/vod/airings/${onAir.id}/master.m3u8`);
    expect(now.status).toBe(409);
    expect(now.body.error).toContain(`/live/t1/master.m3u8?start=${onAir.id}`);
    const future = itemWhere((i) => i.startMs > NOW + 3_600_000 && i.kind === 'programme');
    const later = await problemOf(`/vod/airings/${future.id}/360p.m3u8`);
    expect(later.status).toBe(425);
    expect(later.body.error).toBe(
      `airing ${future.id} has not aired yet: it starts at ${new Date(future.startMs).toISOString()}`,
    );
  });

  it('404s an unknown or malformed airing id, and an unknown rendition of a real one', async () => {
    expect((await problemOf('/vod/airings/t1-20261123T000000001Z/master.m3u8')).status).toBe(404);
    expect((await problemOf('/vod/airings/nope/master.m3u8')).status).toBe(404);
    expect((await problemOf('/vod/airings/zz-20261123T000000000Z/master.m3u8')).status).toBe(404);
    const past = itemWhere((i) => i.assetId === 'lesson-a' && i.startMs + i.durationMs < NOW);
    const rendition = await problemOf(`/vod/airings/${past.id}/1080p.m3u8`);
    expect(rendition.status).toBe(404);
    expect(rendition.body.error).toContain("no rendition '1080p'");
  });
});

describe('on demand: /vod/lessons/:id', () => {
  it('serves every packaged lesson as a master and VOD media playlists', async () => {
    const master = HLS.parse((await get(first, '/vod/lessons/math-3-1-1-1/master.m3u8')).text) as MasterPlaylist;
    expect(master.variants).toHaveLength(3);
    const playlist = await media(first, '/vod/lessons/math-3-1-1-1/audio.m3u8');
    expect(playlist.playlistType).toBe('VOD');
    expect(playlist.segments.map((s) => s.uri)).toEqual(
      [0, 1, 2, 3, 4].map((i) => `/media/lesson-a/audio/seg0000${i}.ts`),
    );
    expect(playlist.segments[0]!.programDateTime).toBeUndefined();
  });

  it('404s a lesson that does not exist or is not packaged', async () => {
    const res = await problemOf('/vod/lessons/no-such-lesson/master.m3u8');
    expect(res.status).toBe(404);
    expect(res.body.error).toBe("no packaged lesson 'no-such-lesson'");
  });

  it('uses absolute segment URLs under the public base URL when one is configured', async () => {
    const cdn = await data.start(clock, { publicBaseUrl: 'https://cdn.example.net/' });
    try {
      const playlist = await media(cdn, '/vod/lessons/math-3-1-1-1/360p.m3u8');
      expect(playlist.segments[0]!.uri).toBe('https://cdn.example.net/media/lesson-a/360p/seg00000.ts');
    } finally {
      await cdn.close();
    }
  });
});

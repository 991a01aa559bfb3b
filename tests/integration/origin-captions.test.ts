/**
 * Caption tracks through the real origin: masters list the SUBTITLES group, `sub-<lang>.m3u8` serves the
 * WebVTT playlists (live, start-over, lesson, catch-up airing) aligned with the video, the segments and the
 * empty segment are served as text/vtt, and a language the channel or asset lacks is a 404 that says so.
 * Fixture files written by the test (origin-fixtures.ts), the way packaging lays them out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_CAPTION_SEGMENT_PATH } from '../../playlists/captions.ts';
import type { ScheduledItem } from '../../playlists/model.ts';
import { fixedClock } from '../../scheduler/clock.ts';
import { publishedDaysOverlapping } from '../helpers/snapshot-history.ts';
import {
  checkCaptionAlignment,
  checkLiveMediaPlaylist,
  checkMasterPlaylist,
  checkMasterSubtitles,
  checkVodMediaPlaylist,
  parseMasterPlaylist,
  parseMediaPlaylist,
  type MediaPlaylist,
} from '../helpers/hls-conformance.ts';
import {
  fixtureCueText,
  FIXTURE_FIRST_PTS,
  makeOriginWorld,
  rawRequest,
  type OriginWorld,
  type RunningOrigin,
} from './origin-fixtures.ts';

// 2026-11-23 08:04:30 Asia/Shanghai: 4 s after the 08:04 captioned lesson (26.4 s) ended; the live window
// holds its tail and the slate after it.
const NOW = Date.parse('2026-11-23T00:04:30Z');
const CAPTIONED_MS = [6000, 6000, 6000, 6000, 2400];

let data: OriginWorld;
let origin: RunningOrigin;
let cdnOrigin: RunningOrigin;
let items: ScheduledItem[];

async function get(path: string, from = origin) {
  const res = await rawRequest(from.baseUrl, path);
  return { ...res, text: res.body.toString() };
}

async function playlist(path: string, from = origin): Promise<MediaPlaylist> {
  const res = await get(path, from);
  expect(res.status, `${path}: ${res.text}`).toBe(200);
  expect(res.headers['content-type']).toBe('application/vnd.apple.mpegurl');
  return parseMediaPlaylist(res.text);
}

async function errorOf(path: string): Promise<{ status: number; error: string }> {
  const res = await get(path);
  return { status: res.status, error: (JSON.parse(res.text) as { error: string }).error };
}

beforeAll(async () => {
  const published = { fromDate: '2026-11-21', days: 4, atMs: NOW - 5 * 86_400_000 };
  data = makeOriginWorld({
    prefix: 'aerial-captions-',
    writeFiles: true,
    lessons: [
      { lessonId: 'cap-1', assetId: 'cap-lesson' },
      { lessonId: 'plain-1', assetId: 'plain-lesson', lessonNumber: 2 },
    ],
    assets: [
      { id: 'slate', kind: 'slate', title: '稍后回来', segmentMs: Array(10).fill(1000) },
      {
        id: 'cap-lesson',
        kind: 'lesson',
        title: '有字幕',
        segmentMs: CAPTIONED_MS,
        lessonId: 'cap-1',
        captions: ['zh', 'en'],
      },
      { id: 'plain-lesson', kind: 'lesson', title: '无字幕', segmentMs: [6000, 6000, 6000, 3000], lessonId: 'plain-1' },
    ],
    channels: [
      {
        id: 'c1',
        number: 1,
        assets: ['cap-lesson', 'plain-lesson'],
        firstSlot: '08:00',
        lastSlot: '09:00',
        everyMinutes: 1,
        publish: published,
      },
      {
        id: 'c2',
        number: 2,
        assets: ['plain-lesson'],
        firstSlot: '08:00',
        lastSlot: '09:00',
        everyMinutes: 1,
        publish: published,
      },
    ],
  });
  items = publishedDaysOverlapping(data.db, 'c1', NOW - 2 * 86_400_000, NOW + 86_400_000).flatMap((d) => d.items);
  origin = await data.start(fixedClock(NOW));
  cdnOrigin = await data.start(fixedClock(NOW), { publicBaseUrl: 'https://tv.example.net' });
});

afterAll(() => data?.close());

describe('live', () => {
  it('the master of a channel with captioned lessons lists zh and en on every variant; one without lists none', async () => {
    const res = await get('/live/c1/master.m3u8');
    const master = parseMasterPlaylist(res.text);
    expect(checkMasterPlaylist(master, { videoVariants: 2 })).toEqual([]);
    expect(checkMasterSubtitles(master, ['zh', 'en'])).toEqual([]);
    expect(master.variants[0]!.subtitles.map((r) => [r.language, r.name, r.uri])).toEqual([
      ['zh', '中文', 'sub-zh.m3u8'],
      ['en', 'English', 'sub-en.m3u8'],
    ]);
    const plain = await get('/live/c2/master.m3u8');
    expect(plain.status).toBe(200);
    expect(plain.text).not.toContain('SUBTITLES');
  });

  it('sub-zh.m3u8 mirrors the video window: captioned lesson → its .vtt segments, the uncaptioned one → the empty segment', async () => {
    const caption = await playlist('/live/c1/sub-zh.m3u8');
    const video = await playlist('/live/c1/360p.m3u8');
    expect(checkLiveMediaPlaylist({ playlist: caption, nowMs: NOW, canonical: true }, { targetDuration: 6 })).toEqual(
      [],
    );
    expect(
      checkCaptionAlignment({ caption, video, trackName: 'sub-zh', emptySegmentUri: EMPTY_CAPTION_SEGMENT_PATH }),
    ).toEqual([]);
    const uris = caption.segments.map((s) => s.uri);
    expect(uris.filter((u) => u.startsWith('/media/cap-lesson/sub-zh/')).length).toBeGreaterThan(0);
    expect(uris).toContain(EMPTY_CAPTION_SEGMENT_PATH);
    // Every listed segment is there, as WebVTT; the lesson's carry the timestamp map and their cue.
    for (const uri of new Set(uris)) {
      const segment = await get(uri);
      expect(segment.status, uri).toBe(200);
      expect(segment.headers['content-type']).toBe('text/vtt; charset=utf-8');
      expect(segment.text.startsWith('WEBVTT')).toBe(true);
      if (uri !== EMPTY_CAPTION_SEGMENT_PATH) {
        const index = Number(/seg(\d{5})\.vtt$/.exec(uri)![1]);
        expect(segment.text).toContain(`X-TIMESTAMP-MAP=MPEGTS:${FIXTURE_FIRST_PTS},LOCAL:00:00:00.000`);
        expect(segment.text).toContain(fixtureCueText('cap-lesson', 'zh', index));
        expect(segment.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      }
    }
  });

  it('start-over (?start=) gets the captions of its items, from the same programme as the video', async () => {
    const programme = items.filter((i) => i.assetId === 'cap-lesson' && i.startMs < NOW - 60_000).at(-1)!;
    const query = `?start=${programme.id}`;
    const master = parseMasterPlaylist((await get(`/live/c1/master.m3u8${query}`)).text);
    expect(master.variants[0]!.subtitles.map((r) => r.uri)).toEqual([`sub-zh.m3u8${query}`, `sub-en.m3u8${query}`]);
    const caption = await playlist(`/live/c1/sub-en.m3u8${query}`);
    const video = await playlist(`/live/c1/360p.m3u8${query}`);
    expect(caption.mediaSequenceBase).toBe(programme.mediaSequence);
    expect(caption.segments[0]!.uri).toBe(`/media/cap-lesson/sub-en/seg0000${programme.segmentOffset}.vtt`);
    expect(
      checkCaptionAlignment({ caption, video, trackName: 'sub-en', emptySegmentUri: EMPTY_CAPTION_SEGMENT_PATH }),
    ).toEqual([]);
  });

  it('a language the channel does not offer is a 404 naming what it offers', async () => {
    expect(await errorOf('/live/c1/sub-fr.m3u8')).toEqual({
      status: 404,
      error: "channel c1 has no captions in 'fr' today or yesterday; caption languages: zh, en",
    });
    expect(await errorOf('/live/c2/sub-zh.m3u8')).toEqual({
      status: 404,
      error: "channel c2 has no captions in 'zh' today or yesterday; it has no captions",
    });
    expect((await errorOf('/live/c1/sub-.m3u8')).status).toBe(404);
  });

  it('behind a public base URL the caption segments and the empty segment are absolute URLs under it', async () => {
    const caption = await playlist('/live/c1/sub-zh.m3u8', cdnOrigin);
    const uris = new Set(caption.segments.map((s) => s.uri));
    expect(uris).toContain(`https://tv.example.net${EMPTY_CAPTION_SEGMENT_PATH}`);
    expect([...uris].every((u) => u.startsWith('https://tv.example.net/'))).toBe(true);
  });
});

describe('on demand and catch-up', () => {
  it('a captioned lesson lists its tracks in catalog order; each caption playlist is aligned with the video', async () => {
    const master = parseMasterPlaylist((await get('/vod/lessons/cap-1/master.m3u8')).text);
    expect(checkMasterSubtitles(master, ['zh', 'en'])).toEqual([]);
    const video = await playlist('/vod/lessons/cap-1/360p.m3u8');
    for (const language of ['zh', 'en']) {
      const caption = await playlist(`/vod/lessons/cap-1/sub-${language}.m3u8`);
      expect(checkVodMediaPlaylist(caption)).toEqual([]);
      expect(caption.segments).toHaveLength(CAPTIONED_MS.length);
      expect(checkCaptionAlignment({ caption, video, trackName: `sub-${language}` })).toEqual([]);
    }
    const plain = await get('/vod/lessons/plain-1/master.m3u8');
    expect(plain.text).not.toContain('SUBTITLES');
    expect(await errorOf('/vod/lessons/plain-1/sub-zh.m3u8')).toEqual({
      status: 404,
      error: "lesson plain-1 has no captions in 'zh'; it has no captions",
    });
    expect(await errorOf('/vod/lessons/cap-1/sub-fr.m3u8')).toEqual({
      status: 404,
      error: "lesson cap-1 has no captions in 'fr'; caption languages: zh, en",
    });
  });

  it('a past airing of the captioned lesson gets its captions with the airing’s PROGRAM-DATE-TIMEs; a slate airing has none', async () => {
    const airing = items.find((i) => i.assetId === 'cap-lesson' && i.startMs + i.durationMs < NOW)!;
    const master = parseMasterPlaylist((await get(`/vod/airings/${airing.id}/master.m3u8`)).text);
    expect(checkMasterSubtitles(master, ['zh', 'en'])).toEqual([]);
    const caption = await playlist(`/vod/airings/${airing.id}/sub-zh.m3u8`);
    const video = await playlist(`/vod/airings/${airing.id}/360p.m3u8`);
    expect(caption.segments[0]!.programDateTime!.getTime()).toBe(airing.startMs);
    expect(checkCaptionAlignment({ caption, video, trackName: 'sub-zh' })).toEqual([]);
    const slate = items.find((i) => i.kind === 'slate' && i.startMs + i.durationMs < NOW)!;
    expect((await get(`/vod/airings/${slate.id}/master.m3u8`)).text).not.toContain('SUBTITLES');
    expect(await errorOf(`/vod/airings/${slate.id}/sub-zh.m3u8`)).toEqual({
      status: 404,
      error: `airing ${slate.id} has no captions in 'zh'; it has no captions`,
    });
  });
});

describe('the empty caption segment and the documentation', () => {
  it(`${EMPTY_CAPTION_SEGMENT_PATH} is a cue-less WebVTT file, immutable; HEAD works`, async () => {
    const res = await get(EMPTY_CAPTION_SEGMENT_PATH);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/vtt; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.text).toBe('WEBVTT\n\n');
    const head = await rawRequest(origin.baseUrl, EMPTY_CAPTION_SEGMENT_PATH, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('/openapi.json documents the empty segment and caption playlists', async () => {
    const document = JSON.parse((await get('/openapi.json')).text) as {
      paths: Record<string, { get: { parameters?: { name: string; description?: string }[] } }>;
    };
    expect(Object.keys(document.paths)).toContain(EMPTY_CAPTION_SEGMENT_PATH);
    const rendition = document.paths['/live/{channel}/{rendition}.m3u8']!.get.parameters!.find(
      (p) => p.name === 'rendition',
    )!;
    expect(rendition.description).toContain('sub-<lang>');
  });
});

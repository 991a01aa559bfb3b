import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../scheduler/clock.ts';
import { checkMediaPath } from '../../scheduler/http/media-files.ts';
import {
  lessonAWorldSpec,
  makeOriginWorld,
  rawRequest,
  type OriginWorld,
  type RunningOrigin,
} from './origin-fixtures.ts';

const SECRET = 'TOP-SECRET-OUTSIDE-THE-MEDIA-DIRECTORY';
// 2026-11-23 08:05:10 Asia/Shanghai: inside the test channel's programme block.
const NOW = Date.parse('2026-11-23T00:05:10Z');

let data: OriginWorld;
let origin: RunningOrigin;
let tvAppDir: string;

beforeAll(async () => {
  data = makeOriginWorld({ ...lessonAWorldSpec({ nowMs: NOW }), writeFiles: true });

  // Things a traversal would love to read: a file next to the media directory, and a symlink out of it.
  writeFileSync(join(data.dataDir, 'secret.ts'), SECRET);
  writeFileSync(join(data.dataDir, 'secret.m3u8'), SECRET);
  mkdirSync(join(data.dataDir, 'outside', '360p'), { recursive: true });
  writeFileSync(join(data.dataDir, 'outside', '360p', 'seg00000.ts'), SECRET);
  symlinkSync(join(data.dataDir, 'outside'), join(data.mediaDir, 'linkout'));

  tvAppDir = join(data.dataDir, 'tv-dist');
  mkdirSync(join(tvAppDir, 'assets'), { recursive: true });
  writeFileSync(join(tvAppDir, 'index.html'), '<!doctype html><title>Aerial TV</title>');
  writeFileSync(join(tvAppDir, 'assets', 'app-1a2b.js'), 'console.log("tv")');
  origin = await data.start(fixedClock(NOW), { tvAppDir });
});

afterAll(() => data?.close());

describe('segments under /media/', () => {
  it('serves a segment with its type, length and an immutable cache policy', async () => {
    const res = await rawRequest(origin.baseUrl, '/media/lesson-a/360p/seg00001.ts');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('video/mp2t');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.body.toString()).toBe('segment lesson-a/360p/seg00001.ts\n');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  it('answers HEAD without a body', async () => {
    const res = await rawRequest(origin.baseUrl, '/media/lesson-a/audio/seg00004.ts', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(0);
    expect(Number(res.headers['content-length'])).toBe('segment lesson-a/audio/seg00004.ts\n'.length);
  });

  it('404s a missing segment with a message', async () => {
    const res = await rawRequest(origin.baseUrl, '/media/lesson-a/360p/seg00099.ts');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body.toString()).error).toContain('lesson-a/360p/seg00099.ts');
  });

  const traversals = [
    '/media/../secret.ts',
    '/media/lesson-a/../../secret.ts',
    '/media/lesson-a/360p/../../../secret.ts',
    '/media/%2e%2e/secret.ts',
    '/media/lesson-a/%2e%2e/%2e%2e/secret.ts',
    '/media/..%2fsecret.ts',
    '/media/lesson-a/360p/..%2f..%2f..%2fsecret.ts',
    '/media/%252e%252e/%252e%252e/secret.ts',
    '/media/lesson-a/360p/%252e%252e%252f%252e%252e%252fsecret.ts',
    '/media/lesson-a/..\\..\\secret.ts',
    '/media/lesson-a/360p/..%5c..%5c..%5csecret.ts',
    '/media//etc/passwd',
    '/media/%2fetc%2fpasswd',
    `/media/${encodeURIComponent(join('/', 'etc', 'passwd'))}`,
    '/media/lesson-a/360p/seg00000.ts%00.m3u8',
    '/media/lesson-a/360p/%00',
    '/media/.%2e/secret.ts',
    '/media/linkout/360p/seg00000.ts',
    '/media/lesson-a/360p/seg00000.ts/../../../../secret.ts',
    '/media/../aerial.db',
    '/media/lesson-a/360p/../../../secret.m3u8',
  ];
  for (const path of traversals) {
    it(`refuses ${path}`, async () => {
      const res = await rawRequest(origin.baseUrl, path);
      expect([400, 404]).toContain(res.status);
      expect(res.body.toString()).not.toContain(SECRET);
      expect(res.headers['content-type']).toMatch(/json/);
    });
  }

  it('checks paths before touching the file system', () => {
    expect(checkMediaPath('lesson-a/360p/seg00000.ts')).toMatchObject({ ok: true });
    expect(checkMediaPath('lesson-a/360p/index.m3u8')).toMatchObject({ ok: true });
    for (const bad of [
      '../x/seg.ts',
      'a/../seg.ts',
      '.tmp-a-1/360p/seg00000.ts',
      'a/b/c/d.ts',
      'a/b/c.mp4',
      'a/b/c%2e.ts',
      'a\\b/c/d.ts',
      'a/b/\0.ts',
      '/a/b.ts',
    ]) {
      expect(checkMediaPath(bad).ok, bad).toBe(false);
    }
  });
});

describe('playlists over HTTP', () => {
  it('are served with a short cache lifetime, the HLS type, and gzip when asked', async () => {
    const plain = await rawRequest(origin.baseUrl, '/live/t1/360p.m3u8');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toBe('application/vnd.apple.mpegurl');
    const maxAge = Number(/max-age=(\d+)/.exec(String(plain.headers['cache-control']))?.[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(3); // ≤ half of the 6 s target duration
    expect(plain.headers['content-encoding']).toBeUndefined();

    const gzipped = await rawRequest(origin.baseUrl, '/live/t1/360p.m3u8', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toMatch(/accept-encoding/i);
    expect(gunzipSync(gzipped.body).toString()).toBe(plain.body.toString());
    expect(gzipped.body.length).toBeLessThan(plain.body.length);
  });

  it('let the TV app on another origin read them (CORS, with preflight)', async () => {
    const get = await rawRequest(origin.baseUrl, '/live/t1/master.m3u8', { headers: { Origin: 'http://tv.example' } });
    expect(get.status).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBe('*');

    const preflight = await rawRequest(origin.baseUrl, '/live/t1/360p.m3u8', {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://tv.example',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'range',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(String(preflight.headers['access-control-allow-methods'])).toContain('GET');
    expect(String(preflight.headers['access-control-allow-headers']).toLowerCase()).toContain('range');

    const segment = await rawRequest(origin.baseUrl, '/media/lesson-a/360p/seg00000.ts', {
      headers: { Origin: 'http://tv.example' },
    });
    expect(segment.headers['access-control-allow-origin']).toBe('*');
  });

  it('404 an unknown channel or rendition with a message naming what exists', async () => {
    const channel = await rawRequest(origin.baseUrl, '/live/nope/360p.m3u8');
    expect(channel.status).toBe(404);
    expect(JSON.parse(channel.body.toString()).error).toBe("unknown channel 'nope'; channels: t1");
    const master = await rawRequest(origin.baseUrl, '/live/nope/master.m3u8');
    expect(master.status).toBe(404);

    const rendition = await rawRequest(origin.baseUrl, '/live/t1/4k.m3u8');
    expect(rendition.status).toBe(404);
    expect(JSON.parse(rendition.body.toString()).error).toBe(
      "channel t1 has no rendition '4k'; renditions: 360p, 240p, audio",
    );
    expect(rendition.headers['cache-control']).toBe('no-store');
  });
});

describe('service routes', () => {
  it('/healthz reports each check; this fixture publishes fewer days than the horizon, so it is 503', async () => {
    const res = await rawRequest(origin.baseUrl, '/healthz');
    expect(res.status).toBe(503);
    const report = JSON.parse(res.body.toString()) as {
      status: string;
      checks: { name: string; ok: boolean; detail: string }[];
    };
    expect(report.status).toBe('failing');
    const byName = Object.fromEntries(report.checks.map((c) => [c.name, c]));
    expect(byName.database!.ok).toBe(true);
    expect(byName.media!.ok).toBe(true);
    expect(byName['published-horizon']!.ok).toBe(false);
    expect(byName['published-horizon']!.detail).toMatch(/not published through the horizon: t1 \(/);
  });

  it('/ redirects to the TV app, which is served from its build directory', async () => {
    const root = await rawRequest(origin.baseUrl, '/');
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/tv/');
    const index = await rawRequest(origin.baseUrl, '/tv/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
    expect(index.body.toString()).toContain('Aerial TV');
    const asset = await rawRequest(origin.baseUrl, '/tv/assets/app-1a2b.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toContain('immutable');
    for (const path of [
      '/tv/../secret.ts',
      '/tv/%2e%2e/secret.ts',
      '/tv/..%2fsecret.ts',
      '/tv/assets/..%5c..%5csecret.ts',
    ]) {
      const res = await rawRequest(origin.baseUrl, path);
      expect([400, 404], path).toContain(res.status);
      expect(res.body.toString()).not.toContain(SECRET);
    }
  });

  it('without a TV app build, /tv/ says so', async () => {
    const bare = await data.start(fixedClock(NOW), { tvAppDir: join(data.dataDir, 'no-such-dist') });
    try {
      const res = await rawRequest(bare.baseUrl, '/tv/');
      expect(res.status).toBe(404);
      expect(JSON.parse(res.body.toString()).error).toMatch(/TV app is not built/);
    } finally {
      await bare.close();
    }
  });

  it('an unknown path is a 404 with a message', async () => {
    const res = await rawRequest(origin.baseUrl, '/nothing/here');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body.toString()).error).toBe('nothing at /nothing/here');
  });
});

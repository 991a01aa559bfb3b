/**
 * Edge origins: one control plane (SQLite, jobs, admin) publishes to an object store; two edge origins serve
 * from the store alone. All three are child processes reading "now" from one clock file, on both drivers (a
 * shared directory, and a real S3-protocol server). At the same instant they answer byte-identical playlists;
 * a suspension switch made on the data directory reaches the edges within a poll interval and a segment; with
 * the control plane killed the edges keep advancing; restarted, it answers the same bytes as they do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveSuspension } from '../../scheduler/admin/suspension-switch.ts';
import { importChannelDocument } from '../../scheduler/schedule/channels-repository.ts';
import { publishDays } from '../../scheduler/schedule/publish.ts';
import { openDb } from '../../scheduler/store/db.ts';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.ts';
import {
  TEST_LADDER,
  assetCatalogView,
  insertAsset,
  insertPackagedLesson,
  makeDataDir,
  rawRequest,
  type DataDir,
} from './origin-fixtures.ts';

const SEGMENT_MS = 6_000;
const POLL_MS = 200; // the edges' --poll-ms (edge-origins-child.ts)
// Monday 2026-11-23 08:30:07 in Shanghai: the 08:30 programme's first segment has just aired.
const AT = Date.parse('2026-11-23T00:30:07Z');
// The switch is decided at 08:29:50 (guard 5 s): the 08:30 programme is not yet frozen.
const DECIDED_AT = Date.parse('2026-11-23T00:29:50Z');
const PATHS = ['/live/s1/master.m3u8', '/live/s1/360p.m3u8', '/live/s1/audio.m3u8'];
const GUIDE_PATHS = [
  '/epg.xml',
  '/epg/s1.xml?days=3',
  '/api/guide',
  '/api/guide?from=2026-11-16T08:00:00%2B08:00&to=2026-11-17T08:00:00%2B08:00',
  '/channels.m3u',
  '/calendar/s1.ics',
  '/timetable/s1',
  '/timetable/s1?week=2026-W47',
  '/api/channels',
  '/api/notices',
  '/openapi.json',
];
const ORDER = {
  id: 'snow-day',
  from: '2026-11-23',
  to: '2026-11-23',
  channels: ['s1'],
  notice: { zh: '雪天停课', en: 'Snow day: lessons on TV' },
};
const runTs = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));
const childScript = fileURLToPath(new URL('./edge-origins-child.ts', import.meta.url));

function week(asset: string) {
  // The 08:30 programme is also a catalog lesson (the guides show its titles).
  const slots = ['08:00', '08:30', '09:00'].map((start, i) => ({
    id: `p${i}`,
    start,
    kind: 'programme',
    asset,
    ...(i === 1 && asset === 'term-lesson' ? { lesson: 'g3-math-1' } : {}),
  }));
  return Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, slots]));
}

function makeData(): DataDir {
  const data = makeDataDir('aerial-edge-');
  const writeFiles = { mediaDir: data.mediaDir };
  insertAsset(data.db, { id: 'slate', kind: 'slate', title: '稍后回来', segmentMs: Array(10).fill(1000), writeFiles });
  for (const id of ['term-lesson', 'home-lesson'])
    insertAsset(data.db, { id, kind: 'lesson', title: id, segmentMs: Array(20).fill(SEGMENT_MS), writeFiles });
  insertPackagedLesson(data.db, 'g3-math-1', 'term-lesson');
  importChannelDocument(data.db, {
    channels: [
      {
        id: 's1',
        number: 1,
        name: { zh: '测试频道', en: 'Test' },
        timezone: 'Asia/Shanghai',
        ladder: TEST_LADDER,
        grades: [3],
        timetables: { term: week('term-lesson'), holiday: week('term-lesson'), suspension: week('home-lesson') },
        slate: 'slate',
      },
    ],
  });
  // From 2026-11-14: the days that ended more than 48 h before AT are the manifests' past days (the guides').
  const catalog = assetCatalogView(data.db);
  const lesson = {
    ...{ id: 'g3-math-1', grade: 3, subject: 'math', edition: 'pep', volume: 1, unit: 1, lesson: 1 },
    ...{ title: { zh: '测试课' }, unitTitle: { zh: '第一单元' }, assetId: 'term-lesson' },
  };
  publishDays({
    ...{ db: data.db, channelId: 's1', fromDate: '2026-11-14', days: 11, nowMs: AT - 10 * 86_400_000 },
    catalog: { ...catalog, lesson: (id) => (id === lesson.id ? lesson : undefined) },
  });
  data.db.close(); // the control plane (a child) opens it
  return data;
}

interface Child {
  url: string;
  process: ChildProcess;
}

/** Starts a control plane or an edge and resolves with its URL once it listens. */
function startChild(role: 'control' | 'edge', dataDir: string, store: string, clockFile: string, env: object) {
  const child = spawn(process.execPath, [runTs, childScript, role, dataDir, store, clockFile], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<Child>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /serving on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url) resolve({ url, process: child });
    });
    child.once('exit', (code) => reject(new Error(`${role} exited ${code} before listening:\n${stderr}`)));
  });
}

async function stop(child: Child | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child || child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.kill(signal);
  await exited;
}

async function body(child: Child, path: string): Promise<string> {
  const res = await rawRequest(child.url, path);
  expect(res.status, `${child.url}${path}`).toBe(200);
  return res.body.toString();
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const lastSegment = (playlist: string) => playlist.match(/^\/media\/.+$/gm)!.at(-1)!;
const mediaSequence = (playlist: string) => Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(playlist)![1]);

describe.each((process.env.EDGE_DRIVERS ?? 'filesystem,s3').split(',') as Array<'filesystem' | 's3'>)(
  'control plane and two edge origins (%s store)',
  (driver) => {
    let data: DataDir;
    let s3: S3TestServer | undefined;
    let storeUrl: string;
    let env: NodeJS.ProcessEnv = {};
    let clockFile: string;
    let clockDir: string;
    let control: Child | undefined;
    const edges: Child[] = [];
    const setClock = (ms: number) => writeFileSync(clockFile, String(ms));

    beforeAll(async () => {
      data = makeData();
      clockDir = mkdtempSync(join(tmpdir(), 'aerial-edge-clock-'));
      clockFile = join(clockDir, 'now');
      setClock(AT);
      if (driver === 's3') {
        s3 = await startS3Server();
        env = s3.env;
        storeUrl = `s3://${s3.bucket}/aerial`;
      } else storeUrl = join(clockDir, 'shared-volume');
      // All three start at once: an edge that finds nothing published yet polls until the control plane has.
      const started = await Promise.all(
        (['control', 'edge', 'edge'] as const).map((role) => startChild(role, data.dataDir, storeUrl, clockFile, env)),
      );
      control = started[0];
      edges.push(...started.slice(1));
      for (const edge of edges) {
        await waitFor('an edge with the published state', 20_000, async () =>
          (await rawRequest(edge.url, '/healthz')).status === 200 ? true : undefined,
        );
      }
    }, 60_000);

    afterAll(async () => {
      await Promise.all([control, ...edges].map((child) => stop(child)));
      await s3?.close();
      data?.cleanup();
      rmSync(clockDir, { recursive: true, force: true });
    });

    it('answers byte-identical live playlists from the control plane and both edges at the same instant', async () => {
      for (const path of PATHS) {
        const bodies = await Promise.all([control!, ...edges].map((child) => body(child, path)));
        expect(bodies[1], path).toBe(bodies[0]);
        expect(bodies[2], path).toBe(bodies[0]);
      }
      const vod = await Promise.all(
        [control!, ...edges].map((child) => body(child, '/vod/lessons/g3-math-1/master.m3u8')),
      );
      expect(new Set(vod).size).toBe(1); // a lesson on demand, from the store's packaged-lesson map
      const playlist = await body(edges[0]!, '/live/s1/360p.m3u8');
      expect(lastSegment(playlist)).toBe('/media/term-lesson/360p/seg00000.ts');
      const segment = await rawRequest(edges[1]!.url, lastSegment(playlist));
      expect(segment.status).toBe(200);
      expect(segment.body.toString()).toBe('segment term-lesson/360p/seg00000.ts\n');
      expect((await rawRequest(edges[0]!.url, '/healthz')).status).toBe(200);
      expect((await rawRequest(edges[0]!.url, '/api/admin/channels')).status).toBe(404); // no admin API on an edge
    });

    it('answers the public guides byte for byte as the control plane does, past days read from the store', async () => {
      const headers = { 'x-forwarded-host': 'tv.example.net', 'x-forwarded-proto': 'https' };
      for (const path of GUIDE_PATHS) {
        const answers = await Promise.all(
          [control!, ...edges].map((child) => rawRequest(child.url, path, { headers })),
        );
        const [reference] = answers;
        expect(reference!.status, path).toBe(200);
        expect(reference!.body.length, path).toBeGreaterThan(0);
        for (const answer of answers.slice(1)) {
          expect(answer.status, path).toBe(200);
          expect(answer.body.toString(), path).toBe(reference!.body.toString());
          for (const header of ['etag', 'last-modified', 'cache-control', 'content-type', 'vary'])
            expect(answer.headers[header], `${path} ${header}`).toBe(reference!.headers[header]);
        }
      }
      // A day that ended a week ago: not held parsed by the edges (a past day of the manifest), read from the store.
      const past = JSON.parse(await body(edges[0]!, GUIDE_PATHS[3]!)) as { channels: { programmes: unknown[] }[] };
      expect(past.channels[0]!.programmes.length).toBeGreaterThanOrEqual(3);
      expect(JSON.stringify(past)).toContain('第一单元'); // the catalog lesson of its 08:30 programme
      const conditional = await rawRequest(edges[1]!.url, '/epg.xml', {
        headers: {
          ...headers,
          'if-none-match': String((await rawRequest(control!.url, '/epg.xml', { headers })).headers.etag),
        },
      });
      expect(conditional.status).toBe(304);
      // The lesson catalog is the database's: on the control plane only.
      expect((await rawRequest(control!.url, '/api/lessons')).status).toBe(200);
      expect((await rawRequest(edges[0]!.url, '/api/lessons')).status).toBe(404);
    });

    it('a suspension switch on the control plane reaches both edges within a poll interval and a segment', async () => {
      // Another process than the control plane (this one, with its own connection) switches, as the admin API of
      // the control plane or `aerial build --publish` would: the control plane sees the commit, then the edges.
      const db = openDb(data.dataDir);
      const switchEnv = { db, loadCatalog: () => assetCatalogView(db), guardMs: 5_000 };
      db.transaction(() => saveSuspension(switchEnv, ORDER, DECIDED_AT))();
      db.close();
      const committed = performance.now();
      for (const edge of edges) {
        await waitFor('the switch on an edge', POLL_MS + SEGMENT_MS, async () => {
          const playlist = await body(edge, '/live/s1/360p.m3u8');
          return lastSegment(playlist) === '/media/home-lesson/360p/seg00000.ts' ? true : undefined;
        });
      }
      const reachedMs = performance.now() - committed;
      console.log(
        `[edge-origins ${driver}] switch committed → visible on both edges: ${reachedMs.toFixed(0)} ms ` +
          `(control plane looks at the database every 1000 ms, edges at the store every ${POLL_MS} ms)`,
      );
      expect(reachedMs).toBeLessThan(POLL_MS + SEGMENT_MS + 1_000); // + the control plane's look at the database
      const bodies = await Promise.all([control!, ...edges].map((child) => body(child, '/live/s1/360p.m3u8')));
      expect(new Set(bodies).size).toBe(1);
    }, 30_000);

    it('with the control plane killed the edges keep advancing; restarted, it answers the same bytes at once', async () => {
      const before = await body(edges[0]!, '/live/s1/360p.m3u8');
      await stop(control, 'SIGKILL');
      setClock(AT + 2 * SEGMENT_MS);
      const during = await Promise.all(edges.map((edge) => body(edge, '/live/s1/360p.m3u8')));
      expect(during[1]).toBe(during[0]);
      expect(mediaSequence(during[0]!)).toBeGreaterThan(mediaSequence(before));
      expect(lastSegment(during[0]!)).toBe('/media/home-lesson/360p/seg00002.ts');

      control = await startChild('control', data.dataDir, storeUrl, clockFile, env);
      for (const path of PATHS) {
        const bodies = await Promise.all([control, ...edges].map((child) => body(child, path)));
        expect(bodies[0], path).toBe(bodies[1]);
        expect(bodies[2], path).toBe(bodies[1]);
      }
    }, 30_000);
  },
);

/**
 * The proof that the origin works for a real client: real packaged media (ffmpeg, sample ladder), a
 * channel published by the real build, the origin on a clock running at real speed from 08:00:09 local,
 * and ffmpeg itself reading the live rendition across the slate → programme → slate boundaries.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getLadder } from '../../packaging/ladder.ts';
import { mediaBinaries } from '../../packaging/binaries.ts';
import { makeSyntheticClip } from '../../packaging/synthetic.ts';
import { shiftedClock } from '../../scheduler/clock.ts';
import { createApp } from '../../scheduler/http/app.ts';
import { idlePackagingQueue } from '../helpers/idle-packaging-queue.ts';
import { packageFiller } from '../../scheduler/packaging/package-lesson.ts';
import { importTestChannel, makeDataDir, publish, type DataDir } from './origin-fixtures.ts';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

// 2026-11-23 08:00:09 Asia/Shanghai: the 14 s programme of the 08:00 slot has one segment aired.
const START_AT = Date.parse('2026-11-23T00:00:09Z');
// Read by frame count, not -t: the output clock of `-c copy` restarts at every discontinuity (each asset
// has its own timestamps), so a duration limit would never be reached. 500 frames = 20 s at 25 fps.
const READ_FRAMES = 500;

let data: DataDir;
let server: Server | undefined;
const requestedUrls: string[] = [];

beforeAll(async () => {
  data = makeDataDir('aerial-playback-');
  const ctx = { db: data.db, dataDir: data.dataDir, ladder: getLadder('sample') };
  const slateSource = await makeSyntheticClip({
    path: join(data.dataDir, 'src', 'slate.mp4'),
    durationS: 4,
    toneHz: 220,
  });
  const programmeSource = await makeSyntheticClip({
    path: join(data.dataDir, 'src', 'programme.mp4'),
    durationS: 14,
    toneHz: 660,
  });
  await packageFiller(ctx, { id: 'slate', kind: 'slate', title: { zh: '稍后回来' }, source: slateSource });
  await packageFiller(ctx, { id: 'programme-x', kind: 'filler', title: { zh: '测试节目' }, source: programmeSource });
  importTestChannel(data.db, {
    id: 'live1',
    number: 1,
    assets: ['programme-x'],
    firstSlot: '08:00',
    lastSlot: '08:10',
    everyMinutes: 1,
  });
  publish(data.db, 'live1', '2026-11-23', 1, START_AT - 86_400_000);

  // Request logs go to memory: the order in which ffmpeg fetched segments is the evidence.
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        const entry = JSON.parse(line) as { msg?: string; url?: string; status?: number };
        if (entry.msg === 'request' && entry.url) requestedUrls.push(`${entry.status} ${entry.url}`);
      }
      done();
    },
  });
  const app = createApp({
    db: data.db,
    mediaDir: data.mediaDir,
    clock: shiftedClock(START_AT),
    logger: pino({ level: 'info' }, sink),
    packagingQueue: idlePackagingQueue(data.db, data.mediaDir),
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server!.once('listening', resolve));
}, 180_000);

afterAll(async () => {
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
  }
  data?.cleanup();
});

it('ffmpeg reads a live channel across programme boundaries and exits 0', async () => {
  const { port } = server!.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/live/live1/360p.m3u8`;
  const { ffmpeg } = mediaBinaries();
  const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(ffmpeg, [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-i',
      url,
      '-frames:v',
      String(READ_FRAMES),
      '-c',
      'copy',
      '-f',
      'null',
      '-',
    ]);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
  expect(result.code, result.stderr).toBe(0);

  const segments = requestedUrls.filter((line) => line.includes('/media/'));
  expect(
    segments.every((line) => line.startsWith('200 ')),
    segments.join('\n'),
  ).toBe(true);
  const assets = segments.map((line) => /\/media\/([^/]+)\/360p\/seg\d{5}\.ts$/.exec(line)?.[1]);
  // Collapse consecutive repeats: the sequence of programmes ffmpeg actually played.
  const programmes = assets.filter((asset, i) => asset !== assets[i - 1]);
  expect(programmes.join(' → '), segments.join('\n')).toMatch(/slate → programme-x → slate/);
  expect(requestedUrls.filter((line) => line.includes('/live/live1/360p.m3u8')).length).toBeGreaterThan(2);
}, 120_000);

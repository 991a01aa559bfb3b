/**
 * Upload throughput through tus over loopback: one file (default 1 GiB) uploaded with tus-js-client in
 * 64 MiB chunks to `/api/admin/uploads` of the real app, the server in its own process so that its CPU
 * time and peak RSS are its own. Reference in the same run: the same bytes POSTed to a bare node:http
 * server in that process that pipes the request to a file. Prints MB/s, server CPU-s, server peak RSS
 * (target < 200 MB: the server must not hold the file) and the tus/bare ratio. Not a timed test.
 * Run: npm run bench:upload [-- --mb 1024]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { Upload } from 'tus-js-client';

const CHUNK = 64 * 1024 * 1024;

interface Usage {
  cpuS: number;
  maxRssMb: number;
  rssMb: number;
}

function usage(): Usage {
  const u = process.resourceUsage();
  return {
    cpuS: (u.userCPUTime + u.systemCPUTime) / 1e6,
    maxRssMb: u.maxRSS / 1024,
    rssMb: process.memoryUsage().rss / 2 ** 20,
  };
}

/** The server side: the app with uploads (queue not started: nothing is packaged) and a bare pipe-to-file server. */
async function serve(dataDir: string): Promise<void> {
  const { createPackagingQueue } = await import('../scheduler/admin/packaging-queue.ts');
  const { createToken } = await import('../scheduler/admin/tokens.ts');
  const { createApp } = await import('../scheduler/http/app.ts');
  const { openDb } = await import('../scheduler/store/db.ts');
  const { systemClock } = await import('../scheduler/clock.ts');
  mkdirSync(join(dataDir, 'media'), { recursive: true });
  const db = openDb(dataDir);
  db.prepare(
    `INSERT INTO lessons (id, grade, subject, edition, volume, unit, unit_title_zh, lesson, title_zh)
     VALUES ('bench', 3, 'math', 'pep', 1, 1, '单元', 1, '课')`,
  ).run();
  const token = createToken(db, 'bench', 'editor', 0).token;
  const packaging = createPackagingQueue({ db, dataDir, clock: systemClock });
  const app = createApp({
    db,
    mediaDir: join(dataDir, 'media'),
    clock: systemClock,
    logger: pino({ level: 'silent' }),
    packagingQueue: packaging,
  });
  const tus = app.listen(0, '127.0.0.1');
  const bare = createServer((req, res) => {
    req.pipe(createWriteStream(join(dataDir, 'bare.bin'))).on('finish', () => res.end('ok'));
  }).listen(0, '127.0.0.1');
  await Promise.all([tus, bare].map((s) => new Promise((r) => s.once('listening', r))));
  process.on('message', (message) => {
    if (message === 'usage') process.send!({ usage: usage() });
    if (message === 'exit') process.exit(0);
  });
  process.send!({
    token,
    tusPort: (tus.address() as AddressInfo).port,
    barePort: (bare.address() as AddressInfo).port,
    usage: usage(),
  });
}

function ask<T>(child: ChildProcess, message?: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    if (message) child.send(message);
  });
}

function makeFile(path: string, mb: number): void {
  const block = Buffer.alloc(2 ** 20);
  for (let i = 0; i < block.length; i++) block[i] = (i * 2654435761) >>> 24;
  writeFileSync(path, '');
  for (let i = 0; i < mb; i++) writeFileSync(path, block, { flag: 'a' });
}

function bareUpload(port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/', headers: { 'Content-Length': statSync(path).size } },
      (res) => {
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', reject);
    createReadStream(path).pipe(req);
  });
}

function tusUpload(port: number, token: string, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    new Upload(createReadStream(path), {
      endpoint: `http://127.0.0.1:${port}/api/admin/uploads`,
      uploadSize: statSync(path).size,
      chunkSize: CHUNK,
      retryDelays: [],
      headers: { Authorization: `Bearer ${token}` },
      metadata: { lessonId: 'bench', role: 'rendition:360p', filename: 'bench.mp4' },
      onError: reject,
      onSuccess: () => resolve(),
    }).start();
  });
}

async function timed(child: ChildProcess, work: () => Promise<void>, mb: number) {
  const before = (await ask<{ usage: Usage }>(child, 'usage')).usage;
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const after = (await ask<{ usage: Usage }>(child, 'usage')).usage;
  return { seconds, mbPerS: mb / seconds, cpuS: after.cpuS - before.cpuS, maxRssMb: after.maxRssMb };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { mb: { type: 'string', default: '1024' }, serve: { type: 'string' } } });
  if (values.serve) return serve(values.serve);
  const mb = Number(values.mb);
  const work = mkdtempSync(join(tmpdir(), 'aerial-bench-upload-'));
  const dataDir = join(work, 'data');
  const file = join(work, 'upload.bin');
  try {
    makeFile(file, mb);
    const child = fork(join(process.cwd(), 'bin/run-ts.js'), [
      join(process.cwd(), 'bench/upload.bench.ts'),
      '--serve',
      dataDir,
    ]);
    const ready = await ask<{ token: string; tusPort: number; barePort: number; usage: Usage }>(child);
    const bare = await timed(child, () => bareUpload(ready.barePort, file), mb);
    rmSync(join(dataDir, 'bare.bin'), { force: true });
    const tus = await timed(child, () => tusUpload(ready.tusPort, ready.token, file), mb);
    child.send('exit');
    const row = (name: string, r: typeof tus) =>
      `${name.padEnd(26)} ${r.mbPerS.toFixed(0).padStart(6)} MB/s  ${r.seconds.toFixed(2).padStart(6)} s  ` +
      `server CPU ${r.cpuS.toFixed(2).padStart(5)} s  server peak RSS ${r.maxRssMb.toFixed(0).padStart(4)} MB`;
    console.log(`upload of ${mb} MiB over loopback (server idle RSS ${ready.usage.rssMb.toFixed(0)} MB)`);
    console.log(row('bare node:http → file', bare));
    console.log(row('tus (64 MiB PATCHes)', tus));
    console.log(
      `tus / bare throughput: ${(tus.mbPerS / bare.mbPerS).toFixed(2)}×; RSS target < 200 MB: ${tus.maxRssMb < 200 ? 'met' : 'MISSED'}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();

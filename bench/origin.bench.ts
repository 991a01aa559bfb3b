/**
 * Origin benchmark (prints figures; not a test). A temp data dir like the sample (12 channels × 7 published
 * days, 20-minute lessons, fillers, a 1 s slate; three renditions), the real origin in a child process on
 * 127.0.0.1 with a clock frozen at a school-day morning, and in the same run two references serving the SAME
 * bytes: a minimal `node:http` server (playlists from a buffer, the segment streamed from its file: the
 * one-core Node ceiling) and nginx with one worker (when /usr/sbin/nginx or `nginx` on PATH exists).
 * wrk (-t1, on PATH) loads each at 100 and 1000 connections against the live media playlist, the master
 * playlist and a segment; with taskset, every server runs pinned to core 0 and wrk to core 1, alike. With
 * --unpinned, the issue's own method instead: no taskset, `wrk -t2`, the servers and wrk sharing both cores as
 * the scheduler places them (docs/benchmarks.md: what each method measures). Before each run, the bench waits
 * for the server's startup work to be over and warms it up (--warmup seconds of the same load, not counted).
 * Prints req/s, p50/p99, errors and timeouts, and the ratios origin/node and origin/nginx (issue 14
 * targets: live ≥ 0.8 of node and ≥ 0.6 of nginx; segments ≥ 0.8 of node). The machine is shared: the
 * 1-minute load average is printed beside every run, and before and after.
 *
 *   npm run bench:origin -- [--seconds 10] [--warmup 5] [--only live,master,segment] [--connections 100,1000]
 *     [--unpinned] [--cold-ticks]   (--cold-ticks: the origin skips keepTickObjectMapsAlive, to compare)
 *     [--profile DIR]   (CPU profiles of the origin and of the minimal node:http server, written into DIR/origin
 *                        and DIR/node-http when they exit: both profiled alike, so their figures stay comparable)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  createReadStream,
  existsSync,
  readFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { fixedClock } from '../scheduler/clock.ts';
import { createApp } from '../scheduler/http/app.ts';
import { createServiceLogger } from '../scheduler/logger.ts';
import { keepTickObjectMapsAlive } from '../scheduler/http/tick-objects.ts';
import { openDb } from '../scheduler/store/db.ts';
import { idlePackagingQueue } from '../tests/helpers/idle-packaging-queue.ts';
import { importTestChannel, insertAsset, makeDataDir, publish } from '../tests/integration/origin-fixtures.ts';

const CHANNELS = 12;
const DAYS = 7;
// Thursday 2026-11-26 10:05:13 Asia/Shanghai: mid-morning of day 4 of 7, a lesson on air.
const NOW = Date.parse('2026-11-26T02:05:13Z');
const LIVE_PATH = '/live/ch6/360p.m3u8';
const MASTER_PATH = '/live/ch6/master.m3u8';
/** A 6 s 360p segment is ~0.5 MB; the bench's stand-in is MPEG-TS-sized filler of that length. */
const SEGMENT_BYTES = 188 * 2_700;
const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx'].find((p) => existsSync(p));

const TARGETS = [
  { name: 'live playlist', file: 'live.m3u8', type: 'application/vnd.apple.mpegurl' },
  { name: 'master', file: 'master.m3u8', type: 'application/vnd.apple.mpegurl' },
  { name: 'segment', file: 'seg.ts', type: 'video/mp2t' },
] as const;

/** Child mode: the origin on an ephemeral port with the frozen clock; prints the port. */
async function serveOrigin(dataDir: string, nowMs: number): Promise<void> {
  const db = openDb(dataDir);
  const app = createApp({
    db,
    mediaDir: join(dataDir, 'media'),
    clock: fixedClock(nowMs),
    packagingQueue: idlePackagingQueue(db, join(dataDir, 'media')),
    // Request logging stays on, as in production (the service's logger), into /dev/null.
    logger: createServiceLogger({ dest: '/dev/null' }),
  });
  // As the service's listen() does (scheduler/http/tick-objects.ts); --cold-ticks leaves it out (to compare).
  if (!process.argv.includes('--cold-ticks')) keepTickObjectMapsAlive();
  const server = app.listen(0, '127.0.0.1', () => printPort(server.address()));
  server.keepAliveTimeout = 30_000;
  process.on('SIGTERM', () => process.exit(0));
}

/** Child mode: the minimal node:http server — playlists from memory, the segment streamed from its file. */
function serveMinimal(staticDir: string): void {
  const answers = new Map<string, { type: string; body?: Buffer; file?: string; size: number }>();
  for (const t of TARGETS) {
    const path = join(staticDir, t.file);
    answers.set(
      `/${t.file}`,
      t.file.endsWith('.ts')
        ? { type: t.type, file: path, size: statSync(path).size }
        : { type: t.type, body: readFileSync(path), size: statSync(path).size },
    );
  }
  const server = createServer((req, res) => {
    const answer = answers.get(req.url ?? '');
    if (!answer) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': answer.type, 'Content-Length': answer.size });
    if (answer.body) res.end(answer.body);
    else createReadStream(answer.file!).pipe(res);
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => printPort(server.address()));
  process.on('SIGTERM', () => process.exit(0));
}

function printPort(address: ReturnType<ReturnType<typeof createServer>['address']>): void {
  process.stdout.write(`PORT ${typeof address === 'object' && address ? address.port : 0}\n`);
}

function seed(): ReturnType<typeof makeDataDir> {
  const data = makeDataDir('aerial-origin-bench-');
  insertAsset(data.db, { id: 'slate', kind: 'slate', title: '稍后回来', segmentMs: Array(60).fill(1000) });
  insertAsset(data.db, { id: 'eye', kind: 'filler', title: '眼保健操', segmentMs: Array(50).fill(6000) });
  const lessonIds: string[] = [];
  for (let i = 0; i < 48; i++) {
    const ms = 20 * 60_000 + (i % 5) * 1_700;
    const segments = Array.from({ length: Math.ceil(ms / 6000) }, (_, k) => Math.min(6000, ms - k * 6000));
    insertAsset(data.db, { id: `lesson-${i}`, kind: 'lesson', title: `第${i + 1}课`, segmentMs: segments });
    lessonIds.push(`lesson-${i}`);
  }
  for (let c = 1; c <= CHANNELS; c++) {
    // Every 30 min from 08:00 to 17:30: 20-minute lessons (4 per channel, cycling), slate between.
    const assets = [0, 1, 2, 3].map((k) => lessonIds[(c * 4 + k) % lessonIds.length]!);
    importTestChannel(data.db, {
      id: `ch${c}`,
      number: c,
      assets: [...assets, 'eye'],
      firstSlot: '08:00',
      lastSlot: '17:30',
      everyMinutes: 30,
    });
    publish(data.db, `ch${c}`, '2026-11-23', DAYS, Date.parse('2026-11-22T00:00:00Z'));
  }
  return data;
}

/**
 * Core pinning: with two cores, every server runs on core 0 and wrk on core 1 (taskset, when on PATH), so the
 * load generator never steals the server's core and the three servers are measured alike.
 */
const UNPINNED = process.argv.includes('--unpinned');
const TASKSET = UNPINNED || spawnSync('taskset', ['-V']).error ? undefined : 'taskset';
/** wrk's threads: one on its own core when pinned; two (the issue's method) when unpinned. */
const WRK_THREADS = UNPINNED ? 2 : 1;
const SERVER_CPU = '0';
const WRK_CPU = '1';

function pinned(command: string, args: string[], cpu: string): [string, string[]] {
  return TASKSET ? [TASKSET, ['-c', cpu, command, ...args]] : [command, args];
}

function startChild(args: string[], nodeArgs: string[] = []): { child: ChildProcess; port: Promise<number> } {
  const child = spawn(
    ...pinned(
      process.execPath,
      [
        ...nodeArgs,
        fileURLToPath(new URL('../bin/run-ts.js', import.meta.url)),
        fileURLToPath(import.meta.url),
        ...args,
      ],
      SERVER_CPU,
    ),
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /PORT (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code} before listening`)));
  });
  return { child, port };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** nginx, one worker, serving the static copies; own config, pid, logs and temp paths under `dir`. */
async function startNginx(dir: string, staticDir: string): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  for (const sub of ['logs', 'tmp']) mkdirSync(join(dir, sub), { recursive: true });
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 30s;
  keepalive_requests 1000000;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
  server {
    listen 127.0.0.1:${port};
    root ${staticDir};
  }
}
`,
  );
  const child = spawn(...pinned(NGINX!, ['-p', dir, '-c', conf], SERVER_CPU), {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 50; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/live.m3u8`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, port };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error(`nginx did not answer on port ${port} (see ${dir}/logs/error.log)`);
}

interface Run {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** CPU seconds (user + system) of a process, its threads and its child processes (nginx's worker), so far. */
function cpuSeconds(pid: number): number {
  const ticks = 100; // USER_HZ: what /proc reports in on Linux
  let total = 0;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  total += (Number(fields[11]) + Number(fields[12])) / ticks; // utime, stime
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  for (const child of children ? children.split(' ') : []) total += cpuSeconds(Number(child));
  return total;
}

/**
 * Waits until a server's own startup work is over (the origin renders the default XMLTV guide in the background
 * a second after it starts, paced to half of its event loop): at most 20 CPU-ms over 500 ms, or 30 s. Otherwise
 * that one-off work would be counted as the cost of the requests it overlaps.
 */
async function settled(pid: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  for (let i = 0; i < 60; i++) {
    const before = cpuSeconds(pid);
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (cpuSeconds(pid) - before <= 0.02) return;
  }
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n;
}

/** wrk in a child process (it must not share this event loop); its text report parsed. */
function wrk(url: string, connections: number, seconds: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const args = [`-t${WRK_THREADS}`, `-c${connections}`, `-d${seconds}s`, '--timeout', '2s', '--latency', url];
    const child = spawn(...pinned('wrk', args, WRK_CPU));
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', () => {
      const latency = (p: string) => {
        const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out);
        return m ? toMs(m[1]!, m[2]!) : NaN;
      };
      const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
      if (!rps) return reject(new Error(`wrk printed no result:\n${out}`));
      resolve({
        requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN),
        requestsPerSecond: Math.round(Number(rps[1])),
        p50Ms: latency('50'),
        p99Ms: latency('99'),
        non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
        errors: socket ? Number(socket[1]) + Number(socket[2]) + Number(socket[3]) : 0,
        timeouts: socket ? Number(socket[4]) : 0,
      });
    });
  });
}

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const seconds = Number(arg('--seconds') ?? 10);
  // Long enough for V8 to have optimised the servers' request paths: on a loaded machine its background compiler
  // shares the server's core, and a 2 s warm-up left the origin partly unoptimised into the measured run.
  const warmup = Number(arg('--warmup') ?? 5);
  const only = arg('--only')?.split(',');
  const connectionCounts = (arg('--connections') ?? '100,1000').split(',').map(Number);
  if (spawnSync('wrk', ['--version']).error) throw new Error('wrk is not on PATH (apt-get install wrk)');
  console.log(`load average before: ${load()} (2 cores, shared machine)`);
  const t0 = performance.now();
  const data = seed();
  const work = mkdtempSync(join(tmpdir(), 'aerial-origin-bench-static-'));
  const staticDir = join(work, 'static');
  mkdirSync(staticDir);
  chmodSync(work, 0o755); // nginx's worker runs as an unprivileged user
  console.log(`seeded ${CHANNELS} channels × ${DAYS} days in ${Math.round(performance.now() - t0)} ms`);

  // A segment file for the first segment the live playlist lists (the media dir holds only the DB's records).
  const profileDir = arg('--profile');
  const origin = startChild(
    ['--serve', data.dataDir, String(NOW)],
    profileDir ? ['--cpu-prof', '--cpu-prof-dir', join(profileDir, 'origin')] : [],
  );
  const children: ChildProcess[] = [origin.child];
  try {
    const base = `http://127.0.0.1:${await origin.port}`;
    const live = await (await fetch(base + LIVE_PATH)).text();
    const segmentPath = '/media/' + /^\/media\/(.+\.ts)$/m.exec(live)![1]!;
    const segment = Buffer.alloc(SEGMENT_BYTES);
    for (let i = 0; i < SEGMENT_BYTES; i += 188) segment[i] = 0x47;
    mkdirSync(dirname(join(data.mediaDir, segmentPath.slice('/media/'.length))), { recursive: true });
    writeFileSync(join(data.mediaDir, segmentPath.slice('/media/'.length)), segment);
    const originPaths = { 'live.m3u8': LIVE_PATH, 'master.m3u8': MASTER_PATH, 'seg.ts': segmentPath };
    for (const t of TARGETS) {
      const res = await fetch(base + originPaths[t.file]);
      if (!res.ok) throw new Error(`origin ${originPaths[t.file]}: ${res.status}`);
      writeFileSync(join(staticDir, t.file), Buffer.from(await res.arrayBuffer()));
    }
    const minimal = startChild(
      ['--minimal', staticDir],
      profileDir ? ['--cpu-prof', '--cpu-prof-dir', join(profileDir, 'node-http')] : [],
    );
    children.push(minimal.child);
    const servers: { name: string; pid: number; url: (file: keyof typeof originPaths) => string }[] = [
      { name: 'origin', pid: origin.child.pid!, url: (f) => base + originPaths[f] },
      {
        name: 'node:http',
        pid: minimal.child.pid!,
        url: (
          (port) => (f: string) =>
            `http://127.0.0.1:${port}/${f}`
        )(await minimal.port),
      },
    ];
    if (NGINX) {
      const nginx = await startNginx(join(work, 'nginx'), staticDir);
      children.push(nginx.child);
      servers.push({ name: 'nginx-1w', pid: nginx.child.pid!, url: (f) => `http://127.0.0.1:${nginx.port}/${f}` });
    } else console.log('nginx not found: no nginx reference');
    for (const t of TARGETS) {
      const bodies = await Promise.all(
        servers.map(async (s) => Buffer.from(await (await fetch(s.url(t.file))).arrayBuffer())),
      );
      if (!bodies.every((b) => b.equals(bodies[0]!))) throw new Error(`${t.name}: the servers answer different bytes`);
      console.log(`${t.name}: ${bodies[0]!.length} bytes, identical from ${servers.map((s) => s.name).join(', ')}`);
    }
    const pinning = TASKSET
      ? `servers pinned to cpu ${SERVER_CPU}, wrk to cpu ${WRK_CPU}`
      : `unpinned: servers and wrk share both cores${UNPINNED ? ' (--unpinned, the method of issue 14)' : ' (no taskset)'}`;
    console.log(
      `wrk -t${WRK_THREADS}, ${seconds} s per run after a ${warmup} s warm-up, ${pinning}; latencies in ms\n`,
    );
    console.log(
      'target         conns  server     req/s     p50     p99  non2xx errors timeouts cpu-us/req load1  ratio',
    );
    for (const t of TARGETS.filter((target) => !only || only.some((o) => target.name.startsWith(o)))) {
      for (const connections of connectionCounts) {
        const runs: Run[] = [];
        for (const server of servers) {
          await settled(server.pid);
          await wrk(server.url(t.file), connections, warmup);
          const cpuBefore = cpuSeconds(server.pid);
          const run = await wrk(server.url(t.file), connections, seconds);
          const cpuPerRequestUs = ((cpuSeconds(server.pid) - cpuBefore) / run.requests) * 1e6;
          runs.push(run);
          const ratio = runs.length > 1 ? (runs[0]!.requestsPerSecond / run.requestsPerSecond).toFixed(2) : '';
          console.log(
            `${t.name.padEnd(14)} ${String(connections).padStart(5)}  ${server.name.padEnd(9)} ${String(run.requestsPerSecond).padStart(7)} ${run.p50Ms.toFixed(2).padStart(7)} ${run.p99Ms.toFixed(1).padStart(7)} ${String(run.non2xx).padStart(7)} ${String(run.errors).padStart(6)} ${String(run.timeouts).padStart(8)} ${cpuPerRequestUs.toFixed(1).padStart(10)} ${loadavg()[0]!.toFixed(2).padStart(5)}  ${ratio ? `origin/${server.name} ${ratio}` : ''}`,
          );
        }
      }
    }
    console.log(`\nload average after: ${load()}`);
  } finally {
    for (const child of children) {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    }
    data.cleanup();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') {
  await serveOrigin(process.argv[3]!, Number(process.argv[4]));
} else if (process.argv[2] === '--minimal') {
  serveMinimal(process.argv[3]!);
} else {
  await main();
}

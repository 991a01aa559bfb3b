/**
 * `npm start` on an empty data directory, as a newcomer runs it (prints figures; not a timed test):
 * seconds until the first live playlist is served (a channel plays), until the whole sample is ready
 * (/healthz no longer reports `preparing`), the CPU seconds of the process and its ffmpeg children,
 * and the data directory's size. Media binaries are whatever the service resolves (on a machine without
 * a system ffmpeg: the npm @ffmpeg-installer one). Heavy: run it niced on a quiet machine.
 * Run: npm run bench:sample [-- --timeout 1800]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mediaBinaries } from '../packaging/binaries.ts';

const { values } = parseArgs({ options: { timeout: { type: 'string', default: '1800' } } });
const timeoutMs = Number(values.timeout) * 1000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** user+system CPU seconds of a process and its reaped children (Linux /proc; NaN elsewhere). */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    return (f[11]! + f[12]! + f[13]! + f[14]!) / 100;
  } catch {
    return Number.NaN;
  }
}

function sizeBytes(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((n, entry) => n + sizeBytes(join(path, entry)), 0);
}

async function get(url: string): Promise<{ status: number; body: string }> {
  try {
    const response = await fetch(url);
    return { status: response.status, body: await response.text() };
  } catch {
    return { status: 0, body: '' };
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'aerial-bench-sample-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const loadAtStart = loadavg()[0]!;
console.log(`ffmpeg: ${mediaBinaries().ffmpeg}; load average at start ${loadAtStart.toFixed(2)}`);
const started = performance.now();
const child = spawn(process.execPath, ['bin/aerial.js', '--data', dataDir, 'start', '--port', String(port)], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, LOG_LEVEL: 'warn' },
});
child.stdout.on('data', (chunk: Buffer) => process.stdout.write(`  | ${chunk}`));
const seconds = () => (performance.now() - started) / 1000;
let firstLiveS: number | undefined;
let readyS: number | undefined;
let lastCpu = 0;
try {
  while (readyS === undefined && performance.now() - started < timeoutMs) {
    await new Promise((r) => setTimeout(r, 1000));
    lastCpu = cpuSeconds(child.pid!) || lastCpu;
    if (firstLiveS === undefined) {
      for (let grade = 1; grade <= 12 && firstLiveS === undefined; grade++) {
        const live = await get(`${base}/live/g${grade}/360p.m3u8`);
        if (live.status === 200 && live.body.includes('#EXTINF')) {
          firstLiveS = seconds();
          console.log(`first live playlist (g${grade}) after ${firstLiveS.toFixed(1)} s, ${lastCpu.toFixed(0)} CPU-s`);
        }
      }
      continue;
    }
    const health = await get(`${base}/healthz`);
    if (health.status !== 0 && !health.body.includes('"preparing"')) readyS = seconds();
  }
  lastCpu = cpuSeconds(child.pid!) || lastCpu;
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}
const media = sizeBytes(dataDir);
console.log('\nnpm start on an empty data directory');
console.log(`  first live playlist served: ${firstLiveS?.toFixed(1) ?? 'never'} s`);
console.log(`  whole sample ready:         ${readyS?.toFixed(1) ?? 'not within the timeout'} s`);
console.log(`  CPU (service + ffmpeg):     ${lastCpu.toFixed(0)} s`);
console.log(`  data directory:             ${(media / 1e9).toFixed(2)} GB`);
console.log(`  load average: ${loadAtStart.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end (2 cores shared)`);
rmSync(dataDir, { recursive: true, force: true });

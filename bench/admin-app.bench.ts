/**
 * Console benchmark (prints figures; not a timed test). Production build of the console, served by the real
 * origin over a real (empty) data directory, headless Chromium with the CPU throttled 4× through the DevTools
 * protocol. Measures:
 *   - initial JS of /admin/, gzip: the entry script and the chunks it preloads, i.e. what the first screen
 *     needs (every screen and hls.js are separate chunks, loaded on demand) — target < 300 KB;
 *   - each lazy chunk, gzip, for reference;
 *   - time from navigation to the first meaningful render (the sign-in heading painted), median of 5 cold
 *     loads — target < 1.5 s.
 * Not yet measured here: the guide of 12 channels × 1 day (issue 16's third figure).
 *
 *   npm run bench:admin-app
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { chromium } from 'playwright-core';
import { createPackagingQueue } from '../scheduler/admin/packaging-queue.ts';
import { createApp } from '../scheduler/http/app.ts';
import { openDb } from '../scheduler/store/db.ts';
import { buildConsole } from '../tests/e2e/admin-fixture.ts';
import { CHROMIUM_FLAGS, chromiumExecutable } from '../tests/e2e/tv-fixture.ts';

const work = mkdtempSync(join(tmpdir(), 'aerial-admin-bench-'));
const dist = join(work, 'admin');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

try {
  await buildConsole(dist);
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\/admin\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  const initialJs = initial.filter((f) => f.endsWith('.js'));
  const initialJsGzip = initialJs.reduce((sum, f) => sum + gz(join(dist, f)), 0);
  const cssGzip = initial.filter((f) => f.endsWith('.css')).reduce((sum, f) => sum + gz(join(dist, f)), 0);
  console.log(`initial JS of /admin/ (gzip): ${kb(initialJsGzip)} in ${initialJs.length} file(s); target < 300 KB`);
  console.log(`  ratio to target: ${(initialJsGzip / (300 * 1024)).toFixed(2)}; CSS ${kb(cssGzip)}`);
  for (const file of readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'))) {
    if (!initialJs.includes(`assets/${file}`))
      console.log(`  lazy chunk ${file}: ${kb(gz(join(dist, 'assets', file)))}`);
  }

  const dataDir = join(work, 'data');
  const db = openDb(dataDir);
  const app = createApp({
    db,
    mediaDir: join(dataDir, 'media'),
    clock: () => Date.now(),
    logger: pino({ level: 'silent' }),
    packagingQueue: createPackagingQueue({ db, dataDir }),
    adminAppDir: dist,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin/`;
  const browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: CHROMIUM_FLAGS });
  const timesMs: number[] = [];
  for (let run = 0; run < 5; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.goto(url, { waitUntil: 'commit' });
    await page.getByRole('heading', { name: '登录播控台' }).waitFor();
    // From the navigation start to the frame after the heading is in the DOM (it is painted by then).
    timesMs.push(
      await page.evaluate(
        () => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now()))),
      ),
    );
    await context.close();
  }
  await browser.close();
  server.closeAllConnections();
  server.close();
  db.close();
  timesMs.sort((a, b) => a - b);
  const median = timesMs[2]!;
  console.log(
    `first meaningful render, CPU 4× slower (median of 5): ${median.toFixed(0)} ms ` +
      `(min ${timesMs[0]!.toFixed(0)}, max ${timesMs[4]!.toFixed(0)}); target < 1500 ms, ratio ${(median / 1500).toFixed(2)}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

/**
 * Console benchmark (prints figures; not a timed test). Production build of the console, served by the real
 * origin over a real (empty) data directory, headless Chromium with the CPU throttled 4× through the DevTools
 * protocol. Measures:
 *   - initial JS of /admin/, gzip: the entry script and the chunks it preloads, i.e. what the first screen
 *     needs (every screen and hls.js are separate chunks, loaded on demand) — target < 300 KB;
 *   - each lazy chunk, gzip, for reference;
 *   - time from navigation to the first meaningful render (the sign-in heading painted), median of 5 cold
 *     loads — target < 1.5 s; beside it, in the same run and conditions, a reference page (the same heading in
 *     plain HTML, no script) so that the figure can be read against the machine's load;
 *   - the guide screen for 12 channels × 1 day of a sample-like schedule (the sample's channel document and
 *     timetables, published by the real build, served by the real /api/guide): from the guide answer's last byte
 *     to the frame after every channel row is drawn, median of 5 — target < 200 ms (CPU not throttled).
 *
 *   npm run bench:admin-app
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { createPackagingQueue } from '../scheduler/admin/packaging-queue.ts';
import { createToken } from '../scheduler/admin/tokens.ts';
import { fixedClock } from '../scheduler/clock.ts';
import { createApp } from '../scheduler/http/app.ts';
import { openDb } from '../scheduler/store/db.ts';
import { buildConsole } from '../tests/e2e/admin-fixture.ts';
import { NOW_MS, sampleGuideDataDir } from '../tests/integration/guide-data-dir-fixtures.ts';
import { CHROMIUM_FLAGS, chromiumExecutable } from '../tests/e2e/tv-fixture.ts';

const work = mkdtempSync(join(tmpdir(), 'aerial-admin-bench-'));
const dist = join(work, 'admin');
const cpus = availableParallelism();
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
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  // The reference: the same heading in plain HTML (no script, no font), same browser, same throttling.
  const referenceMs: number[] = [];
  for (let run = 0; run < 5; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.route('http://reference.test/', (route) =>
      route.fulfill({
        contentType: 'text/html; charset=utf-8',
        body: '<!doctype html><html lang="zh-CN"><title>x</title><h1>登录播控台</h1></html>',
      }),
    );
    await page.goto('http://reference.test/', { waitUntil: 'commit' });
    await page.getByRole('heading', { name: '登录播控台' }).waitFor();
    referenceMs.push(
      await page.evaluate(
        () => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now()))),
      ),
    );
    await context.close();
  }
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
  server.closeAllConnections();
  server.close();
  db.close();
  const fmp = median(timesMs);
  console.log(
    `first meaningful render, CPU 4× slower (median of 5): ${fmp.toFixed(0)} ms ` +
      `(min ${Math.min(...timesMs).toFixed(0)}, max ${Math.max(...timesMs).toFixed(0)}); target < 1500 ms, ` +
      `ratio ${(fmp / 1500).toFixed(2)}`,
  );
  const reference = median(referenceMs);
  console.log(
    `  reference (plain HTML heading, same conditions): ${reference.toFixed(0)} ms; ` +
      `console / reference ${(fmp / reference).toFixed(2)}`,
  );

  const guideMs = await guideRender(browser, dist);
  await browser.close();
  const guide = median(guideMs);
  console.log(
    `guide, 12 channels × 1 day of a sample-like schedule (median of 5): ${guide.toFixed(0)} ms from the answer ` +
      `to the rows drawn (min ${Math.min(...guideMs).toFixed(0)}, max ${Math.max(...guideMs).toFixed(0)}); ` +
      `target < 200 ms, ratio ${(guide / 200).toFixed(2)}`,
  );
  console.log(`  machine load average (1 min) at the end: ${loadavg()[0]!.toFixed(1)} on ${cpus} cores`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Milliseconds from the last byte of the guide answer to the frame after all 12 rows are drawn, 5 cold runs. */
async function guideRender(browser: Browser, dist: string): Promise<number[]> {
  const CHANNELS = 12;
  const date = new Date(NOW_MS + 8 * 3_600_000).toISOString().slice(0, 10); // NOW_MS's date in Shanghai
  const data = sampleGuideDataDir(CHANNELS, 4);
  const token = createToken(data.db, 'bench', 'editor', NOW_MS).token;
  const app = createApp({
    db: data.db,
    mediaDir: join(data.dir, 'media'),
    clock: fixedClock(NOW_MS),
    logger: pino({ level: 'silent' }),
    packagingQueue: createPackagingQueue({ db: data.db, dataDir: data.dir }),
    adminAppDir: dist,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const times: number[] = [];
  try {
    for (let run = 0; run < 5; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addInitScript(
        ({ session, rows }) => {
          sessionStorage.setItem('aerial.admin.session', session);
          const w = window as unknown as { rowsDrawnAt?: number };
          new MutationObserver((_, observer) => {
            const drawn = document.querySelectorAll('.guide-row');
            if (drawn.length === rows && drawn[rows - 1]!.querySelector('.programme')) {
              observer.disconnect();
              requestAnimationFrame(() => (w.rowsDrawnAt = performance.now()));
            }
          }).observe(document, { childList: true, subtree: true });
        },
        { session: JSON.stringify({ token, role: 'editor' }), rows: CHANNELS },
      );
      const page = await context.newPage();
      await page.goto(`${base}/admin/#/guide`);
      await page.getByLabel('日期').fill(date);
      await page.waitForFunction(() => (window as unknown as { rowsDrawnAt?: number }).rowsDrawnAt !== undefined);
      times.push(
        await page.evaluate(() => {
          // The guide asked last (the chosen day) is the one answered last.
          const answers = performance
            .getEntriesByType('resource')
            .filter((e) => e.name.includes('/api/guide?')) as PerformanceResourceTiming[];
          const answeredAt = Math.max(...answers.map((e) => e.responseEnd));
          return (window as unknown as { rowsDrawnAt: number }).rowsDrawnAt - answeredAt;
        }),
      );
      await context.close();
    }
  } finally {
    server.closeAllConnections();
    server.close();
    data.close();
  }
  return times;
}

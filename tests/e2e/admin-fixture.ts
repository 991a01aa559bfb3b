/**
 * The e2e world of the broadcaster console: the TV e2e data set (real SQLite, lessons packaged by the real
 * pipeline, two channels published yesterday…tomorrow), an editor and an admin token, the production build of
 * the console in a temp dir, the real origin on an ephemeral port, and headless Chromium. Each test gets a
 * fresh browser context (its own sessionStorage), and axe checks the page it reaches.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createToken } from '../../scheduler/admin/tokens.ts';
import { createApp, type AppOptions } from '../../scheduler/http/app.ts';
import type { Db } from '../../scheduler/store/db.ts';
import { idlePackagingQueue } from '../helpers/idle-packaging-queue.ts';
import { createDataDir, launchBrowser, removeDir, REPO_ROOT, runNode, tempDir } from './tv-fixture.ts';

export interface ConsoleWorld {
  work: string;
  db: Db;
  baseUrl: string;
  editorToken: string;
  adminToken: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Production build of the console into `outDir` (what `npm run build:admin` makes). */
export function buildConsole(outDir: string): Promise<void> {
  const vite = join(REPO_ROOT, 'node_modules/vite/bin/vite.js');
  return runNode([vite, 'build', '--config', join(REPO_ROOT, 'admin-app/vite.config.js')], { ADMIN_OUT_DIR: outDir });
}

/** The console's usual world: the TV e2e data set, nothing packaging (an idle queue). */
export async function startConsoleWorld(): Promise<ConsoleWorld> {
  const work = tempDir('aerial-admin-e2e-');
  const dataDir = join(work, 'data');
  const [db] = await Promise.all([createDataDir(dataDir, Date.now()), buildConsole(join(work, 'admin'))]);
  return serveConsole({ work, dataDir, db, packagingQueue: idlePackagingQueue(db, join(dataDir, 'media')) });
}

/**
 * The real origin with the console built into `<work>/admin` on an ephemeral port over `db`, an editor and an
 * admin token, and headless Chromium; `close` stops them and removes `work`. Options beyond these go to createApp.
 */
export async function serveConsole(
  options: { work: string; dataDir: string; db: Db; onClose?: () => void } & Pick<AppOptions, 'packagingQueue'> &
    Partial<AppOptions>,
): Promise<ConsoleWorld> {
  const { work, dataDir, db, onClose, ...appOptions } = options;
  const editorToken = createToken(db, 'e2e-editor', 'editor', Date.now()).token;
  const adminToken = createToken(db, 'e2e-admin', 'admin', Date.now()).token;
  const app = createApp({
    db,
    mediaDir: join(dataDir, 'media'),
    clock: () => Date.now(),
    logger: pino({ level: 'silent' }),
    tvAppDir: join(work, 'no-tv-app'),
    adminAppDir: join(work, 'admin'),
    ...appOptions,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const browser = await launchBrowser();
  return {
    work,
    db,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    editorToken,
    adminToken,
    browser,
    async close() {
      await browser.close();
      onClose?.();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (db.open) db.close();
      removeDir(work);
    },
  };
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
}

/** A fresh browser context on /admin/ (zh-CN unless `language` is given), signed in when `token` is. */
export async function openConsole(
  world: ConsoleWorld,
  options: { token?: string; language?: 'zh-CN' | 'en'; hash?: string } = {},
): Promise<ConsolePage> {
  const context = await world.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  if (options.language) {
    await context.addInitScript((lang) => localStorage.setItem('aerial.admin.lang', lang), options.language);
  }
  const page = await context.newPage();
  await page.goto(`${world.baseUrl}/admin/${options.hash ?? ''}`);
  if (options.token) await signIn(page, options.token);
  return { context, page };
}

export async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel(/API 令牌|API token/).fill(token);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
  await page.getByRole('button', { name: /退出登录|Sign out/ }).waitFor();
}

/** Serious and critical axe violations on the page as it is now (expected: none). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
}

export function screenshotPath(name: string): string {
  const dir = join(REPO_ROOT, 'artifacts', 'admin-app');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}

type Locator = ReturnType<Page['locator']>;

/** Waits until the locator's one element is visible (vitest has no web-first assertions; this is ours). */
export async function shown(locator: Locator, timeout = 10_000): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout });
  return locator;
}

/** Waits until no element matches. */
export async function gone(locator: Locator, timeout = 10_000): Promise<void> {
  await locator.first().waitFor({ state: 'detached', timeout });
}

/** The element's text once it is visible, whitespace collapsed. */
export async function textOf(locator: Locator): Promise<string> {
  await shown(locator);
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Width drawn per CJK character of the element's text, in ems, once the page's fonts have loaded: about 1 when
 * the Chinese glyphs are drawn, about 0.6 when the fallback's empty "tofu" boxes are (they are narrower).
 * `document.fonts.check()` cannot see that defect: the font is loaded, the text was shaped before it was.
 */
export async function emsPerCjkCharacter(locator: Locator): Promise<number> {
  await shown(locator);
  return locator.evaluate(async (element) => {
    await document.fonts.ready;
    const cjk = (element.textContent ?? '').match(/[\u2e80-\u9fff]/g)?.length ?? 0;
    const range = document.createRange();
    range.selectNodeContents(element);
    const latin = (element.textContent ?? '').replace(/[\u2e80-\u9fff]/g, '');
    const probe = document.createElement('span');
    probe.textContent = latin;
    element.parentElement!.appendChild(probe);
    Object.assign(probe.style, { font: getComputedStyle(element).font, whiteSpace: 'pre' });
    const latinWidth = probe.getBoundingClientRect().width;
    probe.remove();
    const fontSize = parseFloat(getComputedStyle(element).fontSize);
    return (range.getBoundingClientRect().width - latinWidth) / (cjk * fontSize);
  });
}

/**
 * The TV app in a real headless Chromium against the real origin and real packaged media.
 * Assertions read the Blits inspector's DOM mirror (`data-testid` from `inspector-data`), and the real
 * <video> element for playback. Screenshots go to artifacts/tv-app/.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GuideResponse, GuideProgramme } from '../../playlists/guide-json.ts';
import type { Db } from '../../scheduler/store/db.ts';
import { decodePng } from '../helpers/png.ts';
import {
  artifactsDir,
  buildDevApp,
  captionCueText,
  CHANNELS,
  CUE_EVERY_S,
  createDataDir,
  LESSONS,
  launchBrowser,
  NOTICE,
  removeDir,
  startOrigin,
  tempDir,
  type RunningOrigin,
} from './tv-fixture.ts';

let work: string;
let db: Db;
let origin: RunningOrigin;
let browser: Browser;

beforeAll(async () => {
  work = tempDir('aerial-tv-e2e-');
  const [createdDb] = await Promise.all([createDataDir(join(work, 'data'), Date.now()), buildDevApp(join(work, 'tv'))]);
  db = createdDb;
  origin = await startOrigin(db, join(work, 'data'), join(work, 'tv'));
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await origin?.close();
  if (db?.open) db.close();
  removeDir(work);
});

const shots = artifactsDir();
const openPages: Page[] = [];

// A failed test must not leave a page playing video and rendering: the machine has 2 cores.
afterEach(async () => {
  await Promise.all(openPages.splice(0).map((page) => page.close().catch(() => undefined)));
});

async function openApp(
  hash: string,
  options: {
    dismissNotice?: boolean;
    viewport?: { width: number; height: number };
    query?: string;
    beforeLoad?: (page: Page) => Promise<unknown>;
    on?: RunningOrigin;
  } = {},
): Promise<Page> {
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1920, height: 1080 } });
  openPages.push(page);
  await options.beforeLoad?.(page);
  page.on('pageerror', (error) => console.error(`[tv-app page error] ${error.message}`));
  if (process.env.TV_E2E_DEBUG)
    page.on('console', (m) => console.log(Date.now() % 100000, 'console', m.text().slice(0, 200)));
  if (process.env.TV_E2E_DEBUG)
    page.on('requestfinished', (r) => console.log(Date.now() % 100000, 'done', r.url().slice(0, 120)));
  if (process.env.TV_E2E_DEBUG)
    page.on('requestfailed', (r) =>
      console.log(Date.now() % 100000, 'failed', r.url().slice(0, 120), r.failure()?.errorText),
    );
  await page.goto(`${(options.on ?? origin).baseUrl}/tv/${options.query ?? ''}${hash}`);
  if (options.dismissNotice !== false) {
    await waitShown(page, 'notice-banner');
    await page.keyboard.press('Enter');
    await waitHidden(page, 'notice-banner');
  }
  return page;
}

/**
 * Whether a mirrored node is on screen: present, and neither it nor an ancestor says `data-shown="false"`.
 * Toggled nodes mirror their visibility in `inspector-data` because the inspector (renderer 2.23) never
 * resets a div's opacity when alpha returns to 1, so CSS opacity cannot be trusted.
 */
function isShown(page: Page, testid: string, extra = ''): Promise<boolean> {
  return page.evaluate(
    ([id, more]) => {
      const element = document.querySelector(`[data-testid="${id}"]${more}`);
      for (let e: Element | null = element; e && e !== document.body; e = e.parentElement) {
        if (e.getAttribute('data-shown') === 'false') return false;
      }
      return element !== null;
    },
    [testid, extra] as const,
  );
}

async function waitShown(page: Page, testid: string, extra = '', timeout = 15_000): Promise<void> {
  await expect.poll(() => isShown(page, testid, extra), { timeout, interval: 100 }).toBe(true);
}

/** Until the page has the key focus: the router hands it over a tick after drawing it, and keys before are lost. */
async function waitForKeys(page: Page, pageTestid: 'page-settings' | 'page-ondemand'): Promise<void> {
  await waitShown(page, pageTestid, '[data-input="true"]');
}

async function waitHidden(page: Page, testid: string, timeout = 15_000): Promise<void> {
  await expect.poll(() => isShown(page, testid), { timeout, interval: 100 }).toBe(false);
}

/** Text of a mirrored Text node (the inspector puts the content in the div). */
function textOf(page: Page, testid: string): Promise<string> {
  return page.evaluate((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '', testid);
}

function attributes(page: Page, testid: string, attribute: string): Promise<string[]> {
  return page.evaluate(
    ([id, name]) => [...document.querySelectorAll(`[data-testid="${id}"]`)].map((e) => e.getAttribute(name) ?? ''),
    [testid, attribute] as const,
  );
}

async function focusedCell(page: Page): Promise<{ channel: string; programme: string; state: string } | undefined> {
  return page.evaluate(() => {
    const e = document.querySelector('[data-testid="guide-cell"][data-focused="true"]');
    return e
      ? {
          channel: e.getAttribute('data-channel')!,
          programme: e.getAttribute('data-programme')!,
          state: e.getAttribute('data-state')!,
        }
      : undefined;
  });
}

/** The guide from now − 24 h to now + 72 h, asked for a day at a time (the API's longest span). */
async function guideFromApi(on: RunningOrigin = origin): Promise<GuideResponse> {
  const dayMs = 86_400_000;
  const startMs = Date.now() - dayMs;
  const days: GuideResponse[] = [];
  for (let i = 0; i < 4; i++) {
    const from = new Date(startMs + i * dayMs).toISOString();
    const to = new Date(startMs + (i + 1) * dayMs).toISOString();
    const response = await fetch(
      `${on.baseUrl}/api/guide?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    );
    if (!response.ok) throw new Error(`/api/guide ${from}..${to}: ${response.status} ${await response.text()}`);
    days.push((await response.json()) as GuideResponse);
  }
  const merged = days[0]!;
  for (const channel of merged.channels) {
    const seen = new Set(channel.programmes.map((p) => p.id));
    for (const day of days.slice(1)) {
      const same = day.channels.find((c) => c.channelId === channel.channelId);
      for (const p of same?.programmes ?? []) {
        if (seen.has(p.id)) continue;
        channel.programmes.push(p);
        seen.add(p.id);
      }
    }
  }
  return merged;
}

function programmesOf(guide: GuideResponse, channelId: string): GuideProgramme[] {
  return guide.channels.find((c) => c.channelId === channelId)!.programmes;
}

function airingAt(programmes: GuideProgramme[], ms: number): GuideProgramme {
  return programmes.find((p) => p.startMs <= ms && p.endMs > ms)!;
}

/** currentTime of the <video>, or −1 when there is none. */
function videoTime(page: Page): Promise<number> {
  return page.evaluate(() => document.querySelector('video')?.currentTime ?? -1);
}

async function expectVideoAdvancing(page: Page, atLeast = 0): Promise<number> {
  await expect.poll(() => videoTime(page), { timeout: 30_000, interval: 200 }).toBeGreaterThan(atLeast);
  const first = await videoTime(page);
  await expect.poll(() => videoTime(page), { timeout: 15_000, interval: 200 }).toBeGreaterThan(first + 1);
  return first;
}

describe('programme guide', () => {
  it('shows the channels and the programmes the API returns, focused on what is on air now', async () => {
    const openedAt = Date.now();
    const page = await openApp('#/guide');
    await waitShown(page, 'guide-cell');
    const guide = await guideFromApi();
    expect(await attributes(page, 'guide-row', 'data-channel')).toEqual(CHANNELS.map((c) => c.id));

    for (const channel of CHANNELS) {
      const api = programmesOf(guide, channel.id);
      const shownIds = await page.evaluate(
        (id) =>
          [...document.querySelectorAll(`[data-testid="guide-cell"][data-channel="${id}"]`)].map((e) =>
            e.getAttribute('data-programme')!,
          ),
        channel.id,
      );
      expect(shownIds.length).toBeGreaterThan(5);
      // Exactly the API's programmes, a contiguous run of them (the visible window). The mirror's order is the
      // order the nodes were made in (guide pages arrive one by one), not the screen's: sort by the API's order.
      const apiIndex = new Map(api.map((p, i) => [p.id, i]));
      expect(shownIds.every((id) => apiIndex.has(id))).toBe(true);
      shownIds.sort((a, b) => apiIndex.get(a)! - apiIndex.get(b)!);
      const firstIndex = apiIndex.get(shownIds[0]!)!;
      expect(shownIds).toEqual(api.slice(firstIndex, firstIndex + shownIds.length).map((p) => p.id));
      // The programme on air now is among them, with its title.
      const airing = airingAt(api, Math.max(openedAt, Date.now() - 5_000));
      expect(shownIds).toContain(airing.id);
      // A cell shows its programme's title unless it is narrower than about two characters (Guide.js) — at 90
      // minutes a screen, all of the fixture's 3-minute lessons and 1-minute breaks; the details panel shows the
      // focused one's title (checked below).
      const cellTexts = await page.evaluate(
        (ch) =>
          [...document.querySelectorAll(`[data-testid="guide-cell"][data-channel="${ch}"]`)].map(
            (e) => [e.getAttribute('data-programme')!, e.textContent ?? ''] as const,
          ),
        channel.id,
      );
      for (const [id, text] of cellTexts)
        if (text !== '') expect(text).toContain(api.find((p) => p.id === id)!.title.zh);
    }
    const focused = await focusedCell(page);
    expect(focused?.channel).toBe('g3');
    // Focus starts on what was on air when the guide opened (a programme may have ended since).
    const focusedProgramme = programmesOf(guide, 'g3').find((p) => p.id === focused?.programme)!;
    expect(focusedProgramme.startMs).toBeLessThanOrEqual(Date.now());
    expect(focusedProgramme.endMs).toBeGreaterThan(openedAt);
    await expect.poll(() => textOf(page, 'guide-details-title')).toBe(focusedProgramme.title.zh);
    expect(await isShown(page, 'guide-now-line')).toBe(true);

    // The guide came in 3-hour pages (aligned to 3-hour boundaries), the page of now first, then its neighbours,
    // none twice; their arrival one by one did not move the focus.
    const pagesRequested = async () =>
      page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((e) => e.name.includes('/api/guide?'))
          .map((e) => {
            const q = new URL(e.name).searchParams;
            return [Date.parse(q.get('from')!), Date.parse(q.get('to')!)] as const;
          }),
      );
    const PAGE = 3 * 3_600_000;
    await expect.poll(async () => (await pagesRequested()).length).toBeGreaterThanOrEqual(3);
    const requested = await pagesRequested();
    for (const [from, to] of requested) {
      expect(to - from).toBe(PAGE);
      expect(from % PAGE).toBe(0);
    }
    expect(new Set(requested.map(([from]) => from)).size).toBe(requested.length);
    expect(requested[0]![0]).toBeLessThanOrEqual(openedAt);
    expect(requested[0]![1]).toBeGreaterThan(openedAt);
    await page.waitForTimeout(500);
    expect(await focusedCell(page)).toEqual(focused);
    await page.screenshot({ path: join(shots, 'guide.png') });
    await page.close();
  });

  it('moves focus programme by programme with Left/Right and channel by channel with Up/Down; Up from the top reaches the tabs', async () => {
    const page = await openApp('#/guide');
    await waitShown(page, 'guide-cell');
    const guide = await guideFromApi();
    const g3 = programmesOf(guide, 'g3');
    const start = (await focusedCell(page))!;
    const startIndex = g3.findIndex((p) => p.id === start.programme);

    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await focusedCell(page))?.programme).toBe(g3[startIndex + 1]!.id);
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await focusedCell(page))?.programme).toBe(g3[startIndex + 2]!.id);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await focusedCell(page))?.programme).toBe(g3[startIndex - 1]!.id);
    expect((await focusedCell(page))?.state).toBe('past');

    // Down: the g4 programme airing at the focused programme's start.
    const at = Math.max(g3[startIndex - 1]!.startMs, 0);
    await page.keyboard.press('ArrowDown');
    const expected = programmesOf(guide, 'g4').find((p) => p.startMs <= at && p.endMs > at)!;
    await expect.poll(async () => await focusedCell(page)).toMatchObject({ channel: 'g4', programme: expected.id });
    expect(await attributes(page, 'guide-row', 'data-focused')).toEqual(['false', 'true']);

    // Many Rights scroll the window forward: the grid follows the focus and stays windowed.
    for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowRight');
    const far = programmesOf(guide, 'g4')[programmesOf(guide, 'g4').findIndex((p) => p.id === expected.id) + 40]!;
    await expect.poll(async () => (await focusedCell(page))?.programme).toBe(far.id);
    const cellCount = await page.evaluate(() => document.querySelectorAll('[data-testid="guide-cell"]').length);
    expect(cellCount).toBeLessThan(120);

    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => attributes(page, 'nav-tab', 'data-focused')).toEqual(['false', 'true', 'false', 'false']);
    await page.close();
  });

  it('OK on a future programme shows its details; Back closes them', async () => {
    const page = await openApp('#/guide');
    await waitShown(page, 'guide-cell');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await focusedCell(page))?.state).toBe('future');
    // The details panel follows the focus once it rests (not on every key repeat), and the overlay shows the same
    // programme.
    const focused = (await focusedCell(page))!;
    const programme = programmesOf(await guideFromApi(), focused.channel).find((p) => p.id === focused.programme)!;
    await expect.poll(() => textOf(page, 'guide-details-title')).toBe(programme.title.zh);
    await page.keyboard.press('Enter');
    await waitShown(page, 'programme-details');
    expect(await textOf(page, 'programme-details')).toContain(programme.title.zh);
    await page.keyboard.press('Escape');
    await waitHidden(page, 'programme-details');
    expect(await isShown(page, 'page-guide')).toBe(true);
    await page.close();
  });

  it('OK on a past programme plays its catch-up recording', async () => {
    const page = await openApp('#/guide');
    await waitShown(page, 'guide-cell');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await focusedCell(page))?.state).toBe('past');
    await page.keyboard.press('Enter');
    await waitShown(page, 'page-player');
    await expectVideoAdvancing(page);
    const src = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .filter((n) => n.includes('/vod/airings/')),
    );
    expect(src.length).toBeGreaterThan(0);
    await page.close();
  });
});

describe('programme guide on a demo-dense schedule', () => {
  // The sample's shape: 12 s lessons every minute with a break after each, a few pixels a programme at 90 minutes a
  // screen.
  let denseDb: Db;
  let dense: RunningOrigin;
  beforeAll(async () => {
    denseDb = await createDataDir(join(work, 'dense'), Date.now(), undefined, 1, 12);
    dense = await startOrigin(denseDb, join(work, 'dense'), join(work, 'tv'));
  }, 120_000);
  afterAll(async () => {
    await dense?.close();
    if (denseDb?.open) denseDb.close();
  });

  it('draws runs of slivers as a few blocks, and still moves programme by programme through them', async () => {
    const page = await openApp('#/guide', { on: dense });
    await waitShown(page, 'guide-cell', '[data-focused="true"]');
    const g3 = programmesOf(await guideFromApi(dense), 'g3');
    const cells = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('[data-testid="guide-cell"][data-channel="g3"]')].map((e) => ({
          programme: e.getAttribute('data-programme')!,
          count: Number(e.getAttribute('data-count')),
        })),
      );
    // 90 minutes of programmes (two a minute) in a handful of nodes: past run, the focused one, future run.
    const shown = await cells();
    expect(shown.length).toBeLessThan(12);
    expect(shown.reduce((n, c) => n + c.count, 0)).toBeGreaterThan(120);

    const start = (await focusedCell(page))!;
    const startIndex = g3.findIndex((p) => p.id === start.programme);
    expect(startIndex).toBeGreaterThan(0);
    for (let i = 1; i <= 3; i++) {
      await page.keyboard.press('ArrowRight');
      await expect.poll(async () => (await focusedCell(page))?.programme).toBe(g3[startIndex + i]!.id);
    }
    expect((await cells()).length).toBeLessThan(12);
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await focusedCell(page))?.programme).toBe(g3[startIndex - 3]!.id);
    expect((await focusedCell(page))?.state).toBe('past');
    await page.keyboard.press('Enter');
    await waitShown(page, 'page-player');
    await expectVideoAdvancing(page);
    await page.close();
  });
});

describe('live', () => {
  it('OK on the airing programme tunes the channel: video plays, the info banner shows channel and now/next', async () => {
    const page = await openApp('#/guide');
    await waitShown(page, 'guide-cell');
    const tunedAt = Date.now();
    await page.keyboard.press('Enter');
    await waitShown(page, 'page-live');
    await expectVideoAdvancing(page);
    await waitShown(page, 'info-banner');
    expect(await textOf(page, 'info-channel')).toBe('3  三年级频道');
    const shownNow = await textOf(page, 'info-now');
    const readAt = Date.now();
    // The fixture's programmes are minutes long: the banner shows what aired at some instant since the tune.
    const g3 = programmesOf(await guideFromApi(), 'g3');
    const airedSinceTune = g3.filter((p) => p.endMs > tunedAt && p.startMs <= readAt).map((p) => p.title.zh);
    expect(airedSinceTune).toContain(shownNow);
    await page.screenshot({ path: join(shots, 'live.png') });

    // Back opens the guide, and the player is gone.
    await page.keyboard.press('Backspace');
    await waitShown(page, 'page-guide');
    await expect.poll(() => videoTime(page)).toBe(-1);
    await page.close();
  });

  it('tunes by number keys after a short pause, and zaps with channel up/down', async () => {
    const page = await openApp('#/live/g3');
    await expectVideoAdvancing(page);
    await page.keyboard.press('4');
    await waitShown(page, 'digit-entry');
    await expect.poll(() => textOf(page, 'info-channel'), { timeout: 5_000 }).toBe('4  四年级频道');
    await waitHidden(page, 'digit-entry');
    await expectVideoAdvancing(page);
    // The live stream of the new channel was requested.
    const g4Requests = await page.evaluate(
      () => performance.getEntriesByType('resource').filter((e) => e.name.includes('/live/g4/')).length,
    );
    expect(g4Requests).toBeGreaterThan(0);

    await page.keyboard.press('PageUp');
    await expect.poll(() => textOf(page, 'info-channel')).toBe('3  三年级频道');
    await page.keyboard.press('PageDown');
    await expect.poll(() => textOf(page, 'info-channel')).toBe('4  四年级频道');
    // Numpad digits (key code 105; Playwright's Numpad9 is PageUp unless NumLock, i.e. Shift, is on) work too;
    // an unknown number does not change the channel.
    await page.keyboard.press('Shift+Numpad9');
    await waitShown(page, 'digit-entry');
    await page.waitForTimeout(2_000);
    expect(await textOf(page, 'info-channel')).toBe('4  四年级频道');
    await page.keyboard.press('Escape');
    await waitShown(page, 'page-guide');
    await page.close();
  });

  it('runs at 1280×720 too', async () => {
    const page = await openApp('#/live/g4', { viewport: { width: 1280, height: 720 } });
    await expectVideoAdvancing(page);
    const canvas = await page.evaluate(() => {
      const c = document.querySelector('canvas')!;
      return { w: c.clientWidth, h: c.clientHeight };
    });
    expect(canvas).toEqual({ w: 1280, h: 720 });
    await page.keyboard.press('Enter');
    await waitShown(page, 'info-banner');
    await page.screenshot({ path: join(shots, 'live-720p.png') });
    await page.close();
  });

  it('draws a 1080p screen at 720p by default (fewer pixels per frame), at full resolution with render=1080', async () => {
    const canvasSize = (page: Page) =>
      page.evaluate(() => {
        const c = document.querySelector('canvas')!;
        return { backing: `${c.width}x${c.height}`, shown: `${c.clientWidth}x${c.clientHeight}` };
      });
    const page = await openApp('#/guide', { dismissNotice: false });
    await waitShown(page, 'guide-cell');
    expect(await canvasSize(page)).toEqual({ backing: '1280x720', shown: '1920x1080' });
    await page.close();
    const full = await openApp('#/guide', { dismissNotice: false, query: '?render=1080' });
    await waitShown(full, 'guide-cell');
    expect(await canvasSize(full)).toEqual({ backing: '1920x1080', shown: '1920x1080' });
    await full.close();
  });
});

describe('playback resilience', () => {
  it('rides out lost segment requests: hls.js retries, playback goes on, no error on screen', async () => {
    let aborted = 0;
    const page = await openApp('#/live/g3');
    const before = await expectVideoAdvancing(page);
    // From now on the next three segment requests (live playlists point at /media/<asset>/<rendition>/segNNNNN.ts)
    // fail at the network level.
    await page.route(/\/media\/.*\.ts(\?|$)/, (route) => {
      if (aborted < 3) {
        aborted++;
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await expect.poll(() => aborted, { timeout: 30_000, interval: 200 }).toBe(3);
    const atLoss = await videoTime(page);
    expect(atLoss).toBeGreaterThan(before);
    // Playing on well past what was buffered when the requests failed means the lost segments were fetched again.
    await expect.poll(() => videoTime(page), { timeout: 45_000, interval: 250 }).toBeGreaterThan(atLoss + 12);
    expect(await isShown(page, 'player-error')).toBe(false);
    expect(await page.evaluate(() => document.querySelector('video')?.dataset.engine)).toBe('hls.js');
    await page.close();
  });

  it('explains on screen a stream the origin refuses for good, without retrying for half a minute', async () => {
    const page = await openApp('#/live/g4', {
      beforeLoad: (p) =>
        p.route(/\/live\/g4\//, (route) =>
          route.fulfill({ status: 404, contentType: 'text/plain', body: 'no such channel' }),
        ),
    });
    const shownBy = Date.now() + 15_000;
    await waitShown(page, 'player-error', '', 15_000);
    expect(Date.now()).toBeLessThan(shownBy);
    const message = await textOf(page, 'player-error');
    expect(message).toContain('播放出错');
    expect(message).toContain('HTTP 404');
    // The failed player is gone (no <video> left decoding nothing), and Back still leaves for the guide.
    expect(await videoTime(page)).toBe(-1);
    await page.screenshot({ path: join(shots, 'live-refused.png') });
    await page.keyboard.press('Backspace');
    await waitShown(page, 'page-guide');
    await page.close();
  });

  it('without MSE falls back to the device HLS player, or says the device cannot play HLS', async () => {
    const page = await openApp('#/live/g3', {
      beforeLoad: (p) =>
        p.addInitScript(() => {
          const w = window as unknown as Record<string, unknown>;
          delete w.MediaSource;
          delete w.ManagedMediaSource;
          delete w.WebKitMediaSource;
        }),
    });
    expect(await page.evaluate(() => typeof (window as unknown as { MediaSource?: unknown }).MediaSource)).toBe(
      'undefined',
    );
    await expect
      .poll(() => page.evaluate(() => document.querySelector('video')?.dataset.engine ?? ''), { timeout: 15_000 })
      .not.toBe('');
    const native = await page.evaluate(
      () => document.createElement('video').canPlayType('application/vnd.apple.mpegurl') !== '',
    );
    const engine = await page.evaluate(() => document.querySelector('video')!.dataset.engine);
    // No hls.js traffic: whatever was fetched of the stream, the <video> fetched it (or nothing did).
    const scriptFetches = await page.evaluate(
      () =>
        (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
          (e) => e.name.includes('/live/g3/') && (e.initiatorType === 'xmlhttprequest' || e.initiatorType === 'fetch'),
        ).length,
    );
    expect(scriptFetches).toBe(0);
    if (native) {
      expect(engine).toBe('native');
      expect(await page.evaluate(() => document.querySelector('video')!.src)).toMatch(/\/live\/g3\/master\.m3u8$/);
    } else {
      expect(engine).toBe('none');
      await waitShown(page, 'player-error');
      expect(await textOf(page, 'player-error')).toContain('this device cannot play HLS');
    }
    await page.close();
  });
});

/** Distinct colours (3 bits a channel) sampled in a screen rectangle: a drawn picture has many, a flat card few. */
function coloursIn(png: Buffer, x0: number, y0: number, w: number, h: number): number {
  const image = decodePng(png);
  const seen = new Set<string>();
  for (let x = x0 + 4; x < x0 + w - 4; x += 6) {
    for (let y = y0 + 4; y < y0 + h - 4; y += 6) {
      const [r, g, b] = image.pixel(x, y);
      seen.add(`${r >> 5},${g >> 5},${b >> 5}`);
    }
  }
  return seen.size;
}

describe('on demand', () => {
  it('shows lessons as poster tiles (480×270 frame, title below) and the large poster in the lesson details', async () => {
    const page = await openApp('#/ondemand');
    await waitShown(page, 'tile');
    await page.keyboard.press('ArrowRight');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    const lesson = LESSONS.find((l) => l.grade === 4)!;
    await expect.poll(() => textOf(page, 'lesson-details-title')).toBe(lesson.title);
    const tilePosters = await attributes(page, 'tile-poster', 'data-src');
    expect(tilePosters).toHaveLength(1);
    expect(tilePosters[0]).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/media\/g4-chinese-u1-l1\.[0-9a-f]{10}\/poster\/480\.jpg$/,
    );
    expect((await attributes(page, 'lesson-details-poster', 'data-src'))[0]).toBe(
      tilePosters[0]!.replace('/480.jpg', '/1280.jpg'),
    );
    const served = await fetch(tilePosters[0]!);
    expect([served.status, served.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
    // The pictures are drawn (textures load asynchronously): the tile's and the details' picture areas hold the
    // test pattern's many colours, not a flat card.
    await expect
      .poll(async () => {
        const png = await page.screenshot({ path: join(shots, 'ondemand-posters.png') });
        return [coloursIn(png, 96, 590 + 42, 262, 147) > 6, coloursIn(png, 96 + 8, 888 + 8, 284, 160) > 6];
      })
      .toEqual([true, true]);
  });

  it('scrolls the rails so the focused poster rail is whole: continue watching leaves the top on the lessons rail', async () => {
    const resume = [{ lessonId: 'g3-math-u1-l1', positionS: 60, durationS: 180, savedAtMs: Date.now() }];
    const page = await openApp('#/ondemand', {
      beforeLoad: (p) =>
        p.addInitScript((saved) => localStorage.setItem('aerial.resume.v1', saved), JSON.stringify(resume)),
    });
    await waitShown(page, 'rail', '[data-rail="continue"]');
    expect(await attributes(page, 'rail', 'data-shown')).toEqual(['true', 'true', 'true', 'true', 'false']);
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown'); // grade 3 → math → unit 1 → its lessons
    await expect.poll(() => textOf(page, 'lesson-details-title')).toBe(LESSONS.find((l) => l.grade === 3)!.title);
    expect((await attributes(page, 'tile-poster', 'data-src')).filter((src) => src.endsWith('/480.jpg'))).toHaveLength(
      3,
    );
    // The column moved up by 229 px (ondemand/rail-layout.ts): the second lesson's picture is drawn at y 669, where
    // unscrolled rails would leave background.
    await expect
      .poll(async () => {
        const png = await page.screenshot({ path: join(shots, 'ondemand-posters-scrolled.png') });
        return coloursIn(png, 96 + 282, 627 + 42, 262, 147) > 6;
      })
      .toBe(true);
  });

  it('browses grade → subject → unit → lesson, plays it, and resumes from the saved position', async () => {
    const page = await openApp('#/ondemand');
    await waitShown(page, 'tile');
    expect(await attributes(page, 'rail', 'data-rail')).toEqual(['grades', 'subjects', 'units', 'lessons']);
    // Grade 4 → its subject and unit → the lesson.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const lesson = LESSONS.find((l) => l.grade === 4)!;
    await expect.poll(() => attributes(page, 'tile', 'data-item')).toContain(lesson.id);
    await expect.poll(() => textOf(page, 'lesson-details-title')).toBe(lesson.title);
    await page.screenshot({ path: join(shots, 'ondemand.png') });

    await page.keyboard.press('Enter');
    await waitShown(page, 'page-player');
    await expectVideoAdvancing(page);
    // Skip ahead 20 s, let it play, and leave: the position is saved.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => videoTime(page), { timeout: 20_000 }).toBeGreaterThan(20);
    const leftAt = await videoTime(page);
    await page.keyboard.press('Escape');
    await waitShown(page, 'page-ondemand');
    await expect.poll(() => videoTime(page)).toBe(-1);

    // "Continue watching" now leads, with the lesson; OK resumes near where it stopped.
    await waitShown(page, 'rail', '[data-rail="continue"]');
    expect((await attributes(page, 'rail', 'data-rail'))[0]).toBe('continue');
    expect(await textOf(page, 'lesson-details-action')).toMatch(/继续播放/);
    await page.keyboard.press('Enter');
    await waitShown(page, 'page-player');
    const resumedAt = await expectVideoAdvancing(page);
    expect(resumedAt).toBeGreaterThan(leftAt - 7);
    await page.keyboard.press('Escape');
    await page.close();
  });
});

describe('notices, settings and resilience', () => {
  it('shows the class-suspension notice until OK, and remembers the dismissal', async () => {
    const page = await openApp('#/guide', { dismissNotice: false });
    await waitShown(page, 'notice-banner');
    expect(await textOf(page, 'notice-text')).toBe(NOTICE.zh);
    await page.screenshot({ path: join(shots, 'notice.png') });
    await page.keyboard.press('Enter');
    await waitHidden(page, 'notice-banner');
    // OK went to the banner, not to the guide (no navigation happened).
    expect(await isShown(page, 'page-guide')).toBe(true);
    await page.reload();
    await waitShown(page, 'guide-cell');
    await page.waitForTimeout(1_500);
    expect(await isShown(page, 'notice-banner')).toBe(false);
    await page.close();
  });

  it('persists settings: language switches the UI to English and survives a reload', async () => {
    const page = await openApp('#/settings');
    await waitShown(page, 'settings-row');
    await waitForKeys(page, 'page-settings');
    await page.keyboard.press('ArrowRight'); // my grade: not set → 1
    await page.keyboard.press('ArrowRight'); // → 2
    await page.keyboard.press('ArrowRight'); // → 3
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight'); // language → en
    await expect.poll(() => attributes(page, 'settings-row', 'data-choice')).toEqual(['3', 'false', 'en']);
    await page.reload();
    await waitShown(page, 'settings-row');
    expect(await attributes(page, 'settings-row', 'data-choice')).toEqual(['3', 'false', 'en']);
    expect(
      await page.evaluate(() => [...document.querySelectorAll('[data-testid="nav-tab"]')].map((e) => e.textContent)),
    ).toEqual(['Live', 'Guide', 'On demand', 'Settings']);
    await page.close();
  });

  it('says so when the server is unreachable, keeps the guide, and recovers when it returns', async () => {
    const page = await openApp('#/guide');
    await waitShown(page, 'guide-cell');
    const port = origin.port;
    await origin.close();
    await waitShown(page, 'offline-banner', '', 30_000);
    expect(await page.evaluate(() => document.querySelector('[data-testid="offline-banner"]')!.textContent)).toContain(
      '无法连接服务器',
    );
    expect(await page.evaluate(() => document.querySelectorAll('[data-testid="guide-cell"]').length)).toBeGreaterThan(
      5,
    );
    await page.screenshot({ path: join(shots, 'offline.png') });
    origin = await startOrigin(db, join(work, 'data'), join(work, 'tv'), port);
    await waitHidden(page, 'offline-banner', 60_000);
    await page.close();
  });
});

/** Settings stored before the app starts (what Settings saves). */
function withSettings(settings: { subtitles: boolean; language: 'zh' | 'en' }) {
  return (page: Page) =>
    page.addInitScript((saved) => localStorage.setItem('aerial.settings.v1', JSON.stringify(saved)), settings);
}

/** On demand → grade 4 → its only lesson (captioned in zh and en) → play (from "continue watching" once it leads). */
async function playGrade4Lesson(page: Page): Promise<void> {
  await waitShown(page, 'tile');
  await waitForKeys(page, 'page-ondemand');
  if ((await attributes(page, 'rail', 'data-rail'))[0] === 'continue') {
    expect(await textOf(page, 'lesson-details-title')).toContain(
      LESSONS.find((l) => l.id === 'g4-chinese-u1-l1')!.title,
    );
    await page.keyboard.press('Enter');
    await waitShown(page, 'page-player');
    return;
  }
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => attributes(page, 'tile', 'data-item')).toContain('g4-chinese-u1-l1');
  await page.keyboard.press('Enter');
  await waitShown(page, 'page-player');
}

interface SubtitleState {
  /** Text tracks of the <video>: kind, language, mode, active cue texts. */
  tracks: { kind: string; language: string; mode: string; active: string[] }[];
  /** What the app draws (the inspector mirror of the caption Text), and whether its band is shown. */
  drawn: string;
  shown: boolean;
  currentTime: number;
}

function subtitleState(page: Page): Promise<SubtitleState> {
  return page.evaluate(() => {
    const video = document.querySelector('video');
    const tracks = video
      ? [...video.textTracks]
          .filter((t) => t.kind === 'subtitles' || t.kind === 'captions')
          .map((t) => ({
            kind: t.kind,
            language: t.language,
            mode: t.mode,
            active: [...(t.activeCues ?? [])].map((c) => (c as VTTCue).text),
          }))
      : [];
    let shown = document.querySelector('[data-testid="subtitle"]') !== null;
    for (let e = document.querySelector('[data-testid="subtitle"]'); e && e !== document.body; e = e.parentElement) {
      if (e.getAttribute('data-shown') === 'false') shown = false;
    }
    return {
      tracks,
      drawn: document.querySelector('[data-testid="subtitle-text"]')?.textContent ?? '',
      shown,
      currentTime: video?.currentTime ?? -1,
    };
  });
}

/** Waits until a cue is active and the app draws exactly it; returns the state then. */
async function waitForDrawnCue(page: Page, timeout: number): Promise<SubtitleState> {
  let state: SubtitleState | undefined;
  await expect
    .poll(
      async () => {
        state = await subtitleState(page);
        const active = state.tracks.find((t) => t.mode !== 'disabled')?.active ?? [];
        return active.length > 0 && state.shown && state.drawn === active.join('\n');
      },
      { timeout, interval: 200 },
    )
    .toBe(true);
  return state!;
}

/**
 * A screenshot taken while one cue stays drawn throughout: the same cue before and after the shot (cues are
 * numbered and 0.2 s apart, so a gap in between would have changed the text). A shot that fell between two cues
 * is taken again. Waits out a live break between captioned lessons (60 s in the fixture).
 */
async function screenshotWithCue(page: Page, path: string): Promise<Buffer> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = await waitForDrawnCue(page, 70_000);
    const shot = await page.screenshot({ path });
    const after = await subtitleState(page);
    if (after.shown && after.drawn === before.drawn) return shot;
  }
  throw new Error('no screenshot with a caption cue drawn throughout in 5 attempts');
}

/**
 * The caption band on the screenshot: the rows just above the text are the band's dark translucent colour over
 * the (bright test-pattern) video, and the text rows hold white glyph pixels.
 */
function expectCaptionOnScreen(png: Buffer, bandTop: number): void {
  const image = decodePng(png);
  const scale = image.width / 1920;
  const px = (x: number, y: number) => image.pixel(Math.round(x * scale), Math.round(y * scale));
  let darkBand = 0;
  let bandSamples = 0;
  for (let x = 400; x < 1500; x += 10) {
    for (let y = bandTop + 3; y < bandTop + 10; y += 2) {
      const [r, g, b] = px(x, y);
      bandSamples++;
      if (Math.max(r, g, b) <= 90) darkBand++;
    }
  }
  let white = 0;
  for (let x = 560; x < 1360; x += 2) {
    for (let y = bandTop + 16; y < bandTop + 72; y += 2) {
      const [r, g, b] = px(x, y);
      if (Math.min(r, g, b) >= 200) white++;
    }
  }
  expect(darkBand / bandSamples, 'the caption band darkens the video behind the text').toBeGreaterThan(0.95);
  expect(white, 'white caption glyphs on the band').toBeGreaterThan(150);
}

describe('subtitles', () => {
  it('on demand with subtitles on: the Chinese track is selected and its active cue is drawn on screen, in step with the video', async () => {
    const page = await openApp('#/ondemand', { beforeLoad: withSettings({ subtitles: true, language: 'zh' }) });
    await playGrade4Lesson(page);
    await expectVideoAdvancing(page);
    const state = await waitForDrawnCue(page, 30_000);
    // The lesson has zh and en tracks: the app language's is the one showing (hidden mode: the app draws it).
    expect(state.tracks.map((t) => [t.language, t.mode])).toEqual([
      ['zh', 'hidden'],
      ['en', 'disabled'],
    ]);
    const n = Number(/^第(\d+)句/.exec(state.drawn)?.[1]);
    expect(state.drawn).toBe(captionCueText('zh', n - 1));
    // Cue n covers [3(n−1), 3n − 0.2) s of the lesson.
    expect(Math.abs(n - 1 - Math.floor(state.currentTime / CUE_EVERY_S))).toBeLessThanOrEqual(1);
    await waitHidden(page, 'player-overlay');
    expectCaptionOnScreen(await screenshotWithCue(page, join(shots, 'player-subtitles.png')), 880);
    await page.close();
  });

  it('live with subtitles on: a captioned programme shows its cues', async () => {
    const page = await openApp('#/live/g4', { beforeLoad: withSettings({ subtitles: true, language: 'zh' }) });
    await expectVideoAdvancing(page);
    // Both g4 lessons are captioned; a 60 s break between them has none, so allow for one.
    const state = await waitForDrawnCue(page, 100_000);
    expect(state.drawn).toMatch(/^第\d+句字幕：空中课堂$/);
    expect(state.tracks.find((t) => t.mode === 'hidden')?.language).toBe('zh');
    await waitHidden(page, 'info-banner');
    expectCaptionOnScreen(await screenshotWithCue(page, join(shots, 'live-subtitles.png')), 880);
    const requested = await page.evaluate(() =>
      performance.getEntriesByType('resource').some((e) => e.name.includes('/live/g4/sub-zh.m3u8')),
    );
    expect(requested).toBe(true);
    await page.close();
  }, 150_000);

  it('with subtitles off nothing is drawn and no caption track loads; turned on in Settings (English) the next playback shows English cues', async () => {
    const page = await openApp('#/ondemand', { beforeLoad: withSettings({ subtitles: false, language: 'zh' }) });
    await playGrade4Lesson(page);
    await expectVideoAdvancing(page, 4);
    // Well into the lesson (a cue every 3 s): no track selected, nothing drawn, no caption playlist requested.
    const state = await subtitleState(page);
    expect(state.tracks.length).toBe(2);
    expect(state.tracks.every((t) => t.mode === 'disabled' && t.active.length === 0)).toBe(true);
    expect(state.drawn).toBe('');
    expect(state.shown).toBe(false);
    expect(
      await page.evaluate(() => performance.getEntriesByType('resource').some((e) => /\/sub-\w+\.m3u8/.test(e.name))),
    ).toBe(false);
    await page.keyboard.press('Escape');
    await waitShown(page, 'page-ondemand');

    // Settings: subtitles on, language English (saved at once; the next playback takes them).
    await page.evaluate(() => (location.hash = '#/settings'));
    await waitShown(page, 'settings-row');
    await waitForKeys(page, 'page-settings');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    await expect
      .poll(async () => (await attributes(page, 'settings-row', 'data-choice')).slice(1))
      .toEqual(['true', 'en']);
    await page.evaluate(() => (location.hash = '#/ondemand'));
    await playGrade4Lesson(page);
    const english = await waitForDrawnCue(page, 30_000);
    expect(english.drawn).toMatch(/^Caption \d+: Aerial Classroom$/);
    expect(english.tracks.map((t) => [t.language, t.mode])).toEqual([
      ['zh', 'disabled'],
      ['en', 'hidden'],
    ]);
    await page.close();
  });
});

/**
 * The broadcaster console in a real headless Chromium against the real origin: sign in with a token (role-aware
 * navigation, sign out forgets it, a revoked token signs out with a reason), and the On air now screen (now/next
 * with progress from the published guide, the notice, the playlist URL, a muted hls.js preview, /healthz).
 * axe finds no serious or critical violation on any screen reached. Screenshots go to artifacts/admin-app/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, revokeToken } from '../../scheduler/admin/tokens.ts';
import { writePreparing } from '../../scheduler/store/preparing.ts';
import {
  emsPerCjkCharacter,
  gone,
  openConsole,
  screenshotPath,
  seriousViolations,
  shown,
  signIn,
  startConsoleWorld,
  textOf,
  type ConsoleWorld,
} from './admin-fixture.ts';
import { NOTICE } from './tv-fixture.ts';

let world: ConsoleWorld;

beforeAll(async () => {
  world = await startConsoleWorld();
}, 240_000);

afterAll(async () => {
  await world?.close();
});

describe('signing in', () => {
  it('an editor signs in, sees the editor screens only, and signing out forgets the token', async () => {
    const { context, page } = await openConsole(world);
    try {
      await shown(page.getByRole('heading', { name: '登录播控台' }));
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
      // The bold brand and heading are drawn in Chinese glyphs (1 em each), not the fallback's tofu boxes.
      expect(await emsPerCjkCharacter(page.locator('.brand'))).toBeGreaterThan(0.9);
      expect(await emsPerCjkCharacter(page.getByRole('heading', { name: '登录播控台' }))).toBeGreaterThan(0.9);
      expect(await seriousViolations(page)).toEqual([]);

      await page.getByLabel('API 令牌').fill('aerial_wrong');
      await page.getByRole('button', { name: '登录' }).click();
      expect(await textOf(page.getByRole('alert'))).toMatch('令牌无效或已被吊销。');

      await signIn(page, world.editorToken);
      await shown(page.getByText('角色：编辑'));
      const nav = page.getByRole('navigation', { name: '主导航' });
      await shown(nav.getByRole('link', { name: '正在播出' }));
      await gone(nav.getByRole('link', { name: '令牌' }));
      expect(await page.evaluate(() => sessionStorage.getItem('aerial.admin.session'))).toContain(world.editorToken);

      await page.getByRole('button', { name: '退出登录' }).click();
      await shown(page.getByRole('heading', { name: '登录播控台' }));
      expect(await page.evaluate(() => sessionStorage.getItem('aerial.admin.session'))).toBeNull();
    } finally {
      await context.close();
    }
  });

  it('an admin is shown as such; a token revoked meanwhile signs out with the reason (401)', async () => {
    const { token } = createToken(world.db, 'e2e-soon-revoked', 'admin', Date.now());
    const { context, page } = await openConsole(world, { token, language: 'en' });
    try {
      await shown(page.getByText('Role: admin'));
      revokeToken(world.db, 'e2e-soon-revoked', Date.now());
      await page.reload();
      await shown(page.getByRole('heading', { name: 'Sign in to the console' }));
      expect(await textOf(page.getByRole('alert'))).toMatch(/stopped working/);
    } finally {
      await context.close();
    }
  });
});

describe('on air now', () => {
  it('shows each channel now and next with progress, the notice, the playlist URL and the health checks', async () => {
    const { context, page } = await openConsole(world, { token: world.editorToken });
    try {
      const g3 = page.locator('[data-channel="g3"]');
      await shown(g3.getByRole('heading', { name: '3 三年级频道' }));
      await shown(page.locator('[data-channel="g4"]').getByRole('heading', { name: '4 四年级频道' }));
      await shown(g3.getByText(`停课通知：${NOTICE.zh}`));
      // The fixture airs a 3 min lesson then a 1 min break every 4 min: one of the two is on now.
      const progress = g3.getByRole('progressbar');
      await shown(g3.getByRole('progressbar', { name: /^正在播出: (秒的认识|时间的计算|休息) · / }));
      const value = Number(await progress.getAttribute('aria-valuenow'));
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(100);
      await shown(g3.getByText(/^下一个: .+（Asia\/Shanghai）$/));
      expect(await (await shown(g3.getByLabel('直播播放列表地址'))).inputValue()).toBe(
        `${world.baseUrl}/live/g3/master.m3u8`,
      );

      // Warnings from the last build, as the API reports them, with the last publish in the channel's zone.
      const builds = (await (
        await fetch(`${world.baseUrl}/api/admin/build-warnings?days=2`, {
          headers: { Authorization: `Bearer ${world.editorToken}` },
        })
      ).json()) as { channels: { channelId: string; days: { warnings: unknown[] }[] }[] };
      const g3Warnings = builds.channels.find((c) => c.channelId === 'g3')!.days.flatMap((d) => d.warnings).length;
      const built = await textOf(g3.locator('[data-build-warnings]'));
      expect(built).toMatch(/^最近构建：\d{4}\/\d{2}\/\d{2} \d{2}:\d{2} \(Asia\/Shanghai\)/);
      expect(built).toContain(g3Warnings === 0 ? '最近一次构建没有警告。' : `最近构建的警告: ${g3Warnings} 条`);

      const health = page.getByRole('region', { name: '系统健康' });
      expect(await textOf(health.locator('[data-check="database"]'))).toBe('✓ 数据库: 可写');
      // Every check reads in Chinese, from its facts: none of the server's English sentences (kept on hover).
      expect(await textOf(health.locator('[data-check="media"]'))).toMatch(/^✓ 媒体目录: \S+ 可读（\d+ 个条目）$/);
      expect(await textOf(health.locator('[data-check="published-horizon"]'))).toMatch(
        /^[✓✗] 已发布天数: (\d+ 个频道均已发布到 \d+ 天后|g\d 未发布满 \d+ 天（已发布 .+）)/,
      );
      expect(await textOf(health)).not.toMatch(/readable|writable|channel\(s\)|published|scheduled|last run/);
      expect(await health.locator('[data-check="database"] [title]').getAttribute('title')).toBe('writable');
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: screenshotPath('on-air-zh'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('says what is still being prepared in the console’s language, not the server’s English sentence', async () => {
    const note = 'lesson videos; their slots show the slate until then';
    writePreparing(world.db, { what: 'sample', items: 'lesson-videos', done: 3, total: 30, note });
    try {
      for (const [language, expected] of [
        ['zh-CN', '示例节目准备中：30 个课程视频还有 27 个待打包，打包完成前这些时段播放垫片。'],
        ['en', 'Still preparing the sample: 27 of 30 lesson videos to package; their slots show the slate until then.'],
      ] as const) {
        const { context, page } = await openConsole(world, { token: world.editorToken, language });
        try {
          expect(await textOf(page.locator('[data-preparing]'))).toBe(expected);
          const check = await textOf(page.locator('[data-check="preparing"]'));
          expect(check).toBe(`✓ ${language === 'en' ? 'Preparing' : '准备中'}: ${expected}`);
          if (language === 'zh-CN') {
            // Not a word of the server's sentence ("sample: preparing 27 of 30 (lesson videos; …)").
            expect(await textOf(page.locator('main'))).not.toMatch(/preparing \d+ of|lesson videos/);
            await page.screenshot({ path: screenshotPath('on-air-preparing-zh'), fullPage: true });
          }
        } finally {
          await context.close();
        }
      }
    } finally {
      writePreparing(world.db, undefined);
    }
  });

  it('previews a channel muted through hls.js, loaded only when asked for', async () => {
    const { context, page } = await openConsole(world, { token: world.editorToken, language: 'en' });
    try {
      const hlsRequests: string[] = [];
      page.on('request', (r) => {
        if (/\/assets\/hls-/.test(r.url())) hlsRequests.push(r.url());
      });
      const g4 = page.locator('[data-channel="g4"]');
      await shown(g4.getByRole('progressbar'));
      expect(hlsRequests).toEqual([]);
      await g4.getByRole('button', { name: 'Preview' }).click();
      const video = g4.getByLabel('Preview of Grade 4');
      await expect
        .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 20_000 })
        .toBeGreaterThan(0);
      expect(await video.evaluate((v: HTMLVideoElement) => v.muted)).toBe(true);
      expect(hlsRequests).toHaveLength(1);
      await page.screenshot({ path: screenshotPath('on-air-preview-en') });
      await g4.getByRole('button', { name: 'Stop preview' }).click();
      await gone(video);
    } finally {
      await context.close();
    }
  });
});

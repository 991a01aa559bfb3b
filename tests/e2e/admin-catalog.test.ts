/**
 * The console's school calendar, overrides and catalog screens in a real Chromium against the real origin,
 * asserting what the broadcaster sees and what the API serves afterwards: a make-up workday added with the
 * keyboard only; an override inserted with the lesson picker, previewed and published, then in `/api/guide`
 * (and the guide's "why is this airing" link lands on it); the catalog browsed to a lesson, a bad import shown by
 * line and field with nothing changed, a good import listed, and the export downloaded.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, broadcastDateAt } from '../../scheduler/schedule/broadcast-date.ts';
import {
  gone,
  openConsole,
  screenshotPath,
  seriousViolations,
  shown,
  startConsoleWorld,
  textOf,
  type ConsoleWorld,
} from './admin-fixture.ts';
import { TIMEZONE } from './tv-fixture.ts';

let world: ConsoleWorld;
let today: string;
let tomorrow: string;

beforeAll(async () => {
  world = await startConsoleWorld();
  today = broadcastDateAt(Date.now(), TIMEZONE, '00:00');
  tomorrow = addDays(today, 1);
}, 240_000);

afterAll(async () => {
  await world?.close();
});

async function adminApi(path: string) {
  const response = await fetch(`${world.baseUrl}${path}`, {
    headers: { Authorization: `Bearer ${world.editorToken}` },
  });
  return { status: response.status, json: (await response.json()) as any };
}

async function guideTitles(channel: string, date: string): Promise<string[]> {
  const query = new URLSearchParams({
    channels: channel,
    from: `${date}T00:00:00+08:00`,
    to: `${addDays(date, 1)}T00:00:00+08:00`,
  });
  const guide = (await (await fetch(`${world.baseUrl}/api/guide?${query}`)).json()) as {
    channels: { programmes: { title: { zh: string } }[] }[];
  };
  return guide.channels[0]!.programmes.map((p) => p.title.zh);
}

/** The cells of a table row, once it is shown. */
async function cells(row: ReturnType<Awaited<ReturnType<typeof openConsole>>['page']['locator']>) {
  await shown(row);
  return (await row.locator('td').allTextContents()).map((c) => c.trim());
}

const lessonCount = () => (world.db.prepare('SELECT count(*) AS n FROM lessons').get() as { n: number }).n;

describe('school calendar', () => {
  it('adds a make-up workday with the keyboard only, and the API serves it', async () => {
    const { context, page } = await openConsole(world, { token: world.editorToken, hash: '#/calendar' });
    try {
      await shown(page.getByRole('heading', { name: '校历', level: 1 }));
      // Keyboard only (the pointer left where signing in put it would hover a day and extend the range): type the
      // region, then Tab into the month calendar (its focus starts on today).
      await page.mouse.move(0, 0);
      await page.getByLabel('新地区').focus();
      await page.keyboard.type('shanghai');
      await page.keyboard.press('Enter');
      await shown(page.getByRole('grid', { name: /shanghai 校历/ }));
      for (let i = 0; i < 4; i++) await page.keyboard.press('Tab'); // add region, previous, next, today
      const weekday = new Date(`${today}T00:00:00Z`).getUTCDay(); // 0 = Sunday
      const untilSaturday = (6 - weekday + 7) % 7 || 7;
      const saturday = addDays(today, untilSaturday);
      for (let i = 0; i < untilSaturday; i++) await page.keyboard.press('ArrowRight');
      // React Aria's range calendar moves on a day after the first Enter: back one day, Enter ends a one-day range.
      await page.keyboard.press('Enter');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('Enter');
      expect(await textOf(page.locator('[data-chosen]'))).toBe(`${saturday}（周六）`);
      await page.getByLabel('按哪天的课表').focus();
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown'); // 周一 → 周五
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter'); // 设为调休上课日
      expect(await textOf(page.getByRole('status'))).toBe('已保存 shanghai 的校历。');
      expect(await textOf(page.locator(`[data-makeup="${saturday}"]`))).toContain('按周五课表');
      expect(await textOf(page.locator('[data-chosen]'))).toContain('调休，按周五课表上课');

      const served = await adminApi('/api/admin/calendars/shanghai');
      expect(served.json.makeUpDays).toEqual([{ date: saturday, follows: 'fri' }]);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: screenshotPath('calendar-zh'), fullPage: true });

      // With the mouse: a range (the 10th to the 12th of the month shown) becomes a named holiday.
      const day = (n: number) =>
        page.locator('.react-aria-CalendarCell:not([data-outside-month])', { hasText: new RegExp(`^${n}$`) });
      await day(10).click();
      await day(12).click();
      const [, first, last] = /^(\S+) 至 (\S+)$/.exec(await textOf(page.locator('[data-chosen]')))!;
      expect(last).toBe(addDays(first!, 2));
      await page.getByLabel('名称（可选）').fill('校庆');
      await page.getByRole('button', { name: '添加为假期' }).click();
      await shown(page.getByRole('table', { name: '假期' }));
      expect((await adminApi('/api/admin/calendars/shanghai')).json.holidays).toEqual([
        { name: '校庆', start: first, end: last },
      ]);

      await page.getByRole('button', { name: `删除 ${saturday}` }).focus();
      await page.keyboard.press('Enter');
      await shown(page.locator('#calendar-makeups + p'));
      expect((await adminApi('/api/admin/calendars/shanghai')).json.makeUpDays).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('overrides', () => {
  it('inserts a programme with the lesson picker; after preview and publish the guide serves it', async () => {
    const { context, page } = await openConsole(world, { token: world.editorToken, hash: '#/overrides?channel=g4' });
    try {
      await shown(page.getByRole('heading', { name: '临时调整', level: 1 }));
      expect(await page.getByLabel('日期').inputValue()).toBe(tomorrow);
      await page.getByLabel('开始时间（Asia/Shanghai）').fill('10:03');
      await page.getByRole('combobox', { name: /^课程/ }).fill('时间');
      await page.getByRole('option', { name: '时间的计算 · g3-math-u1-l2' }).click();
      await page.getByLabel('节目名称（中文，可选）').fill('升旗仪式');
      const id = `g4-${tomorrow.replace(/-/g, '')}-1003`;
      expect(await textOf(page.locator('.hint'))).toBe(`将创建临时调整 ${id}。`);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('button', { name: '保存临时调整' }).click();
      expect(await textOf(page.getByRole('status'))).toContain(`已保存临时调整 ${id}。`);
      const item = page.locator(`[data-override="${id}"]`);
      expect(await textOf(item)).toContain(`${tomorrow} 10:03 (Asia/Shanghai) · 插播 · 升旗仪式 (g3-math-u1-l2)`);
      await page.screenshot({ path: screenshotPath('overrides-zh'), fullPage: true });
      expect((await adminApi(`/api/admin/overrides/${id}`)).json).toMatchObject({ action: 'insert', date: tomorrow });

      await page.getByRole('link', { name: '去预览并发布' }).click();
      await page.getByRole('checkbox', { name: '4 四年级频道' }).focus();
      await page.keyboard.press('Space');
      await page.getByLabel('起始日期').fill(tomorrow);
      await page.getByRole('button', { name: '生成预览' }).click();
      await page.getByRole('button', { name: /^发布这 \d+ 个频道日$/ }).click();
      await shown(page.getByRole('status'));
      expect(await guideTitles('g4', tomorrow)).toContain('升旗仪式');

      // The guide renders a whole day of both channels: on a loaded machine the first click can wait on that.
      await page.goto(`${world.baseUrl}/admin/#/guide`);
      await page.getByLabel('日期').fill(tomorrow);
      const programme = page
        .getByRole('group', { name: '4 四年级频道' })
        .getByRole('button', { name: '10:03 升旗仪式' });
      await shown(programme, 60_000);
      await programme.click({ timeout: 90_000 });
      await page.getByRole('link', { name: `临时调整 ${id}（${tomorrow}，插播）` }).click({ timeout: 60_000 });
      const landed = page.locator(`[data-override="${id}"]`);
      await shown(landed);
      expect(await landed.getAttribute('aria-current')).toBe('true');
      expect(await landed.evaluate((el) => el === document.activeElement)).toBe(true);
      await landed.getByRole('button', { name: `删除 ${id}` }).click();
      await page.getByRole('button', { name: '确认删除' }).click();
      await gone(page.locator(`[data-override="${id}"]`));
      expect((await adminApi(`/api/admin/overrides/${id}`)).status).toBe(404);
    } finally {
      await context.close();
    }
  }, 240_000);
});

describe('catalog', () => {
  const BAD = [
    'id,grade,subject,edition,volume,unit,unitTitleZh,lesson,titleZh',
    'g5-math-u1-l1,5,math,tongbian,1,1,小数乘法,1,小数乘整数',
    'g5-math-u1-l2,15,math,tongbian,1,1,小数乘法,2,小数乘小数',
    'g5-math-u1-l3,5,maths,tongbian,1,1,小数乘法,3,积的近似数',
  ].join('\n');
  const GOOD = BAD.replace(',15,', ',5,').replace(',maths,', ',math,');

  it('browses to a lesson, shows a bad import by line and field, imports a good one, and exports', async () => {
    const { context, page } = await openConsole(world, { token: world.editorToken, hash: '#/catalog' });
    try {
      await page.getByLabel('年级', { exact: true }).selectOption('3');
      await page.getByLabel('学科', { exact: true }).selectOption('math');
      await page.getByLabel('版本', { exact: true }).selectOption('tongbian');
      await page.getByLabel('册', { exact: true }).selectOption('1');
      const row = page.locator('[data-lesson="g3-math-u1-l2"]');
      expect(await cells(row)).toEqual(['2', '时间的计算', 'g3-math-u1-l2', '王老师', '已打包']);
      expect(await textOf(page.getByRole('heading', { level: 3 }))).toBe('3年级 数学 统编版 上册 · 第1单元 时、分、秒');
      expect(await seriousViolations(page)).toEqual([]);

      const before = lessonCount();
      const input = page.locator('input[type=file]');
      await input.setInputFiles({ name: 'g5.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD) });
      await page.getByRole('button', { name: '导入', exact: true }).click();
      const problems = page.getByRole('table', { name: '导入问题' });
      await shown(problems);
      expect(await cells(problems.locator('[data-problem-line="3"]'))).toEqual([
        '3',
        'grade',
        'must be a whole number 1–12',
      ]);
      const line4 = await cells(problems.locator('[data-problem-line="4"]'));
      expect(line4.slice(0, 2)).toEqual(['4', 'subject']);
      expect(line4[2]).toMatch(/^unknown subject code 'maths'/);
      expect(await textOf(page.getByRole('alert'))).toContain('没有导入任何内容');
      expect(lessonCount()).toBe(before);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: screenshotPath('catalog-import-problems-zh'), fullPage: true });

      await input.setInputFiles({ name: 'g5.csv', mimeType: 'text/csv', buffer: Buffer.from(GOOD) });
      await page.getByRole('button', { name: '导入', exact: true }).click();
      expect(await textOf(page.getByRole('status').filter({ hasText: '已导入' }))).toContain(
        '已导入 g5.csv：共 3 课，新增 3',
      );
      expect(lessonCount()).toBe(before + 3);
      world.db
        .prepare("UPDATE lessons SET status = 'failed', failure_reason = 'no video stream in source' WHERE id = ?")
        .run('g5-math-u1-l3');
      await page.getByLabel('年级', { exact: true }).selectOption('5');
      await page.getByLabel('学科', { exact: true }).selectOption('math');
      await shown(page.locator('[data-lesson="g5-math-u1-l1"]'));
      expect(await textOf(page.locator('[data-lesson="g5-math-u1-l1"]'))).toContain('待打包');
      expect(await textOf(page.locator('[data-lesson="g5-math-u1-l3"]'))).toContain(
        '打包失败: no video stream in source',
      );

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: '导出 CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('catalog.csv');
      const csv = readFileSync((await download.path())!, 'utf8');
      expect(csv.split('\r\n')[0]).toMatch(/^id,grade,subject,edition,volume,unit,/);
      expect(csv).toContain('g5-math-u1-l2,5,math,tongbian,1,1,小数乘法,,2,小数乘小数');
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: screenshotPath('catalog-zh'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('reads in English', async () => {
    const { context, page } = await openConsole(world, {
      token: world.editorToken,
      language: 'en',
      hash: '#/catalog',
    });
    try {
      await page.getByRole('searchbox', { name: 'Search (title, id or teacher)' }).fill('Seconds');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      expect(await cells(page.locator('[data-lesson="g3-math-u1-l1"]'))).toEqual([
        '1',
        'Seconds',
        'g3-math-u1-l1',
        '王老师',
        'packaged',
      ]);
      expect(await textOf(page.locator('[data-total]'))).toBe('1 lessons');
      expect(await seriousViolations(page)).toEqual([]);
      for (const hash of ['#/calendar', '#/overrides']) {
        await page.goto(`${world.baseUrl}/admin/${hash}`);
        await shown(
          page.getByRole('heading', { level: 1, name: hash === '#/calendar' ? 'School calendar' : 'Overrides' }),
        );
        await page.waitForLoadState('networkidle');
        expect(await seriousViolations(page)).toEqual([]);
      }
      await page.screenshot({ path: screenshotPath('overrides-en'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});

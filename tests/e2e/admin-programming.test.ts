/**
 * The console's programming flows in a real Chromium against the real origin, asserting what the broadcaster
 * sees and what the API serves afterwards: preview → diff → publish (and the 409 when inputs change between
 * preview and publish), the guide's "why is this airing" links (to the timetable slot, to the override), the
 * class-suspension switch and its lift (keyboard only, confirmed in a dialog), the
 * audit log, and tokens (admin: create — shown once —, revoke; an editor is refused the screen).
 */
import { join } from 'node:path';
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
let tomorrow: string;
let today: string;

beforeAll(async () => {
  world = await startConsoleWorld();
  today = broadcastDateAt(Date.now(), TIMEZONE, '00:00');
  tomorrow = addDays(today, 1);
}, 240_000);

afterAll(async () => {
  await world?.close();
});

async function adminApi(method: string, path: string, body?: unknown, token = world.editorToken) {
  const response = await fetch(`${world.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, json: (await response.json()) as any };
}

/** Replaces g4's slot `slot` tomorrow with the lesson g4 never airs (g3's second maths lesson). */
function replaceSlot(id: string, slot: number) {
  const start = `${String(Math.floor((slot * 4) / 60)).padStart(2, '0')}:${String((slot * 4) % 60).padStart(2, '0')}`;
  return adminApi('POST', '/api/admin/overrides', {
    id,
    channel: 'g4',
    date: tomorrow,
    action: 'replace',
    slot: `s${slot}`,
    with: { id: `${id}-slot`, start, kind: 'programme', lesson: 'g3-math-u1-l2' },
  });
}

async function guideTitles(channel: string, date: string): Promise<string[]> {
  const from = `${date}T00:00:00+08:00`;
  const to = `${addDays(date, 1)}T00:00:00+08:00`;
  const query = new URLSearchParams({ channels: channel, from, to });
  const response = await fetch(`${world.baseUrl}/api/guide?${query}`);
  const guide = (await response.json()) as { channels: { programmes: { title: { zh: string } }[] }[] };
  return guide.channels[0]!.programmes.map((p) => p.title.zh);
}

async function previewG4Tomorrow(page: Awaited<ReturnType<typeof openConsole>>['page']) {
  // React Aria's checkbox input is visually hidden: operate it as a keyboard user does.
  await page.getByRole('checkbox', { name: '4 四年级频道' }).focus();
  await page.keyboard.press('Space');
  await page.getByLabel('起始日期').fill(tomorrow);
  await page.getByRole('button', { name: '生成预览' }).click();
}

describe('preview, diff and publish', () => {
  it('shows what a publish would change, publishes exactly that, and the guide then serves it', async () => {
    expect((await replaceSlot('assembly', 120)).status).toBe(201);
    expect(await guideTitles('g4', tomorrow)).not.toContain('时间的计算');
    const { context, page } = await openConsole(world, { token: world.editorToken, hash: '#/publish' });
    try {
      await shown(page.getByRole('heading', { name: '预览与发布', level: 1 }));
      await previewG4Tomorrow(page);
      const day = page.locator(`[data-day="g4/${tomorrow}"]`);
      await shown(day.getByText(/^新增：时间的计算（/), 30_000);
      await shown(day.getByText(/^移除：观潮（/));
      expect(await textOf(day.getByRole('heading'))).toBe(`g4 · ${tomorrow} · 将写入新版本`);
      expect(await textOf(day)).toContain('时区 Asia/Shanghai');
      expect(await textOf(page.getByRole('heading', { level: 2 }))).toMatch(/^差异：[1-9]\d* 个频道日将改变$/);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: screenshotPath('publish-diff-zh'), fullPage: true });

      await page.getByRole('button', { name: /^发布这 \d+ 个频道日$/ }).click();
      expect(await textOf(page.getByRole('status'))).toMatch(new RegExp(`已发布 \\d+ 个频道日。.*g4 ${tomorrow}：v2`));
      expect(await guideTitles('g4', tomorrow)).toContain('时间的计算');
      const audit = await adminApi('GET', '/api/admin/audit?route=publish');
      expect(audit.json.entries[0].actor).toBe('e2e-editor');
    } finally {
      await context.close();
    }
  });

  it('a change between preview and publish gets the 409 explained, and preview again publishes it', async () => {
    expect((await replaceSlot('health-message', 130)).status).toBe(201);
    const { context, page } = await openConsole(world, { token: world.editorToken, hash: '#/publish' });
    try {
      await previewG4Tomorrow(page);
      const publish = await shown(page.getByRole('button', { name: /^发布这 \d+ 个频道日$/ }));
      expect((await replaceSlot('late-change', 140)).status).toBe(201);
      await publish.click();
      expect(await textOf(page.getByRole('alert'))).toMatch(/^自预览以来，输入.*没有发布任何内容。请重新预览。/);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('button', { name: '重新预览' }).click();
      await gone(page.getByRole('alert'));
      await page.getByRole('button', { name: /^发布这 \d+ 个频道日$/ }).click();
      await shown(page.getByRole('status'));
      const titles = await guideTitles('g4', tomorrow);
      expect(titles.filter((t) => t === '时间的计算')).toHaveLength(3);
    } finally {
      await context.close();
    }
  });
});

describe('guide', () => {
  it('shows channels × time for a chosen day and answers why a programme is airing, linked to its source', async () => {
    const { context, page } = await openConsole(world, { token: world.editorToken, hash: '#/guide' });
    try {
      await page.getByLabel('日期').fill(tomorrow);
      const g4 = page.getByRole('group', { name: '4 四年级频道' });
      await g4.getByRole('button', { name: '08:08 观潮' }).click();
      const slot = page.getByRole('region', { name: '观潮' });
      // The server names the template and weekday the build used; slot s122 (08:08) of that template produced it.
      const at = Date.parse(`${tomorrow}T08:08:00+08:00`);
      const why = (await adminApi('GET', `/api/admin/guide/why?channel=g4&at=${at}`)).json;
      expect(why).toMatchObject({ source: 'slot', slotId: 's122', date: tomorrow });
      const link = slot.locator('[data-why]').getByRole('link');
      expect(await textOf(link)).toMatch(new RegExp(`^(学期|假期|停课)时间表周.的时段 s122（${tomorrow}）$`));
      expect(await textOf(slot)).toMatch(/字幕\s*zh, en/);
      await g4.getByRole('button', { name: '08:00 时间的计算' }).click();
      const details = page.getByRole('region', { name: '时间的计算' });
      expect(await textOf(details.locator('[data-why]'))).toBe(`临时调整 assembly（${tomorrow}，替换时段 s120）`);
      expect(await textOf(details)).toContain('08:00–08:03 (Asia/Shanghai)');
      await page
        .getByRole('radio', { name: '4 像素/分钟' })
        .click()
        .catch(() => undefined);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: screenshotPath('guide-zh') });

      // The override's programme links to the override …
      await details.getByRole('link', { name: `临时调整 assembly（${tomorrow}，替换时段 s120）` }).click();
      const override = page.locator('[data-override="assembly"]');
      await shown(override);
      expect(await override.getAttribute('aria-current')).toBe('true');

      // … and a timetable slot's programme opens the timetable editor with that slot selected.
      await page.goBack();
      await page.getByLabel('日期').fill(tomorrow);
      await g4.getByRole('button', { name: '08:08 观潮' }).click();
      await page.getByRole('region', { name: '观潮' }).locator('[data-why]').getByRole('link').click();
      // The editor draws every slot of the week (360 a day here): allow for that on a loaded machine.
      const editor = await shown(page.locator('.tt-editor'), 60_000);
      await shown(editor.getByRole('heading'), 60_000); // the slot is selected once the week is drawn
      expect(await textOf(editor.getByRole('heading'))).toMatch(/^编辑时段：周. 08:08$/);
      const selected = page.locator(`.tt-day[data-day="${why.weekday}"] [data-slot="s122"]`);
      await shown(selected);
      expect(await selected.getAttribute('aria-selected')).toBe('true');
      expect(page.url()).toContain(`#/timetables?channel=g4&template=${why.template}&day=${why.weekday}&slot=s122`);
    } finally {
      await context.close();
    }
  }, 180_000);
});

describe('class suspension', () => {
  it('switches with the keyboard only, after a confirmation, and lifts the same way', async () => {
    const { context, page } = await openConsole(world, {
      token: world.editorToken,
      language: 'en',
      hash: '#/suspension',
    });
    const notice = 'Rainstorm: grade 4 learns at home';
    try {
      await shown(page.getByRole('heading', { name: 'Class suspension', level: 1 }));
      await page.getByRole('checkbox', { name: '4 Grade 4' }).focus();
      await page.keyboard.press('Space');
      await page.getByLabel('Notice (Chinese)').focus();
      await page.keyboard.type('暴雨停课，四年级在家收看');
      await page.keyboard.press('Tab');
      await page.keyboard.type(notice);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      const dialog = await shown(page.getByRole('alertdialog', { name: 'Switch to suspension mode?' }));
      expect(await textOf(dialog)).toContain(
        `Channels g4 switch to their suspension timetable from ${today} to ${today}`,
      );
      expect(await seriousViolations(page)).toEqual([]);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      const result = await textOf(page.getByRole('status'));
      expect(result).toMatch(/^Switched to suspension mode\.\s*g4: \d+ day\(s\) republished, first changed programme/);
      const notices = (await (await fetch(`${world.baseUrl}/api/notices`)).json()) as {
        notices: { channels: string[]; text: { en?: string } }[];
      };
      expect(notices.notices.find((n) => n.channels.includes('g4'))?.text.en).toBe(notice);
      await page.screenshot({ path: screenshotPath('suspension-en'), fullPage: true });

      const order = page.locator('[data-order]', { hasText: '暴雨停课' });
      await order.getByRole('button', { name: /^Lift / }).focus();
      await page.keyboard.press('Enter');
      await shown(page.getByRole('alertdialog', { name: 'Lift the suspension?' }));
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await shown(page.getByRole('status').getByText('Suspension lifted.'));
      await gone(order);
      const after = (await (await fetch(`${world.baseUrl}/api/notices`)).json()) as {
        notices: { channels: string[] }[];
      };
      expect(after.notices.some((n) => n.channels.includes('g4'))).toBe(false);
    } finally {
      await context.close();
    }
  });
});

describe('packaging jobs', () => {
  it('follow the job events live: a cancel by someone else shows without reload; retry and cancel from the page', async () => {
    const source = join(world.work, 'data', 'sources', 'lesson.mp4');
    const queued = await adminApi('POST', '/api/admin/packaging-jobs', { lessonId: 'g3-math-u1-l2', source });
    expect(queued.status).toBe(202);
    const id = queued.json.id as number;
    const { context, page } = await openConsole(world, { token: world.editorToken, language: 'en', hash: '#/jobs' });
    try {
      await shown(page.getByRole('status').getByText('Live'));
      const job = page.locator(`[data-job="${id}"]`);
      expect(await textOf(job.locator('[data-status]'))).toBe('queued');
      expect(await seriousViolations(page)).toEqual([]);
      // The origin's queue is idle in this world, so the job waits: cancelled through the API, by another client.
      expect((await adminApi('POST', `/api/admin/packaging-jobs/${id}/cancel`)).status).toBe(200);
      await shown(job.getByRole('button', { name: `Retry job ${id}` }));
      expect(await textOf(job.locator('[data-status]'))).toBe('cancelled');
      await job.getByRole('button', { name: `Retry job ${id}` }).click();
      await shown(job.getByRole('button', { name: `Cancel job ${id}` }));
      expect((await adminApi('GET', `/api/admin/packaging-jobs/${id}`)).json.status).toBe('queued');
      await job.getByRole('button', { name: `Cancel job ${id}` }).click();
      await shown(job.getByRole('button', { name: `Retry job ${id}` }));
      expect((await adminApi('GET', `/api/admin/packaging-jobs/${id}`)).json.status).toBe('cancelled');
    } finally {
      await context.close();
    }
  });
});

describe('audit log and tokens', () => {
  it('lists who did what, filtered by route', async () => {
    const { context, page } = await openConsole(world, { token: world.editorToken, hash: '#/audit' });
    try {
      await page.getByLabel('操作（路由包含）').fill('suspensions');
      await page.getByRole('button', { name: '筛选' }).click();
      const rows = page.locator('tbody tr');
      await shown(rows.first());
      const texts = await rows.allTextContents();
      expect(texts.length).toBeGreaterThan(0);
      expect(texts.every((t) => t.includes('/api/admin/suspensions'))).toBe(true);
      expect(texts.some((t) => t.includes('e2e-editor (编辑)') && t.includes('DELETE'))).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an admin creates a token (shown once) and revokes it; an editor is refused the screen', async () => {
    const { context, page } = await openConsole(world, { token: world.adminToken, hash: '#/tokens' });
    try {
      await page.getByLabel('名称').fill('studio-b');
      await page.getByRole('button', { name: '创建令牌' }).click();
      const secret = await (await shown(page.getByLabel('令牌密钥'))).inputValue();
      expect((await adminApi('GET', '/api/admin/channels', undefined, secret)).status).toBe(200);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('button', { name: '吊销 studio-b…' }).click();
      await page.getByRole('button', { name: '确认吊销' }).click();
      await shown(page.locator('[data-token="studio-b"]').getByText(/^已于 .+ 吊销$/));
      expect((await adminApi('GET', '/api/admin/channels', undefined, secret)).status).toBe(401);
    } finally {
      await context.close();
    }
    const editor = await openConsole(world, { token: world.editorToken, hash: '#/tokens' });
    try {
      expect(await textOf(editor.page.getByRole('alert'))).toBe('你的角色没有权限执行此操作（需要管理员）。');
    } finally {
      await editor.context.close();
    }
  });
});

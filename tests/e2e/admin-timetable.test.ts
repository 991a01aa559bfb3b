/**
 * The timetable week-grid editor in a real Chromium against the real origin: a slot retimed and reprogrammed
 * with the keyboard only, saved, previewed and published through the API, after which `/api/guide` serves the
 * new programme at the new time; drag-and-drop moves within a day and onto another day, undo, the
 * unsaved-changes guard (leaving the screen, signing out, closing the tab); the API's field problem shown at its field;
 * a day copied to another day and the template copied to another channel, both stored by the API.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, broadcastDateAt, weekdayOf } from '../../scheduler/schedule/broadcast-date.ts';
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
/** Tomorrow's weekday (the day edited and published) and a weekday with no slots (not tomorrow's). */
let editDay: string;
let emptyDay: string;

const ZH_DAYS: Record<string, string> = {
  mon: '周一',
  tue: '周二',
  wed: '周三',
  thu: '周四',
  fri: '周五',
  sat: '周六',
  sun: '周日',
};
const SCHOOL_DAY = [
  { id: 'p1', start: '08:00', kind: 'programme', lesson: 'g4-chinese-u1-l1' },
  { id: 'p2', start: '08:30', kind: 'programme', lesson: 'g3-math-u1-l1' },
  { id: 'p3', start: '09:00', kind: 'programme', lesson: 'g4-chinese-u1-l1' },
  // Off air as a broadcaster titles it, with a card on screen (the fixture's one still: the slate, 休息).
  {
    id: 'p4',
    start: '09:30',
    kind: 'off-air',
    title: { zh: '今日节目已结束', en: 'Off air until tomorrow' },
    card: 'slate',
  },
];

async function adminApi(method: string, path: string, body?: unknown) {
  const response = await fetch(`${world.baseUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${world.editorToken}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, json: (await response.json()) as any };
}

/** Presses Tab until the focused field is the one labelled `label` (the time input has a stop per part). */
async function tabTo(page: Page, label: string): Promise<void> {
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      return el?.labels?.[0]?.textContent ?? '';
    });
    if (focused === label) return;
  }
  throw new Error(`Tab never reached ${label}`);
}

const focusedLabel = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');

const termOf = async (channel: string) =>
  (await adminApi('GET', `/api/admin/channels/${channel}/timetables/term`)).json as Record<string, any[]>;

beforeAll(async () => {
  world = await startConsoleWorld();
  const today = broadcastDateAt(Date.now(), TIMEZONE, '00:00');
  tomorrow = addDays(today, 1);
  editDay = weekdayOf(tomorrow);
  emptyDay = weekdayOf(addDays(today, 2));
  // A school day's timetable for g4 (the fixture's dense 4-minute slots are for the player tests).
  const week = Object.fromEntries(Object.keys(ZH_DAYS).map((d) => [d, d === emptyDay ? [] : SCHOOL_DAY]));
  expect((await adminApi('PUT', '/api/admin/channels/g4/timetables/term', week)).status).toBe(200);
}, 240_000);

afterAll(async () => {
  await world?.close();
});

describe('timetable week grid', () => {
  it('keyboard only: retime and reprogramme a slot, save; preview + publish; the guide serves it', async () => {
    const { context, page } = await openConsole(world, { token: world.editorToken, hash: '#/timetables?channel=g4' });
    try {
      await shown(page.getByRole('heading', { name: '时间表', level: 1 }));
      expect(await textOf(page.locator('.tt-zone'))).toMatch(/^时间均为频道时区 Asia\/Shanghai（.+）的当地时间/);
      const day = page.getByRole('grid', { name: ZH_DAYS[editDay] });
      await shown(day.getByRole('row').first());
      expect(await day.getByRole('row').count()).toBe(4);
      // An off-air slot reads as viewers see it: its guide title, and the card on screen.
      await shown(day.locator('[data-slot="p4"]').getByText('停播 · 今日节目已结束（画面：休息）'));
      // Focus the day's list as Tab would, then only keys: ↓ to the 08:30 slot, Enter opens it in the editor.
      await day.getByRole('row').first().focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await shown(page.getByRole('heading', { name: `编辑时段：${ZH_DAYS[editDay]} 08:30` }));
      await page.keyboard.type('0840');
      await shown(page.getByRole('heading', { name: `编辑时段：${ZH_DAYS[editDay]} 08:40` }));
      await tabTo(page, '课程编号');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('g3-math-u1-l2');
      expect(await textOf(page.locator('.tt-dirty'))).toBe('有未保存的修改');
      // The grid redraws behind typing: wait for it.
      await shown(day.locator('[data-slot="p2"]').getByText('固定节目：g3-math-u1-l2'));
      expect(await textOf(day.locator('[data-slot="p2"] .tt-time'))).toBe('08:40–09:00');
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: screenshotPath('timetable-week-zh'), fullPage: true });
      await page.keyboard.press('Control+s');
      await shown(page.getByText('已保存 g4 的 term 模板。'));

      expect((await termOf('g4'))[editDay]![1]).toEqual({
        id: 'p2',
        start: '08:40',
        kind: 'programme',
        lesson: 'g3-math-u1-l2',
      });
      const preview = await adminApi('POST', '/api/admin/previews', { channels: ['g4'], from: tomorrow, days: 1 });
      expect(preview.status).toBe(201);
      expect((await adminApi('POST', `/api/admin/previews/${preview.json.id}/publish`)).status).toBe(200);
      const query = new URLSearchParams({
        channels: 'g4',
        from: `${tomorrow}T08:00:00+08:00`,
        to: `${tomorrow}T10:00:00+08:00`,
      });
      const guide = (await (await fetch(`${world.baseUrl}/api/guide?${query}`)).json()) as any;
      const aired = guide.channels[0].programmes.find((p: any) => p.title.zh === '时间的计算');
      expect(aired?.startMs).toBe(Date.parse(`${tomorrow}T08:40:00+08:00`));
    } finally {
      await context.close();
    }
  });

  it('drag and drop (mouse and keyboard) within a day and onto another day, undo, the unsaved-changes guard', async () => {
    const { context, page } = await openConsole(world, { token: world.editorToken, hash: '#/timetables?channel=g4' });
    try {
      const day = page.getByRole('grid', { name: ZH_DAYS[editDay] });
      const empty = page.getByRole('grid', { name: ZH_DAYS[emptyDay] });
      await shown(day.locator('[data-slot="p4"]'));
      // The off-air slot dropped before the first: the programmes move, the day's start times stay.
      await day
        .locator('[data-slot="p4"]')
        .dragTo(day.locator('[data-slot="p1"]'), { targetPosition: { x: 60, y: 2 } });
      await shown(day.locator('[data-slot="p4"]').getByText(/^08:00–/));
      const ids = await day.locator('.tt-slot').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-slot')));
      expect(ids).toEqual(['p4', 'p1', 'p2', 'p3']);
      // The last slot dragged onto the empty day keeps its start time there.
      await day.locator('[data-slot="p3"]').dragTo(empty);
      await shown(empty.locator('[data-slot="p3"]').getByText(/^09:30–/));
      expect(await day.locator('.tt-slot').count()).toBe(3);
      expect(await textOf(page.getByRole('button', { name: /^撤销/ }))).toBe('撤销（2）');
      // Undo (Ctrl+Z) takes back the last move only.
      await page.getByRole('heading', { name: '时间表', level: 1 }).click();
      await page.keyboard.press('Control+z');
      await gone(empty.locator('[data-slot="p3"]'));
      expect(await day.locator('.tt-slot').count()).toBe(4);
      await shown(day.locator('[data-slot="p4"]').getByText(/^08:00–/));

      // The keyboard's drag and drop: → to the slot's ≡ handle, Enter picks it up, ↑ to "drop on" the first
      // slot, Enter swaps the two programmes.
      await day.locator('[data-slot="p1"]').focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Enter');
      for (let i = 0; i < 8 && !/^放置于 08:00/.test(await focusedLabel(page)); i++)
        await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Enter');
      await shown(day.locator('[data-slot="p1"]').getByText(/^08:00–/));
      const swapped = await day.locator('.tt-slot').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-slot')));
      expect(swapped).toEqual(['p1', 'p4', 'p2', 'p3']);

      // Leaving with unsaved edits asks; staying keeps them.
      await page.getByRole('navigation').getByRole('link', { name: '节目表' }).click();
      const dialog = await shown(page.getByRole('alertdialog', { name: '有未保存的修改' }));
      expect(await seriousViolations(page)).toEqual([]);
      await dialog.getByRole('button', { name: '留在此页' }).click();
      await gone(page.getByRole('alertdialog'));
      expect(page.url()).toContain('#/timetables');
      await shown(day.locator('[data-slot="p4"]'));
      expect(await day.locator('.tt-slot').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-slot')))).toEqual(
        swapped,
      );
      // Closing the tab makes the browser ask too.
      const asked = new Promise<string>((resolve) =>
        page.once('dialog', (d) => {
          resolve(d.type());
          void d.dismiss();
        }),
      );
      await page.close({ runBeforeUnload: true });
      expect(await asked).toBe('beforeunload');
      expect(page.isClosed()).toBe(false);
      // Signing out asks the same way; staying keeps the session and the edits.
      await page.getByRole('button', { name: '退出登录' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: '留在此页' }).click();
      await gone(page.getByRole('alertdialog'));
      await shown(page.getByRole('button', { name: '退出登录' }));
      await shown(day.locator('[data-slot="p4"]'));
      // Leaving after all: the edits are dropped, the stored timetable is unchanged.
      await page.getByRole('navigation').getByRole('link', { name: '节目表' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: '放弃修改并离开' }).click();
      await shown(page.getByRole('heading', { name: '节目表', level: 1 }));
      expect((await termOf('g4'))[editDay]!.map((s) => s.id)).toEqual(['p1', 'p2', 'p3', 'p4']);
    } finally {
      await context.close();
    }
  });

  it("shows the API's problem at its field; copies a day and the template to another channel (English)", async () => {
    const { context, page } = await openConsole(world, {
      token: world.editorToken,
      language: 'en',
      hash: '#/timetables?channel=g4&day=mon&slot=p1',
    });
    try {
      const editor = await shown(page.locator('.tt-editor'));
      expect(await textOf(editor.getByRole('heading'))).toBe('Edit slot: Mon 08:00');
      await editor.getByRole('radio', { name: 'First run (subject)' }).check({ force: true });
      await editor.getByRole('textbox', { name: 'Subject' }).fill('math');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await shown(page.getByRole('alert').getByText(/^Not saved: the server found 1 problem/));
      const subject = editor.getByRole('textbox', { name: 'Subject' });
      expect(await subject.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await subject.getAttribute('aria-describedby')) ?? '';
      const described = await page.evaluate(
        (ids) =>
          ids
            .split(' ')
            .map((id) => document.getElementById(id)?.textContent ?? '')
            .join(' '),
        describedBy,
      );
      expect(described).toContain("subject 'math' has no course on channel 'g4'");
      await shown(page.getByRole('grid', { name: 'Mon' }).locator('[data-slot="p1"].invalid'));
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: screenshotPath('timetable-problem-en'), fullPage: true });

      await page.getByRole('button', { name: 'Discard changes' }).click();
      await page.getByRole('button', { name: 'Copy a day to other days…' }).click();
      const copy = await shown(page.getByRole('dialog', { name: 'Copy a day’s slots' }));
      await copy.getByRole('radio', { name: 'Mon' }).check({ force: true });
      await copy.getByRole('checkbox', { name: emptyDay[0]!.toUpperCase() + emptyDay.slice(1) }).check({ force: true });
      await copy.getByRole('button', { name: 'Copy', exact: true }).click();
      await gone(page.getByRole('dialog'));
      const target = page.getByRole('grid', { name: emptyDay[0]!.toUpperCase() + emptyDay.slice(1) });
      await shown(target.locator('[data-slot="p4"]'));
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await shown(page.getByText('Saved the term template of g4.'));
      const term = await termOf('g4');
      expect(term[emptyDay]).toEqual(term.mon);

      await page.getByRole('button', { name: 'Copy the template to other channels…' }).click();
      const bulk = await shown(page.getByRole('dialog', { name: 'Copy the saved term template to other channels' }));
      await bulk.getByRole('checkbox', { name: '3 Grade 3' }).check({ force: true });
      await bulk.getByRole('button', { name: 'Copy to 1 channel(s)' }).click();
      expect(await textOf(bulk.getByRole('status'))).toBe('g3: copied');
      expect(await termOf('g3')).toEqual(term);
    } finally {
      await context.close();
    }
  });

  it('names a rerun by the first run it repeats: its subject and period, the day when another', async () => {
    // A channel of its own (created by an admin), so that the other tests' channels stay as they were.
    const put = await fetch(`${world.baseUrl}/api/admin/channels/g9`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${world.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        id: 'g9',
        number: 9,
        name: { zh: '九号测试频道' },
        timezone: 'Asia/Shanghai',
        dayStart: '06:00',
        grades: [3, 4],
        courses: [
          { subject: 'math', edition: 'pep', grade: 3 },
          { subject: 'chinese', edition: 'pep', grade: 4 },
        ],
        timetables: { term: {}, holiday: {}, suspension: {} },
      }),
    });
    expect(put.status, await put.text()).toBe(200);
    const day = [
      { id: 'l1', start: '08:00', kind: 'lesson', subject: 'chinese' },
      { id: 'l2', start: '08:30', kind: 'lesson', subject: 'math' },
      { id: 'l3', start: '13:30', kind: 'lesson', subject: 'math' },
      { id: 'r-l2', start: '14:00', kind: 'rerun', of: 'l2', daysAgo: 0 },
      { id: 'y-l3', start: '19:00', kind: 'rerun', of: 'l3', daysAgo: 1 },
      { id: 'loop', start: '20:00', kind: 'rerun-loop', daysAgo: 1 },
    ];
    const week = Object.fromEntries(Object.keys(ZH_DAYS).map((d) => [d, day]));
    expect((await adminApi('PUT', '/api/admin/channels/g9/timetables/term', week)).status).toBe(200);

    const { context, page } = await openConsole(world, { token: world.editorToken, hash: '#/timetables?channel=g9' });
    try {
      const tue = page.getByRole('grid', { name: '周二' });
      await shown(tue.locator('[data-slot="r-l2"]').getByText('重播：数学（上午第2节）'));
      await shown(tue.locator('[data-slot="y-l3"]').getByText('重播：数学（前一天下午第1节）'));
      await shown(tue.locator('[data-slot="loop"]').getByText('重播轮播：前一天的首播课程'));
      // Not the slot id and a raw day offset.
      expect(await textOf(page.locator('.tt-week'))).not.toMatch(/重播 \S+（\d+ 天前）/);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: screenshotPath('timetable-reruns-zh'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});

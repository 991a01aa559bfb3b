/**
 * The console's words through its own locale files: the week grid's for a slot (admin-app/src/timetable/slot-label.ts:
 * subjects and fillers by their catalog names, off-air slots as viewers see them: guide title, card on screen), and
 * build warnings from the API's facts (admin-app/src/warning-text.ts).
 */
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import en from '../../admin-app/src/locales/en.ts';
import zhCN from '../../admin-app/src/locales/zh-CN.ts';
import { NO_NAMES, slotLabel, type SlotNames, type SlotPlace } from '../../admin-app/src/timetable/slot-label.ts';
import { emptyGrid, type Slot } from '../../admin-app/src/timetable/week-grid-model.ts';
import { warningText } from '../../admin-app/src/warning-text.ts';
import { healthText } from '../../admin-app/src/health-text.ts';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng: 'zh-CN',
    interpolation: { escapeValue: false },
  });
});

const names: SlotNames = {
  subjects: new Map([['math', { zh: '数学', en: 'Mathematics' }]]),
  fillers: new Map([['filler-eye-exercises', { zh: '眼保健操', en: 'Eye exercises' }]]),
  cards: new Map([
    ['card-lunch', { zh: '午间休息', en: 'Lunch break' }],
    ['slate', { zh: '稍后继续', en: 'Back soon' }],
  ]),
};
const label = (slot: Omit<Slot, 'id' | 'start'>, language = 'zh-CN', known = names, place?: SlotPlace) =>
  slotLabel({ id: 's', start: '12:00', ...slot } as Slot, known, i18n.getFixedT(language), language, place);

describe('slot labels', () => {
  it('words an off-air slot as viewers see it: its guide title, else its card’s title, after the kind', () => {
    const lunch = { zh: '午间休息', en: 'Lunch break' };
    expect(label({ kind: 'off-air', title: lunch, card: 'card-lunch' })).toBe('停播 · 午间休息');
    expect(label({ kind: 'off-air', title: lunch, card: 'card-lunch' }, 'en')).toBe('Off air · Lunch break');
    expect(label({ kind: 'off-air', card: 'card-lunch' })).toBe('停播 · 午间休息');
    // A picture that says something else than the guide is named too.
    expect(label({ kind: 'off-air', title: { zh: '今日节目已结束' }, card: 'slate' })).toBe(
      '停播 · 今日节目已结束（画面：稍后继续）',
    );
    // A card the catalog does not know (yet) by its id; no title and no card: the slate, "off air" alone.
    expect(label({ kind: 'off-air', card: 'card-new' }, 'zh-CN', NO_NAMES)).toBe('停播 · card-new');
    expect(label({ kind: 'off-air' })).toBe('停播');
  });

  it('names subjects and fillers as the catalog does, ids it does not know as they are', () => {
    expect(label({ kind: 'lesson', subject: 'math' })).toBe('首播：数学');
    expect(label({ kind: 'lesson', subject: 'math' }, 'en')).toBe('First run: Mathematics');
    expect(label({ kind: 'filler', asset: 'filler-eye-exercises' })).toBe('填充：眼保健操');
    expect(label({ kind: 'filler', asset: 'filler-ident' })).toBe('填充：filler-ident');
  });

  describe('reruns, named by the first run they repeat (its subject and period), as a broadcaster says them', () => {
    // Monday: two morning lessons, a filler between, an afternoon lesson; Tuesday reruns Monday's and its own.
    const grid = emptyGrid();
    grid.mon = [
      { id: 'l1', start: '08:00', kind: 'lesson', subject: 'chinese' },
      { id: 'l1-break', start: '08:20', kind: 'filler', asset: 'filler-eye-exercises' },
      { id: 'l2', start: '08:30', kind: 'lesson', subject: 'math' },
      { id: 'l3', start: '13:30', kind: 'lesson', subject: 'math' },
      { id: 'r-l2', start: '14:00', kind: 'rerun', of: 'l2', daysAgo: 0 },
    ];
    grid.tue = [{ id: 'l2', start: '08:30', kind: 'lesson', subject: 'english' }];
    const mon: SlotPlace = { grid, day: 'mon', dayStart: '06:00' };
    const tue: SlotPlace = { ...mon, day: 'tue' };
    const thu: SlotPlace = { ...mon, day: 'thu' };

    it('in Chinese: 重播：数学（上午第2节）, the day named when it is not the same', () => {
      expect(label({ kind: 'rerun', of: 'l2', daysAgo: 0 }, 'zh-CN', names, mon)).toBe('重播：数学（上午第2节）');
      expect(label({ kind: 'rerun', of: 'l3', daysAgo: 0 }, 'zh-CN', names, mon)).toBe('重播：数学（下午第1节）');
      expect(label({ kind: 'rerun', of: 'l2', daysAgo: 1 }, 'zh-CN', names, tue)).toBe('重播：数学（前一天上午第2节）');
      expect(label({ kind: 'rerun', of: 'l3', daysAgo: 3 }, 'zh-CN', names, thu)).toBe('重播：数学（3天前下午第1节）');
      // Same id, other day: Tuesday's l2 is English (a subject the catalog does not know: its id).
      expect(label({ kind: 'rerun', of: 'l2', daysAgo: 0 }, 'zh-CN', names, tue)).toBe('重播：english（上午第1节）');
    });

    it('in English', () => {
      expect(label({ kind: 'rerun', of: 'l2', daysAgo: 0 }, 'en', names, mon)).toBe(
        'Rerun: Mathematics (morning period 2)',
      );
      expect(label({ kind: 'rerun', of: 'l2', daysAgo: 1 }, 'en', names, tue)).toBe(
        'Rerun: Mathematics (previous day, morning period 2)',
      );
    });

    it('a first run the grid does not hold (another template’s slot): its slot, and the day in words', () => {
      expect(label({ kind: 'rerun', of: 'l9', daysAgo: 1 }, 'zh-CN', names, tue)).toBe('重播：前一天时段 l9');
      expect(label({ kind: 'rerun', of: 'l1', daysAgo: 0 })).toBe('重播：当天时段 l1');
      expect(label({ kind: 'rerun', of: 'l9', daysAgo: 2 }, 'en', names, tue)).toBe(
        'Rerun of slot l9 (2 days earlier)',
      );
    });

    it('a rerun loop: whose first runs it loops', () => {
      expect(label({ kind: 'rerun-loop', daysAgo: 0 })).toBe('重播轮播：当天已播的首播课程');
      expect(label({ kind: 'rerun-loop', daysAgo: 1 })).toBe('重播轮播：前一天的首播课程');
      expect(label({ kind: 'rerun-loop', daysAgo: 1 }, 'en')).toBe("Rerun loop: the previous day's first runs");
    });
  });
});

describe('build warnings', () => {
  const warning = {
    code: 'lesson-not-packaged',
    slotId: 'l3',
    lessonId: 'g3-math-u1-l2',
    message:
      'lesson g3-math-u1-l2 (时间的计算) is not packaged for ladder sample; slate instead, the course waits for it',
  };
  it('read in Chinese from their facts (kind, slot, lesson), the English sentence kept for the tooltip', () => {
    expect(warningText(warning, i18n.getFixedT('zh-CN'), 'zh-CN')).toEqual({
      text: '课程未打包 · 时段 l3 · 课程 g3-math-u1-l2',
      detail: warning.message,
    });
    const { slotId: _slot, lessonId: _lesson, ...bare } = { ...warning, code: 'overrun' };
    expect(warningText(bare, i18n.getFixedT('zh-CN'), 'zh-CN').text).toBe('超时');
  });
  it('read in English as the server says them, after their kind', () => {
    expect(warningText(warning, i18n.getFixedT('en'), 'en').text).toBe(`Lesson not packaged: ${warning.message}`);
  });
});

describe('health checks', () => {
  const zh = (facts: Parameters<typeof healthText>[0]) => healthText(facts, i18n.getFixedT('zh-CN'), 'zh-CN');
  it('read in Chinese from their facts, not the server’s English detail', () => {
    expect(zh({ code: 'database-writable' })).toBe('可写');
    expect(zh({ code: 'media-readable', path: '/data/media', entries: 12 })).toBe('/data/media 可读（12 个条目）');
    expect(zh({ code: 'horizon-published', channels: 12, days: 7 })).toBe('12 个频道均已发布到 7 天后');
    expect(
      zh({
        code: 'horizon-short',
        days: 7,
        short: [
          { channelId: 'g3', first: '2026-12-01', last: '2026-12-03', from: '2026-12-03', to: '2026-12-09' },
          { channelId: 'g4', first: null, last: null, from: '2026-12-03', to: '2026-12-09' },
        ],
      }),
    ).toBe(
      'g3 未发布满 7 天（已发布 2026-12-01 至 2026-12-03，需要 2026-12-03 至 2026-12-09）；' +
        'g4 尚未发布任何一天（需要 2026-12-03 至 2026-12-09）',
    );
    expect(zh({ code: 'cron-zones-unscheduled', zones: ['Asia/Shanghai', 'Asia/Urumqi'] })).toBe(
      '这些时区没有夜间构建任务：Asia/Shanghai、Asia/Urumqi',
    );
    expect(zh({ code: 'cron-last-run', atMs: Date.UTC(2026, 11, 3, 18, 5) })).toMatch(
      /^上次运行于 2026.12.03 18:05 UTC$/,
    );
    expect(zh({ code: 'preparing', source: 'sample', items: 'lesson-videos', remaining: 27, total: 30 })).toBe(
      '示例节目准备中：30 个课程视频还有 27 个待打包，打包完成前这些时段播放垫片。',
    );
    expect(zh({ code: 'off-air', channelIds: ['g3', 'g4'] })).toBe('这些频道当前没有已发布的节目：g3、g4');
  });
  it('and in English', () => {
    const en = healthText({ code: 'media-unreadable', path: '/m', error: 'ENOENT' }, i18n.getFixedT('en'), 'en');
    expect(en).toBe('/m not readable (ENOENT)');
  });
});

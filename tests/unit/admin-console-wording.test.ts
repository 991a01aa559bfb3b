/**
 * The console's words through its own locale files: the week grid's for a slot (admin-app/src/timetable/slot-label.ts:
 * subjects and fillers by their catalog names, off-air slots as viewers see them: guide title, card on screen), and
 * build warnings from the API's facts (admin-app/src/warning-text.ts).
 */
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import en from '../../admin-app/src/locales/en.ts';
import zhCN from '../../admin-app/src/locales/zh-CN.ts';
import { NO_NAMES, slotLabel, type SlotNames } from '../../admin-app/src/timetable/slot-label.ts';
import type { Slot } from '../../admin-app/src/timetable/week-grid-model.ts';
import { warningText } from '../../admin-app/src/warning-text.ts';

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
const label = (slot: Omit<Slot, 'id' | 'start'>, language = 'zh-CN', known = names) =>
  slotLabel({ id: 's', start: '12:00', ...slot } as Slot, known, i18n.getFixedT(language), language);

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
    expect(label({ kind: 'rerun', of: 'l1', daysAgo: 0 })).toBe('重播 l1（0 天前）');
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

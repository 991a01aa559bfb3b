import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../tv-app/src/api/backoff.ts';
import { channelName, clockDuration, t, title, wallClock, wallClockAt } from '../../tv-app/src/i18n/strings.ts';
import { channelIndexForNumber, nowNext, zapIndex } from '../../tv-app/src/live/now-next.ts';
import { catalogTree } from '../../tv-app/src/ondemand/catalog-tree.ts';
import { noticeKey, PersistedState } from '../../tv-app/src/state/persisted.ts';

/** An in-memory Storage with the same contract as localStorage (strings in, strings out). */
function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, String(v)),
    removeItem: (k: string) => void items.delete(k),
    items,
  };
}

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 2, 0, 0);
const programme = (id: string, startMin: number, lengthMin: number, zh: string, en?: string) => ({
  id,
  startMs: T0 + startMin * MIN,
  endMs: T0 + (startMin + lengthMin) * MIN,
  start: new Date(T0 + (startMin + 480) * MIN).toISOString().replace('Z', '+08:00'),
  end: new Date(T0 + (startMin + lengthMin + 480) * MIN).toISOString().replace('Z', '+08:00'),
  title: en ? { zh, en } : { zh },
});

describe('info banner: now / next', () => {
  const day = [
    programme('a', 0, 20, '秒的认识', 'Seconds'),
    programme('b', 20, 10, '眼保健操'),
    programme('c', 40, 20, '观潮'),
  ];
  it('names what is on and what follows, with wall-clock times and progress', () => {
    expect(nowNext(day, T0 + 5 * MIN, 'zh')).toEqual({
      nowTitle: '秒的认识',
      nowTimes: '08:00–08:20',
      nextTitle: '眼保健操',
      nextTimes: '08:20–08:30',
      progress: 0.25,
    });
    expect(nowNext(day, T0 + 5 * MIN, 'en').nowTitle).toBe('Seconds (秒的认识)');
  });
  it('in a gap, nothing is on and the next programme is shown; at the end, dashes', () => {
    expect(nowNext(day, T0 + 35 * MIN, 'zh')).toMatchObject({ nowTitle: '—', nextTitle: '观潮', progress: 0 });
    expect(nowNext(day, T0 + 90 * MIN, 'zh')).toMatchObject({ nowTitle: '—', nextTitle: '—' });
  });
  it('tunes typed numbers to channels and wraps zapping', () => {
    const channels = [{ number: 3 }, { number: 4 }, { number: 12 }];
    expect(channelIndexForNumber(channels, '12')).toBe(2);
    expect(channelIndexForNumber(channels, '012')).toBe(2);
    expect(channelIndexForNumber(channels, '9')).toBe(-1);
    expect(channelIndexForNumber(channels, '')).toBe(-1);
    expect(zapIndex(2, 1, 3)).toBe(0);
    expect(zapIndex(0, -1, 3)).toBe(2);
    expect(zapIndex(0, 1, 0)).toBe(-1);
  });
});

describe('strings', () => {
  it('formats times, durations and localized titles', () => {
    expect(wallClock('2026-03-02T08:05:00.000+08:00')).toBe('08:05');
    expect(wallClockAt(T0 + 30 * MIN, 'Asia/Shanghai')).toBe('08:30');
    expect(clockDuration(3725)).toBe('1:02:05');
    expect(clockDuration(65.9)).toBe('1:05');
    expect(title({ zh: '观潮' }, 'en')).toBe('观潮');
    expect(channelName({ zh: '空中课堂 三年级', en: 'Aerial Classroom Grade 3' }, 'en')).toBe(
      'Aerial Classroom Grade 3',
    );
    expect(channelName({ zh: '空中课堂 三年级' }, 'en')).toBe('空中课堂 三年级');
    expect(channelName({ zh: '空中课堂 三年级', en: 'Aerial Classroom Grade 3' }, 'zh')).toBe('空中课堂 三年级');
    expect(t('gradeN', 'zh', { n: 3 })).toBe('3年级');
    expect(t('resumeAt', 'en', { t: '1:05' })).toBe('Press OK to resume at 1:05');
  });
});

describe('retries', () => {
  it('backs off exponentially with jitter, capped', () => {
    expect(backoffDelay(0, 1000, 30_000, () => 0)).toBe(500);
    expect(backoffDelay(0, 1000, 30_000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 1000, 30_000, () => 1)).toBe(8000);
    expect(backoffDelay(10, 1000, 30_000, () => 1)).toBe(30_000);
    expect(backoffDelay(10, 1000, 30_000, () => 0)).toBe(15_000);
  });
});

describe('persisted state', () => {
  it('round-trips settings and tolerates corrupt or out-of-range data', () => {
    const storage = memoryStorage();
    const state = new PersistedState(storage);
    expect(state.settings()).toEqual({ subtitles: false, language: 'zh' });
    state.saveSettings({ myGrade: 3, subtitles: true, language: 'en' });
    expect(new PersistedState(storage).settings()).toEqual({ myGrade: 3, subtitles: true, language: 'en' });
    storage.setItem('aerial.settings.v1', '{"myGrade":13,"language":"fr"');
    expect(state.settings()).toEqual({ subtitles: false, language: 'zh' });
    storage.setItem('aerial.settings.v1', '{"myGrade":13,"language":"fr"}');
    expect(state.settings()).toEqual({ subtitles: false, language: 'zh' });
  });

  it('keeps resume points most recent first, and forgets finished or barely started lessons', () => {
    const state = new PersistedState(memoryStorage());
    state.saveResumePosition('a', 30, 600, 1);
    state.saveResumePosition('b', 100, 600, 2);
    expect(state.resumePoints().map((p) => p.lessonId)).toEqual(['b', 'a']);
    state.saveResumePosition('a', 40, 600, 3);
    expect(state.resumePoints().map((p) => [p.lessonId, p.positionS])).toEqual([
      ['a', 40],
      ['b', 100],
    ]);
    state.saveResumePosition('b', 598, 600, 4);
    state.saveResumePosition('a', 2, 600, 5);
    expect(state.resumePoints()).toEqual([]);
    expect(state.resumePosition('a')).toBe(0);
  });

  it('remembers a dismissed notice by its content: a changed text is a new notice', () => {
    const state = new PersistedState(memoryStorage());
    const notice = { orderId: 'typhoon', text: { zh: '停课' } };
    state.dismissNotice(noticeKey(notice));
    expect(state.dismissedNotice()).toBe(noticeKey(notice));
    expect(noticeKey({ ...notice, text: { zh: '停课延长' } })).not.toBe(state.dismissedNotice());
  });
});

describe('on-demand catalog tree', () => {
  it('groups lessons grade → subject → unit in textbook order', () => {
    const lesson = (id: string, grade: number, subject: string, volume: number, unit: number, n: number) => ({
      id,
      grade,
      subject,
      subjectName: { zh: subject },
      volume,
      unit,
      unitTitle: { zh: `U${unit}` },
      lesson: n,
      title: { zh: id },
    });
    const tree = catalogTree([
      lesson('m2', 3, 'math', 1, 1, 2),
      lesson('c1', 4, 'chinese', 1, 1, 1),
      lesson('m1', 3, 'math', 1, 1, 1),
      lesson('m3', 3, 'math', 1, 2, 1),
      lesson('v2', 3, 'math', 2, 1, 1),
      lesson('x1', 3, 'chinese', 1, 1, 1),
    ]);
    expect(tree.map((g) => g.grade)).toEqual([3, 4]);
    expect(tree[0]!.subjects.map((s) => s.subject)).toEqual(['chinese', 'math']);
    expect(tree[0]!.subjects[1]!.units.map((u) => [u.volume, u.unit, u.lessons.map((l) => l.id)])).toEqual([
      [1, 1, ['m1', 'm2']],
      [1, 2, ['m3']],
      [2, 1, ['v2']],
    ]);
  });
});

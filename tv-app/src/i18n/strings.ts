/** UI strings in Chinese and English, and how localized titles are shown in each language. */

export type Language = 'zh' | 'en';

export interface Localized {
  zh: string;
  en?: string;
}

const STRINGS = {
  live: { zh: '直播', en: 'Live' },
  guide: { zh: '节目单', en: 'Guide' },
  onDemand: { zh: '点播', en: 'On demand' },
  settings: { zh: '设置', en: 'Settings' },
  now: { zh: '正在播出', en: 'Now' },
  next: { zh: '下一节目', en: 'Next' },
  channel: { zh: '频道', en: 'Channel' },
  offline: {
    zh: '无法连接服务器，正在重试。显示的是上次保存的节目单。',
    en: 'Server unreachable, retrying. Showing the last saved guide.',
  },
  offlineNoCache: { zh: '无法连接服务器，正在重试……', en: 'Server unreachable, retrying…' },
  loading: { zh: '加载中……', en: 'Loading…' },
  reconnecting: { zh: '信号中断，正在重新连接……', en: 'Signal lost, reconnecting…' },
  noticeTitle: { zh: '停课通知', en: 'Class suspension notice' },
  noticeDismiss: { zh: '按确定键关闭', en: 'Press OK to dismiss' },
  continueWatching: { zh: '继续观看', en: 'Continue watching' },
  grades: { zh: '年级', en: 'Grade' },
  subjects: { zh: '学科', en: 'Subject' },
  units: { zh: '单元', en: 'Unit' },
  lessons: { zh: '课程', en: 'Lessons' },
  teacher: { zh: '授课教师', en: 'Teacher' },
  duration: { zh: '时长', en: 'Duration' },
  minutes: { zh: '分钟', en: 'min' },
  play: { zh: '按确定键播放', en: 'Press OK to play' },
  resumeAt: { zh: '按确定键从 {t} 继续播放', en: 'Press OK to resume at {t}' },
  myGrade: { zh: '我的年级', en: 'My grade' },
  subtitles: { zh: '字幕', en: 'Subtitles' },
  language: { zh: '语言', en: 'Language' },
  on: { zh: '开', en: 'On' },
  off: { zh: '关', en: 'Off' },
  catchUp: { zh: '回看', en: 'Catch-up' },
  upcoming: { zh: '即将播出', en: 'Upcoming' },
  playbackError: { zh: '播放出错：{reason}。按返回键退出。', en: 'Playback failed: {reason}. Press Back to leave.' },
  noChannels: { zh: '暂无频道', en: 'No channels yet' },
  gradeN: { zh: '{n}年级', en: 'Grade {n}' },
  unitN: { zh: '第{n}单元', en: 'Unit {n}' },
  lessonN: { zh: '第{n}课', en: 'Lesson {n}' },
  navHint: { zh: '↑ 菜单 · 确定 选择 · 返回 直播', en: '↑ menu · OK select · Back live' },
  liveHint: { zh: '▲▼ 换台 · 0-9 输入频道号 · 返回 节目单', en: '▲▼ channel · 0-9 channel number · Back guide' },
} satisfies Record<string, Required<Localized>>;

export type StringKey = keyof typeof STRINGS;

export function t(key: StringKey, language: Language, values: Record<string, string | number> = {}): string {
  const template = STRINGS[key][language];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** Chinese title; in English, "English (中文)" when there is an English title, so the Chinese is never lost. */
export function title(text: Localized | undefined, language: Language): string {
  if (!text) return '';
  if (language === 'en' && text.en) return `${text.en} (${text.zh})`;
  return text.zh;
}

/** A channel's name in the app language (names are short labels: English alone when there is one). */
export function channelName(name: Localized, language: Language): string {
  return language === 'en' && name.en ? name.en : name.zh;
}

/** "h:mm:ss" / "m:ss" for a playback position. */
export function clockDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** "HH:MM" of a local ISO 8601 string with offset (the guide JSON's `start`/`end`): the channel's wall clock. */
export function wallClock(localIso: string): string {
  return localIso.slice(11, 16);
}

/** "HH:MM" of an instant in an IANA zone (for grid markers, which are not programme boundaries). */
export function wallClockAt(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(
    ms,
  );
}

/** "MM-DD" of an instant in an IANA zone. */
export function dateAt(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { month: '2-digit', day: '2-digit', timeZone }).format(ms);
}

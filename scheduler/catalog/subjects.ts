/**
 * The curriculum's fixed vocabulary: school stages, subject codes and textbook editions.
 * Subject codes are what catalog files, channel courses and the guide API use; names are for display.
 */

export type StageCode = 'primary' | 'junior' | 'senior';

export interface Stage {
  code: StageCode;
  zh: string;
  en: string;
  grades: readonly number[];
}

export const STAGES: readonly Stage[] = [
  { code: 'primary', zh: '小学', en: 'Primary school', grades: [1, 2, 3, 4, 5, 6] },
  { code: 'junior', zh: '初中', en: 'Junior high school', grades: [7, 8, 9] },
  { code: 'senior', zh: '高中', en: 'Senior high school', grades: [10, 11, 12] },
];

/** Stage of a grade 1–12 (1–6 小学, 7–9 初中, 10–12 高中). */
export function stageOfGrade(grade: number): Stage {
  const stage = STAGES.find((s) => s.grades.includes(grade));
  if (!stage) throw new RangeError(`grade must be a whole number 1–12, got ${grade}`);
  return stage;
}

export interface Subject {
  code: string;
  zh: string;
  en: string;
}

/** Known subjects, in the order timetables and guides list them. */
export const SUBJECTS: readonly Subject[] = [
  { code: 'chinese', zh: '语文', en: 'Chinese' },
  { code: 'math', zh: '数学', en: 'Mathematics' },
  { code: 'english', zh: '英语', en: 'English' },
  { code: 'morality', zh: '道德与法治', en: 'Morality and Law' },
  { code: 'politics', zh: '思想政治', en: 'Ideology and Politics' },
  { code: 'science', zh: '科学', en: 'Science' },
  { code: 'history', zh: '历史', en: 'History' },
  { code: 'geography', zh: '地理', en: 'Geography' },
  { code: 'biology', zh: '生物学', en: 'Biology' },
  { code: 'physics', zh: '物理', en: 'Physics' },
  { code: 'chemistry', zh: '化学', en: 'Chemistry' },
  { code: 'it', zh: '信息科技', en: 'Information Technology' },
  { code: 'music', zh: '音乐', en: 'Music' },
  { code: 'art', zh: '美术', en: 'Art' },
  { code: 'pe', zh: '体育与健康', en: 'PE and Health' },
  { code: 'labor', zh: '劳动', en: 'Labour' },
  { code: 'psychology', zh: '心理健康', en: 'Mental Health' },
  { code: 'topic', zh: '专题教育', en: 'Special Topics' },
];

const SUBJECT_BY_CODE = new Map(SUBJECTS.map((s) => [s.code, s]));
const SUBJECT_RANK = new Map(SUBJECTS.map((s, i) => [s.code, i]));

export function isSubjectCode(code: string): boolean {
  return SUBJECT_BY_CODE.has(code);
}

export function subjectByCode(code: string): Subject | undefined {
  return SUBJECT_BY_CODE.get(code);
}

/** Position in SUBJECTS (unknown codes sort last), for ordering guides and timetables. */
export function subjectRank(code: string): number {
  return SUBJECT_RANK.get(code) ?? SUBJECTS.length;
}

export interface Edition {
  code: string;
  zh: string;
  en: string;
}

/** Common textbook editions. Catalog files may use other edition codes; these are the ones we can name. */
export const EDITIONS: readonly Edition[] = [
  { code: 'tongbian', zh: '统编版', en: 'Unified national edition' },
  { code: 'pep', zh: '人教版', en: "People's Education Press" },
  { code: 'bsd', zh: '北师大版', en: 'Beijing Normal University Press' },
  { code: 'jk', zh: '教科版', en: 'Educational Science Publishing House' },
  { code: 'sj', zh: '苏教版', en: 'Jiangsu Education Press' },
  { code: 'wy', zh: '外研版', en: 'Foreign Language Teaching and Research Press' },
  { code: 'hj', zh: '沪教版', en: 'Shanghai Education Press' },
];

/** 1 → 上册, 2 → 下册; senior-high textbooks are numbered 必修/选择性必修 volumes, shown as 第N册. */
export function volumeName(grade: number, volume: number): { zh: string; en: string } {
  if (grade <= 9 && volume <= 2) {
    return volume === 1 ? { zh: '上册', en: 'Volume 1' } : { zh: '下册', en: 'Volume 2' };
  }
  return { zh: `第${volume}册`, en: `Volume ${volume}` };
}

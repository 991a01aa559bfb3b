/**
 * The catalog screen's pure model: the course tree (grade → subject → edition → volume) from the API's
 * volume list, a page of lessons grouped by unit, and an import's problems as rows by line and field.
 */

export interface VolumeLike {
  grade: number;
  subject: string;
  subjectName: { zh: string; en?: string };
  edition: string;
  editionName: { zh: string; en?: string };
  volume: number;
  volumeName: { zh: string; en?: string };
  lessons: number;
  packaged: number;
  failed: number;
}

export interface CourseFilter {
  grade?: number;
  subject?: string;
  edition?: string;
  volume?: number;
}

export interface Choice<K> {
  key: K;
  name: { zh: string; en?: string } | undefined;
  lessons: number;
  failed: number;
}

function choices<V extends VolumeLike, K>(
  volumes: readonly V[],
  keyOf: (v: V) => K,
  nameOf: (v: V) => Choice<K>['name'],
): Choice<K>[] {
  const out = new Map<K, Choice<K>>();
  for (const v of volumes) {
    const key = keyOf(v);
    const choice = out.get(key) ?? { key, name: nameOf(v), lessons: 0, failed: 0 };
    choice.lessons += v.lessons;
    choice.failed += v.failed;
    out.set(key, choice);
  }
  return [...out.values()];
}

/**
 * The choices at each level of the tree given what is chosen above it (in the API's order: grade, subject in
 * the guides' order, edition, volume), with lesson and failure counts.
 */
export function courseChoices(volumes: readonly VolumeLike[], filter: CourseFilter) {
  const ofGrade = volumes.filter((v) => v.grade === filter.grade);
  const ofSubject = ofGrade.filter((v) => v.subject === filter.subject);
  const ofEdition = ofSubject.filter((v) => v.edition === filter.edition);
  return {
    grades: choices(
      volumes,
      (v) => v.grade,
      () => undefined,
    ),
    subjects: choices(
      ofGrade,
      (v) => v.subject,
      (v) => v.subjectName,
    ),
    editions: choices(
      ofSubject,
      (v) => v.edition,
      (v) => v.editionName,
    ),
    volumes: choices(
      ofEdition,
      (v) => v.volume,
      (v) => v.volumeName,
    ),
  };
}

/** The filter with `level` set and every level below it cleared (choosing a grade forgets the subject…). */
export function chooseLevel(filter: CourseFilter, level: keyof CourseFilter, value: string | number | undefined) {
  const order: (keyof CourseFilter)[] = ['grade', 'subject', 'edition', 'volume'];
  const next: CourseFilter = {};
  for (const key of order) {
    if (key === level) {
      if (value !== undefined && value !== '') Object.assign(next, { [key]: value });
      break;
    }
    if (filter[key] !== undefined) Object.assign(next, { [key]: filter[key] });
  }
  return next;
}

export interface LessonLike {
  id: string;
  grade: number;
  subject: string;
  edition: string;
  volume: number;
  unit: number;
  unitTitleZh: string;
  unitTitleEn?: string;
}

export interface UnitGroup<L extends LessonLike> {
  key: string;
  grade: number;
  subject: string;
  edition: string;
  volume: number;
  unit: number;
  title: { zh: string; en?: string };
  lessons: L[];
}

/** Consecutive lessons of one unit (the API answers in textbook order), one group each. */
export function groupByUnit<L extends LessonLike>(lessons: readonly L[]): UnitGroup<L>[] {
  const groups: UnitGroup<L>[] = [];
  for (const lesson of lessons) {
    const key = `${lesson.grade}/${lesson.subject}/${lesson.edition}/${lesson.volume}/${lesson.unit}`;
    const last = groups.at(-1);
    if (last && last.key === key) {
      last.lessons.push(lesson);
      continue;
    }
    groups.push({
      key,
      grade: lesson.grade,
      subject: lesson.subject,
      edition: lesson.edition,
      volume: lesson.volume,
      unit: lesson.unit,
      title: lesson.unitTitleEn ? { zh: lesson.unitTitleZh, en: lesson.unitTitleEn } : { zh: lesson.unitTitleZh },
      lessons: [lesson],
    });
  }
  return groups;
}

export interface ProblemLike {
  where?: string;
  field?: string;
  reason: string;
}

export interface ProblemRow {
  /** Line of the file (0: the file as a whole). */
  line: number;
  field: string;
  reason: string;
}

/** An import's problems as rows by line (`catalog.csv:14` → 14) then field, the file's own problems first. */
export function problemRows(problems: readonly ProblemLike[]): ProblemRow[] {
  return problems
    .map((p) => {
      const match = p.where?.match(/:(\d+)$/);
      return { line: match ? Number(match[1]) : 0, field: p.field ?? '', reason: p.reason };
    })
    .sort((a, b) => a.line - b.line || a.field.localeCompare(b.field));
}

/** How an import file is sent: its content type from the name (CSV unless it ends in .json), a label the API
 *  accepts. */
export function importRequest(fileName: string): { contentType: string; name: string } {
  const json = /\.json$/i.test(fileName);
  const base = fileName.replace(/[^\w.-]+/g, '_').slice(-100) || (json ? 'catalog.json' : 'catalog.csv');
  return { contentType: json ? 'application/json' : 'text/csv', name: base };
}

/** The lesson library as the on-demand rails browse it: grade → subject → unit → lesson, in textbook order. Pure. */

export interface BrowsableLesson {
  id: string;
  grade: number;
  subject: string;
  subjectName: { zh: string; en?: string };
  volume: number;
  unit: number;
  unitTitle: { zh: string; en?: string };
  lesson: number;
  title: { zh: string; en?: string };
}

export interface UnitNode<L> {
  key: string;
  volume: number;
  unit: number;
  title: { zh: string; en?: string };
  lessons: L[];
}

export interface SubjectNode<L> {
  key: string;
  subject: string;
  name: { zh: string; en?: string };
  units: UnitNode<L>[];
}

export interface GradeNode<L> {
  grade: number;
  subjects: SubjectNode<L>[];
}

export function catalogTree<L extends BrowsableLesson>(lessons: readonly L[]): GradeNode<L>[] {
  const sorted = [...lessons].sort(
    (a, b) =>
      a.grade - b.grade ||
      a.subject.localeCompare(b.subject) ||
      a.volume - b.volume ||
      a.unit - b.unit ||
      a.lesson - b.lesson ||
      a.id.localeCompare(b.id),
  );
  const grades: GradeNode<L>[] = [];
  for (const lesson of sorted) {
    let grade = grades.at(-1);
    if (grade?.grade !== lesson.grade) grades.push((grade = { grade: lesson.grade, subjects: [] }));
    let subject = grade.subjects.at(-1);
    if (subject?.subject !== lesson.subject) {
      grade.subjects.push(
        (subject = {
          key: `${lesson.grade}/${lesson.subject}`,
          subject: lesson.subject,
          name: lesson.subjectName,
          units: [],
        }),
      );
    }
    let unit = subject.units.at(-1);
    if (unit?.volume !== lesson.volume || unit.unit !== lesson.unit) {
      subject.units.push(
        (unit = {
          key: `${subject.key}/${lesson.volume}/${lesson.unit}`,
          volume: lesson.volume,
          unit: lesson.unit,
          title: lesson.unitTitle,
          lessons: [],
        }),
      );
    }
    unit.lessons.push(lesson);
  }
  return grades;
}

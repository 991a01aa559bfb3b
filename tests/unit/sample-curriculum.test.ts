import { describe, expect, it } from 'vitest';
import { lessonRecordSchema, orderingKey } from '../../scheduler/catalog/lesson-record.ts';
import {
  generateLargeCatalog,
  sampleCurriculum,
  sampleLessonsToPackage,
  sampleSubjectsForGrade,
} from '../../scheduler/sample/curriculum.ts';

const curriculum = sampleCurriculum();

describe('sample curriculum', () => {
  it('covers 12 grades with the real subject mix', () => {
    const subjectsOf = (grade: number) =>
      [...new Set(curriculum.filter((l) => l.grade === grade).map((l) => l.subject))].sort();
    expect([...new Set(curriculum.map((l) => l.grade))]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(subjectsOf(1)).toEqual(['art', 'chinese', 'math', 'morality', 'music', 'pe']);
    expect(subjectsOf(3)).toEqual(['art', 'chinese', 'english', 'math', 'morality', 'music', 'pe', 'science']);
    expect(subjectsOf(7)).toEqual([
      'art',
      'biology',
      'chinese',
      'english',
      'geography',
      'history',
      'math',
      'morality',
      'music',
      'pe',
    ]);
    expect(subjectsOf(8)).toContain('physics');
    expect(subjectsOf(9)).toEqual(['chemistry', 'chinese', 'english', 'history', 'math', 'morality', 'pe', 'physics']);
    expect(subjectsOf(11)).toEqual([
      'biology',
      'chemistry',
      'chinese',
      'english',
      'geography',
      'history',
      'math',
      'pe',
      'physics',
      'politics',
    ]);
    for (let grade = 1; grade <= 12; grade++) {
      expect(subjectsOf(grade)).toEqual(
        sampleSubjectsForGrade(grade)
          .map((s) => s.subject)
          .sort(),
      );
    }
  });

  it('uses the unified edition for 语文, 道德与法治, 历史 and 思想政治', () => {
    for (const lesson of curriculum) {
      if (['chinese', 'morality', 'history', 'politics'].includes(lesson.subject))
        expect(lesson.edition).toBe('tongbian');
    }
  });

  it('has 语文 G3 上册 as 8 units and 26 lessons', () => {
    const g3 = curriculum.filter((l) => l.grade === 3 && l.subject === 'chinese' && l.volume === 1);
    expect(new Set(g3.map((l) => l.unit)).size).toBe(8);
    expect(g3).toHaveLength(26);
    expect(g3[0]).toMatchObject({ unit: 1, lesson: 1, titleZh: '大青树下的小学', unitTitleZh: '第一单元 学校生活' });
  });

  it('is valid catalog input: unique ids and positions, zh titles, nominal durations, textbook order', () => {
    expect(new Set(curriculum.map((l) => l.id)).size).toBe(curriculum.length);
    expect(new Set(curriculum.map(orderingKey)).size).toBe(curriculum.length);
    for (const lesson of curriculum) {
      expect(lessonRecordSchema.parse(lesson)).toEqual(lesson);
      expect(lesson.titleZh.length).toBeGreaterThan(0);
      expect(lesson.unitTitleZh.length).toBeGreaterThan(0);
      expect(lesson.durationS).toBe(lesson.grade <= 6 ? 1200 : lesson.grade <= 9 ? 1500 : 1800);
    }
    for (let i = 1; i < curriculum.length; i++) {
      const [a, b] = [curriculum[i - 1]!, curriculum[i]!];
      if (a.grade === b.grade && a.subject === b.subject) {
        // Units count up from 1; lessons count up from 1 within each unit.
        const next = b.unit === a.unit ? b.lesson === a.lesson + 1 : b.unit === a.unit + 1 && b.lesson === 1;
        expect(next, `${a.id} → ${b.id}`).toBe(true);
      }
    }
    expect(sampleCurriculum()).toEqual(curriculum);
  });

  it('picks the first N lessons of each course to package', () => {
    const courses = new Set(curriculum.map((l) => `${l.grade}/${l.subject}/${l.edition}`));
    const two = sampleLessonsToPackage(curriculum, { lessonsPerCourse: 2 });
    expect(two).toHaveLength(courses.size * 2);
    for (const course of courses) {
      const inCourse = curriculum.filter((l) => `${l.grade}/${l.subject}/${l.edition}` === course);
      expect(two.filter((l) => `${l.grade}/${l.subject}/${l.edition}` === course)).toEqual(inCourse.slice(0, 2));
    }
    expect(sampleLessonsToPackage(curriculum, { lessonsPerCourse: 1, grades: [3] }).map((l) => l.subject)).toEqual(
      sampleSubjectsForGrade(3).map((s) => s.subject),
    );
  });
});

describe('generateLargeCatalog', () => {
  it('makes n valid, unique, deterministic lessons', () => {
    const big = generateLargeCatalog(20_000);
    expect(big).toHaveLength(20_000);
    expect(new Set(big.map((l) => l.id)).size).toBe(20_000);
    expect(new Set(big.map(orderingKey)).size).toBe(20_000);
    expect(lessonRecordSchema.parse(big[19_999])).toEqual(big[19_999]);
    expect(generateLargeCatalog(50)).toEqual(big.slice(0, 50));
  });
});

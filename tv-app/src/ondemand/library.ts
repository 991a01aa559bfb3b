/**
 * What the on-demand page browses and where its rails stand. Kept out of Blits' reactive state: the page holds
 * one instance in state(), and Blits leaves class instances unproxied, so walking the catalog on every key press
 * costs no proxy traps. The rails' drawn items are rebuilt from it (pages/OnDemand.js).
 */
import type { LessonJson } from '../api/client.ts';
import { catalogTree, type GradeNode } from './catalog-tree.ts';

export type RailId = 'continue' | 'grades' | 'subjects' | 'units' | 'lessons';

/** The browse rails under "continue watching", top to bottom: choosing in one restarts those below it. */
export const BROWSE_RAILS: readonly RailId[] = ['grades', 'subjects', 'units', 'lessons'];

export class OnDemandLibrary {
  tree: GradeNode<LessonJson>[] = [];
  byId = new Map<string, LessonJson>();
  /** Per rail: the focused item, and the first item shown. */
  readonly focusOf: Record<RailId, number> = { continue: 0, grades: 0, subjects: 0, units: 0, lessons: 0 };
  readonly firstOf: Record<RailId, number> = { continue: 0, grades: 0, subjects: 0, units: 0, lessons: 0 };

  load(lessons: readonly LessonJson[]): void {
    this.tree = catalogTree(lessons);
    this.byId = new Map(lessons.map((l) => [l.id, l]));
  }
}

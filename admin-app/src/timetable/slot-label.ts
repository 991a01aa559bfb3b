/**
 * What a slot of the week grid airs, in words, as a broadcaster reads a timetable: "首播：数学",
 * "填充：眼保健操", "重播 l1（0 天前）", "停播 · 午间休息". Names come from the catalog (subjects, fillers, off-air
 * cards); an id the catalog does not know (yet) is shown as it is. Pure: the strings come through `t`.
 */
import type { Slot } from './week-grid-model.ts';

export type Title = { zh: string; en?: string };

/** Titles by id, from the catalog. */
export interface SlotNames {
  subjects: ReadonlyMap<string, Title>;
  fillers: ReadonlyMap<string, Title>;
  cards: ReadonlyMap<string, Title>;
}

export const NO_NAMES: SlotNames = { subjects: new Map(), fillers: new Map(), cards: new Map() };

type Translate = (key: string, options?: Record<string, unknown>) => string;

export function slotLabel(slot: Slot, names: SlotNames, t: Translate, language: string): string {
  const text = (title: Title | undefined) => title && (language === 'en' && title.en ? title.en : title.zh);
  const named = (map: ReadonlyMap<string, Title>, id: string | undefined) => (id && text(map.get(id))) || id;
  switch (slot.kind) {
    case 'lesson':
      return t('timetable.label.lesson', { subject: named(names.subjects, slot.subject) || '?' });
    case 'rerun':
      return t('timetable.label.rerun', { of: slot.of || '?', days: slot.daysAgo ?? 0 });
    case 'rerun-loop':
      return t('timetable.label.rerunLoop', { days: slot.daysAgo ?? 0 });
    case 'filler':
      return t('timetable.label.filler', { asset: named(names.fillers, slot.asset) || '?' });
    case 'programme':
      return t('timetable.label.programme', { what: text(slot.title) || slot.lesson || slot.asset || '?' });
    default: {
      // As viewers see it: the guide lists the slot's title, else its card's; the picture is the card.
      const card = named(names.cards, slot.card);
      const title = text(slot.title) || card;
      if (!title) return t('timetable.label.offAir');
      if (card && card !== title) return t('timetable.label.offAirCard', { title, card });
      return t('timetable.label.offAirTitled', { title });
    }
  }
}
